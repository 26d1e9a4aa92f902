import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { useReportHeight } from "~/components/embed-height";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { CONFIRMATION_TTL_DAYS } from "~/models/signatures.server";
import type { EmbedHandle } from "~/root";

export const handle: EmbedHandle = { embed: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? [{ title: data.pageTitle }] : []),
  { name: "robots", content: "noindex" },
];

/** What the widget shows after any accepted form: the same whatever the address's history. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition || petition.status === "rejected") throw new Response("Not found", { status: 404 });
  return {
    pageTitle: translator(requestLocale(request))("sign.checkEmail.title"),
    petition: { slug: petition.slug, title: petition.title, language: petition.language },
    url: `${context.config.appUrl}/petitions/${petition.slug}`,
    ttlDays: CONFIRMATION_TTL_DAYS,
  };
}

export default function WidgetSent() {
  const { petition, url, ttlDays } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  useReportHeight();
  return (
    <section className="widget" aria-labelledby="sent-heading">
      <p className="eyebrow">{t("sign.checkEmail.eyebrow")}</p>
      <h1 id="sent-heading">{t("sign.checkEmail.heading")}</h1>
      <p>
        <Trans
          i18nKey="sign.checkEmail.lead"
          values={{ title: petition.title }}
          components={{ 1: <strong />, 2: <em lang={petition.language} /> }}
        />{" "}
        {t("sign.checkEmail.ttl", { count: ttlDays })}
      </p>
      <p className="hint">
        <Trans
          i18nKey="embed.sent.again"
          // eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans puts the catalog's words inside
          components={{ 1: <a href={`/embed/${petition.slug}`} /> }}
        />
      </p>
      <p className="widget-footer">
        <a href={url} target="_blank" rel="noopener">
          {t("embed.readAll")}
          <span className="visually-hidden"> {t("embed.newTab")}</span>
        </a>
      </p>
    </section>
  );
}
