import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { emailLanguage, requestLocale } from "~/lib/i18n.server";
import { Link, useLoaderData } from "@remix-run/react";
import { getEmailSample } from "~/services/email-samples.server";
import { HeaderRows } from "~/components/mail-headers";

export const meta: MetaFunction = () => [
  { title: "Email sample | Email gallery" },
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  if (context.config.isProduction) throw new Response("Not found", { status: 404 });
  const name = params.name ?? "";
  const sample = getEmailSample(name);
  if (!sample) throw new Response("Not found", { status: 404 });
  const email = sample.render({ appUrl: context.config.appUrl }, emailLanguage(requestLocale(request)));
  return {
    name,
    template: sample.template,
    description: sample.description,
    subject: email.subject,
    text: email.text,
    headers: Object.entries(email.headers ?? {}),
  };
}

export default function EmailSample() {
  const s = useLoaderData<typeof loader>();
  return (
    <section className="mail-view">
      <p>
        <Link to="/dev/emails">← All emails</Link>
      </p>
      <h1>{s.subject}</h1>
      <p>{s.description}</p>
      <dl className="mail-meta">
        <dt>Template</dt>
        <dd>
          <code>emails/{s.template}.tsx</code>
        </dd>
        <dt>Subject</dt>
        <dd>{s.subject}</dd>
        <HeaderRows headers={s.headers} />
      </dl>
      <h2>HTML version</h2>
      <iframe
        className="mail-frame"
        title={`HTML version of “${s.subject}”`}
        src={`/dev/emails/${s.name}/html`}
        sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
      />
      <h2>Text version</h2>
      <pre className="mail-text">{s.text}</pre>
    </section>
  );
}
