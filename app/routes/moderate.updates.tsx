import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/services/session.server";
import { ErrorSummary } from "~/components/field";
import { ProgressFigures, updateStatusLabel } from "~/components/update-status";
import { readForm } from "~/lib/form.server";
import { formatCount } from "~/lib/time";
import { listEmailedUpdates } from "~/models/update-lists.server";
import { getUpdateForOrganizer, stopUpdateEmails } from "~/models/update.server";
import { StopUpdateForm } from "~/schemas/update.server";

export const meta: MetaFunction = () => [{ title: "Emailed updates | Undersigned" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const url = new URL(request.url);
  const stopped = Number(url.searchParams.get("stopped"));
  const updates = await listEmailedUpdates(context.db);
  return {
    notice:
      Number.isSafeInteger(stopped) && url.searchParams.has("stopped")
        ? `Sending stopped. ${formatCount(stopped)} ${stopped === 1 ? "email that had not gone was" : "emails that had not gone were"} cancelled.`
        : null,
    updates: updates.map((u) => ({
      id: u.id,
      title: u.title,
      petitionId: u.petitionId,
      petitionTitle: u.petitionTitle,
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
  if (!parsed.success) return data({ error: "Choose an update to stop." }, { status: 400 });
  const update = await getUpdateForOrganizer(context.db, {
    updateId: parsed.data.updateId,
    userId: moderator.id,
    moderator: true,
  });
  if (!update) throw new Response("Not found", { status: 404 });
  if (update.email_status !== "queuing" && update.email_status !== "sending") {
    return data(
      { error: `“${update.title}” is not being sent any more, so there is nothing to stop.` },
      { status: 409 },
    );
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
  return (
    <section>
      <p>
        <Link to="/moderate">← Moderation queue</Link>
      </p>
      <h1>Emailed updates</h1>
      <p>
        Every update organizers have emailed to their subscribers, the newest first. If one should not go out (abuse, a
        hacked account), stop it: the emails not yet sent are cancelled, and the update stays on the campaign’s page
        until you act on the petition itself.
      </p>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      <ErrorSummary errors={a?.error ? [{ message: a.error }] : []} />
      {d.updates.length === 0 ? (
        <p>No update has been emailed yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="emailed-heading" tabIndex={0}>
          <table className="table table--wide">
            <caption id="emailed-heading" className="visually-hidden">
              Emailed updates, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Update</th>
                <th scope="col">Petition</th>
                <th scope="col">Organizer</th>
                <th scope="col">Emailed</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.updates.map((u) => (
                <tr key={u.id}>
                  <td>
                    <a href={`/petitions/${u.slug}/updates/${u.id}`}>{u.title}</a>
                  </td>
                  <td>
                    <Link to={`/moderate/${u.petitionId}`}>{u.petitionTitle}</Link>
                  </td>
                  <td className="details">{u.author ?? "(account deleted)"}</td>
                  <td>{utc(u.emailedAt)}</td>
                  <td>{u.status}</td>
                  <td>
                    <ProgressFigures progress={u.progress} />{" "}
                    <span className="hint">
                      ({formatCount(u.recipients)} {u.recipients === 1 ? "recipient" : "recipients"} so far)
                    </span>
                  </td>
                  <td>
                    {u.stoppable ? (
                      <Form method="post">
                        <input type="hidden" name="updateId" value={u.id} />
                        <button type="submit" name="intent" value="stop" className="button button--danger">
                          Stop sending
                        </button>
                      </Form>
                    ) : null}
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
