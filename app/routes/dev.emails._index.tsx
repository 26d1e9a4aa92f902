import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { emailLanguage, requestLocale } from "~/lib/i18n.server";
import { Link, useLoaderData } from "@remix-run/react";
import { EMAIL_SAMPLES } from "~/services/email-samples.server";

export const meta: MetaFunction = () => [
  { title: "Email gallery | Undersigned" },
  { name: "robots", content: "noindex" },
];

/** Every email the site sends, with made-up data (app/services/email-samples.server.ts). Not served in production. */
export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.config.isProduction) throw new Response("Not found", { status: 404 });
  const site = { appUrl: context.config.appUrl };
  const lang = emailLanguage(requestLocale(request));
  return {
    samples: Object.entries(EMAIL_SAMPLES).map(([name, sample]) => ({
      name,
      template: sample.template,
      description: sample.description,
      subject: sample.render(site, lang).subject,
    })),
  };
}

export default function EmailGallery() {
  const { samples } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Email gallery</h1>
      <p>
        Every email the site sends, from the templates in <code>emails/</code>, filled in with made-up data. The links
        in them lead nowhere useful. This page does not exist in production; the emails the site actually sent are in
        the <Link to="/dev/mail">development mail inbox</Link>.
      </p>
      <table className="table table--wide">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Template</th>
            <th scope="col">When it is sent</th>
          </tr>
        </thead>
        <tbody>
          {samples.map((s) => (
            <tr key={s.name}>
              <td>
                <Link to={`/dev/emails/${s.name}`}>{s.subject}</Link>
              </td>
              <td>
                <code>{s.template}</code>
              </td>
              <td>{s.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
