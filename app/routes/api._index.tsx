import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { publicPageHeaders } from "~/lib/cache-control.server";
import { requestLocale, translator } from "~/lib/i18n.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "description", content: data?.description },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const t = translator(requestLocale(request));
  return { title: t("apiDocs.title"), description: t("apiDocs.description"), origin: context.config.appUrl };
}

export default function ApiDocs() {
  const { origin } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // Names of headers, parameters and fields are the API itself, the same in every language.
  const code = <code translate="no" />;
  return (
    <article className="prose">
      <h1>{t("apiDocs.heading")}</h1>
      <p>
        <Trans i18nKey="apiDocs.lead" components={{ 1: code, 2: code, 3: code }} />
      </p>
      <h2>{t("apiDocs.campaigns")}</h2>
      <pre translate="no">
        <code>{`GET ${origin}/api/petitions.json?q=library&state=open&sort=recent&page=1&per_page=20`}</code>
      </pre>
      <p>
        <Trans
          i18nKey="apiDocs.params"
          components={{ 1: code, 2: code, 3: code, 4: code, 5: code, 6: code, 7: code, 8: code }}
        />
      </p>
      <h2>{t("apiDocs.one")}</h2>
      <pre translate="no">
        <code>{`GET ${origin}/api/petitions/<slug>.json`}</code>
      </pre>
      <p>{t("apiDocs.oneText")}</p>
      <h2>{t("apiDocs.count")}</h2>
      <pre translate="no">
        <code>{`GET ${origin}/api/petitions/<slug>/count.json

{"signature_count":1234,"goal":2000,"state":"open","updated_at":"2026-12-07T12:00:00.000Z"}`}</code>
      </pre>
      <p>
        <Trans i18nKey="apiDocs.countText" components={{ 1: code }} />
      </p>
    </article>
  );
}
