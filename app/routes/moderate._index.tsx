import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDate } from "~/lib/time";
import { requireRole } from "~/services/session.server";
import { listImageReviewQueue } from "~/models/image.server";
import { listReviewQueue } from "~/models/moderation.server";

export const meta: MetaFunction = () => [{ title: "Moderation queue | Undersigned" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const queue = await listReviewQueue(context.db);
  const images = await listImageReviewQueue(context.db);
  const now = Date.now();
  return {
    images: images.map((p) => ({ id: p.id, title: p.title, uploadedAt: p.pending_image_at })),
    queue: queue.map((p) => ({
      id: p.id,
      title: p.title,
      summary: p.summary,
      ownerEmail: p.ownerEmail,
      submittedAt: p.submitted_at,
      waitingDays: p.submitted_at ? Math.floor((now - Date.parse(p.submitted_at)) / 86_400_000) : 0,
      waitingHours: p.submitted_at ? Math.floor((now - Date.parse(p.submitted_at)) / 3_600_000) : 0,
    })),
  };
}

function waited(days: number, hours: number) {
  if (days >= 1) return `${days} ${days === 1 ? "day" : "days"}`;
  if (hours >= 1) return `${hours} ${hours === 1 ? "hour" : "hours"}`;
  return "less than an hour";
}

export default function ModerationQueue() {
  const { queue, images } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Moderation queue</h1>
      <p>Petitions waiting for a decision, the longest-waiting first. Aim to decide each within ten days.</p>
      <p>
        <Link to="/moderate/safety">Fraud defences</Link>: trending sources, suspect signatures, pausing signing.
      </p>
      <p>
        <Link to="/moderate/updates">Emailed updates</Link>: what organizers are sending to signers, and stopping one
        that should not go.
      </p>
      <p>
        <Link to="/moderate/responses">Responses</Link>: what decision makers have published, and hiding an abusive one.
      </p>
      {queue.length === 0 ? (
        <p>Nothing is waiting. Well done.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Petition</th>
              <th scope="col">Started by</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/moderate/${p.id}`}>{p.title}</Link>
                  <br />
                  <span className="hint">{p.summary}</span>
                </td>
                <td>{p.ownerEmail}</td>
                <td className={p.waitingDays >= 10 ? "overdue" : undefined}>{waited(p.waitingDays, p.waitingHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="images-heading">
        <h2 id="images-heading">New cover images</h2>
        <p>
          Published petitions whose organizers uploaded a new cover image. It shows nowhere, not even when the petition
          is shared, until you approve it.
        </p>
        {images.length === 0 ? (
          <p>None waiting.</p>
        ) : (
          <ul>
            {images.map((p) => (
              <li key={p.id}>
                <Link to={`/moderate/${p.id}#cover-image`}>{p.title}</Link>
                {p.uploadedAt ? <span className="hint"> uploaded {formatDate(p.uploadedAt)}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
