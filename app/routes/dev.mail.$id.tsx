import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getInboxMessage } from "~/models/dev-mail.server";
import { HeaderRows } from "~/components/mail-headers";

export const meta: MetaFunction = () => [
  { title: "Email | Development mail inbox" },
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { config } = context;
  if (config.isProduction) throw new Response("Not found", { status: 404 });
  const id = Number(params.id);
  const site = { appUrl: config.appUrl, unsubscribeSecret: config.unsubscribeSecret };
  const m = Number.isSafeInteger(id) ? await getInboxMessage(context.db, id, site) : undefined;
  if (!m) throw new Response("Not found", { status: 404 });
  return {
    id: m.id,
    to: m.to_address,
    subject: m.subject,
    text: m.text,
    status: m.status,
    attempts: m.attempts,
    lastError: m.last_error,
    createdAt: m.created_at,
    headers: m.headers ? Object.entries(JSON.parse(m.headers) as Record<string, string>) : [],
    notComposed: m.notComposed,
  };
}

export default function DevMailMessage() {
  const m = useLoaderData<typeof loader>();
  return (
    <section className="mail-view">
      <p>
        <Link to="/dev/mail">← All emails</Link>
      </p>
      <h1>{m.subject}</h1>
      <dl className="mail-meta">
        <dt>To</dt>
        <dd>{m.to}</dd>
        <dt>Status</dt>
        <dd>
          {m.status} after {m.attempts} {m.attempts === 1 ? "attempt" : "attempts"}
          {m.lastError ? ` (last error: ${m.lastError})` : ""}
        </dd>
        <dt>Written</dt>
        <dd>{m.createdAt}</dd>
        <HeaderRows headers={m.headers} />
      </dl>
      {m.notComposed ? (
        <div className="notice" role="status">
          <p>{m.notComposed}</p>
        </div>
      ) : null}
      <h2>HTML version</h2>
      <iframe
        className="mail-frame"
        title={`HTML version of “${m.subject}”`}
        src={`/dev/mail/${m.id}/html`}
        sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
      />
      <h2>Text version</h2>
      <pre className="mail-text">{m.text}</pre>
    </section>
  );
}
