import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/services/session.server";
import { listAudit } from "~/models/audit.server";

export const meta: MetaFunction = () => [{ title: "Audit log | Undersigned" }];

const PAGE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "admin");
  const before = Number(new URL(request.url).searchParams.get("before")) || undefined;
  const entries = await listAudit(context.db, { before, limit: PAGE });
  return { entries, next: entries.length === PAGE ? entries[entries.length - 1].id : null };
}

export default function AuditLog() {
  const { entries, next } = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to="/admin">← Admin</Link>
      </p>
      <h1>Audit log</h1>
      <p>Every moderator, admin and organizer action, newest first.</p>
      <table className="table table--wide">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Petition</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.created_at.slice(0, 19).replace("T", " ")}</td>
              <td>{e.actorEmail ?? "system"}</td>
              <td>
                {e.action}
                {e.subjectEmail ? ` (${e.subjectEmail})` : ""}
              </td>
              <td>{e.petitionTitle ?? ""}</td>
              <td>
                <code className="details">{e.details ?? ""}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {next ? (
        <p>
          <Link to={`/admin/audit?before=${next}`}>Older entries</Link>
        </p>
      ) : null}
    </section>
  );
}
