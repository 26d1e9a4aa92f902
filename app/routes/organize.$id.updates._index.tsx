import { useTranslation } from "react-i18next";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgressFigures, updateStatusLabel } from "~/components/update-status";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { formatDate, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { listUpdatesForOrganizer } from "~/models/update-lists.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const updates = await listUpdatesForOrganizer(context.db, { petitionId: p.id, userId: user.id });
  const t = translator(requestLocale(request));
  return {
    pageTitle: t("updates.list.pageTitle", { title: p.title }),
    id: p.id,
    title: p.title,
    language: p.language,
    status: p.status,
    canWrite: PUBLISHED_STATES.includes(p.status),
    updates: updates.map((u) => ({
      id: u.id,
      title: u.title,
      status: u.status,
      emailStatus: u.email_status,
      date: u.published_at ?? u.created_at,
      progress: u.progress,
    })),
  };
}

export default function Updates() {
  const { t, i18n } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}`}>{t("updates.list.back")}</Link>
      </p>
      <p className="eyebrow">{t("updates.list.eyebrow")}</p>
      <h1 lang={d.language}>{d.title}</h1>
      <p className="lead">{t("updates.list.lead")}</p>
      {d.canWrite ? (
        <p>
          <Link to={`/organize/${d.id}/updates/new`} className="button button--secondary">
            {t("updates.list.write")}
          </Link>
        </p>
      ) : (
        <p className="notice">
          {d.status === "draft" || d.status === "in_review"
            ? t("updates.list.notYetPublished")
            : t("updates.list.notOnSite")}
        </p>
      )}
      {d.updates.length === 0 ? (
        <p>{t("updates.list.none")}</p>
      ) : (
        <TableScroll labelledBy="updates-heading">
          <table className="table table--wide">
            <caption id="updates-heading" className="visually-hidden">
              {t("updates.list.caption")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("updates.list.update")}</th>
                <th scope="col">{t("updates.list.date")}</th>
                <th scope="col">{t("updates.list.status")}</th>
                <th scope="col">{t("updates.list.emails")}</th>
              </tr>
            </thead>
            <tbody>
              {d.updates.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/organize/${d.id}/updates/${u.id}`} lang={d.language}>
                      {u.title}
                    </Link>
                  </td>
                  <td>{formatDate(u.date, i18n.language as Locale)}</td>
                  <td>{t(updateStatusLabel(u))}</td>
                  <td>
                    <ProgressFigures progress={u.progress} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
