import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requireRole } from "~/services/session.server";
import { listAudit } from "~/models/audit.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const PAGE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "admin");
  const before = Number(new URL(request.url).searchParams.get("before")) || undefined;
  const entries = await listAudit(context.db, { before, limit: PAGE });
  return {
    title: translator(requestLocale(request))("admin.audit.title"),
    entries,
    next: entries.length === PAGE ? entries[entries.length - 1].id : null,
  };
}

export default function AuditLog() {
  const { entries, next } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section>
      <p>
        <Link to="/admin">{t("admin.audit.back")}</Link>
      </p>
      <h1 id="audit-heading">{t("admin.audit.heading")}</h1>
      <p>{t("admin.audit.intro")}</p>
      <TableScroll labelledBy="audit-heading">
        <table className="table table--wide">
          <thead>
            <tr>
              <th scope="col">{t("admin.audit.when")}</th>
              <th scope="col">{t("admin.audit.who")}</th>
              <th scope="col">{t("admin.audit.what")}</th>
              <th scope="col">{t("admin.audit.petition")}</th>
              <th scope="col">{t("admin.audit.details")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{e.created_at.slice(0, 19).replace("T", " ")}</td>
                {e.actorEmail ? <td translate="no">{e.actorEmail}</td> : <td>{t("admin.audit.system")}</td>}
                {/* The action's name in the log and the address it concerns, as stored. */}
                <td translate="no">
                  {e.action}
                  {e.subjectEmail ? ` (${e.subjectEmail})` : ""}
                </td>
                <td lang={e.petitionLanguage ?? undefined}>{e.petitionTitle ?? ""}</td>
                <td translate="no">
                  <code className="details">{e.details ?? ""}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {next ? (
        <p>
          <Link to={`/admin/audit?before=${next}`}>{t("admin.audit.older")}</Link>
        </p>
      ) : null}
    </section>
  );
}
