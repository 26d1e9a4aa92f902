import { useTranslation } from "react-i18next";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProgressFigures, updateStatusLabel } from "~/components/update-status";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { formatDate } from "~/lib/time";
import { listUpdatesForOrganizer } from "~/models/update-lists.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Updates: ${data.title} | Undersigned` : "Updates | Undersigned" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const updates = await listUpdatesForOrganizer(context.db, { petitionId: p.id, userId: user.id });
  return {
    id: p.id,
    title: p.title,
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
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}`}>← Back to the dashboard</Link>
      </p>
      <p className="eyebrow">Updates</p>
      <h1>{d.title}</h1>
      <p className="lead">
        Tell the people who signed what has happened. A published update appears on the campaign’s page and in its feed,
        and you can email it to the signers who asked for updates.
      </p>
      {d.canWrite ? (
        <p>
          <Link to={`/organize/${d.id}/updates/new`} className="button button--secondary">
            Write an update
          </Link>
        </p>
      ) : (
        <p className="notice">
          {d.status === "draft" || d.status === "in_review"
            ? "You can post updates once the petition is published."
            : "This petition is no longer on the site, so no updates can be posted."}
        </p>
      )}
      {d.updates.length === 0 ? (
        <p>No updates yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="updates-heading" tabIndex={0}>
          <table className="table table--wide">
            <caption id="updates-heading" className="visually-hidden">
              Updates, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Update</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col">Emails</th>
              </tr>
            </thead>
            <tbody>
              {d.updates.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/organize/${d.id}/updates/${u.id}`}>{u.title}</Link>
                  </td>
                  <td>{formatDate(u.date)}</td>
                  <td>{t(updateStatusLabel(u))}</td>
                  <td>
                    <ProgressFigures progress={u.progress} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
