import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/services/session.server";
import { ErrorSummary } from "~/components/field";
import { ProgressFigures, updateStatusLabel } from "~/components/update-status";
import { readForm } from "~/lib/form.server";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { listEmailedUpdates } from "~/models/update-lists.server";
import { getUpdateForOrganizer, stopUpdateEmails } from "~/models/update.server";
import { StopUpdateForm } from "~/schemas/update.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const url = new URL(request.url);
  const stopped = Number(url.searchParams.get("stopped"));
  const updates = await listEmailedUpdates(context.db);
  const locale = requestLocale(request);
  const t = translator(locale);
  return {
    title: t("moderate.updates.title"),
    notice:
      Number.isSafeInteger(stopped) && url.searchParams.has("stopped")
        ? t("moderate.updates.stopped", { count: stopped, number: formatNumber(stopped, locale) })
        : null,
    updates: updates.map((u) => ({
      id: u.id,
      title: u.title,
      petitionId: u.petitionId,
      petitionTitle: u.petitionTitle,
      language: u.language,
      slug: u.slug,
      author: u.authorEmail,
      emailedAt: u.email_queued_at,
      recipients: u.recipients,
      stoppable: u.email_status === "queuing" || u.email_status === "sending",
      status: updateStatusLabel({ status: "published", emailStatus: u.email_status, progress: u.progress }),
      progress: u.progress,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const form = await readForm(request);
  const parsed = StopUpdateForm.safeParse(Object.fromEntries(form));
  const t = translator(requestLocale(request));
  if (!parsed.success) return data({ error: t("moderate.updates.choose") }, { status: 400 });
  const update = await getUpdateForOrganizer(context.db, {
    updateId: parsed.data.updateId,
    userId: moderator.id,
    moderator: true,
  });
  if (!update) throw new Response("Not found", { status: 404 });
  if (update.email_status !== "queuing" && update.email_status !== "sending") {
    return data({ error: t("moderate.updates.notSending", { title: update.title }) }, { status: 409 });
  }
  const cancelled = await stopUpdateEmails(context.db, { updateId: update.id, moderatorId: moderator.id });
  throw redirect(`/moderate/updates?stopped=${cancelled}`);
}

/** UTC, to the minute, as the other moderation pages show times. */
function utc(iso: string | null): string {
  return iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "–";
}

export default function EmailedUpdates() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  return (
    <section>
      <p>
        <Link to="/moderate">{t("moderate.backToQueue")}</Link>
      </p>
      <h1>{t("moderate.updates.heading")}</h1>
      <p>{t("moderate.updates.intro")}</p>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      <ErrorSummary errors={a?.error ? [{ message: a.error }] : []} />
      {d.updates.length === 0 ? (
        <p>{t("moderate.updates.none")}</p>
      ) : (
        <TableScroll labelledBy="emailed-heading">
          <table className="table table--wide">
            <caption id="emailed-heading" className="visually-hidden">
              {t("moderate.updates.caption")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("moderate.updates.update")}</th>
                <th scope="col">{t("moderate.updates.petition")}</th>
                <th scope="col">{t("moderate.updates.organizer")}</th>
                <th scope="col">{t("moderate.updates.emailed")}</th>
                <th scope="col">{t("moderate.updates.status")}</th>
                <th scope="col">{t("moderate.updates.progress")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("moderate.updates.action")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.updates.map((u) => (
                <tr key={u.id}>
                  <td>
                    <a href={`/petitions/${u.slug}/updates/${u.id}`} lang={u.language}>
                      {u.title}
                    </a>
                  </td>
                  <td>
                    <Link to={`/moderate/${u.petitionId}`} lang={u.language}>
                      {u.petitionTitle}
                    </Link>
                  </td>
                  {u.author ? (
                    <td className="details" translate="no">
                      {u.author}
                    </td>
                  ) : (
                    <td className="details">{t("moderate.updates.accountDeleted")}</td>
                  )}
                  <td translate="no">{utc(u.emailedAt)}</td>
                  <td>{t(u.status)}</td>
                  <td>
                    <ProgressFigures progress={u.progress} />{" "}
                    <span className="hint">
                      {t("moderate.updates.recipients", {
                        count: u.recipients,
                        number: formatNumber(u.recipients, i18n.language as Locale),
                      })}
                    </span>
                  </td>
                  <td>
                    {u.stoppable ? (
                      <Form method="post">
                        <input type="hidden" name="updateId" value={u.id} />
                        <button type="submit" name="intent" value="stop" className="button button--danger">
                          {t("moderate.updates.stop")}
                        </button>
                      </Form>
                    ) : null}
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
