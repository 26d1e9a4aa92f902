import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listInbox } from "~/models/dev-mail.server";

export const meta: MetaFunction = () => [
  { title: "Development mail inbox | Undersigned" },
  { name: "robots", content: "noindex" },
];

/** Every email the app has written to the outbox, newest first. Not served in production. */
export async function loader({ context }: LoaderFunctionArgs) {
  if (context.config.isProduction) throw new Response("Not found", { status: 404 });
  const messages = await listInbox(context.db, 200);
  return {
    smtp: Boolean(context.config.smtpUrl),
    messages: messages.map((m) => ({
      id: m.id,
      to: m.to_address,
      // An update's rows are written as they are sent: until then only the update knows the subject.
      subject: m.subject || m.email_subject || (m.update_id ? `Update ${m.update_id}` : "(no subject)"),
      status: m.status,
      createdAt: m.created_at,
    })),
  };
}

export default function DevMail() {
  const { messages, smtp } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Development mail inbox</h1>
      <p>
        {smtp
          ? "Mail goes to the configured SMTP server; this page shows what was sent for reference."
          : "No SMTP server is configured, so every email the site sends stops here. Open one to read it and follow its links."}{" "}
        This page does not exist in production.
      </p>
      {messages.length === 0 ? (
        <p>No emails yet. Sign a petition to see one arrive.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Written</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td>{m.to}</td>
                <td>
                  <Link to={`/dev/mail/${m.id}`}>{m.subject}</Link>
                </td>
                <td>{m.status}</td>
                <td>
                  <time dateTime={m.createdAt}>{m.createdAt.replace("T", " ").slice(0, 19)} UTC</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
