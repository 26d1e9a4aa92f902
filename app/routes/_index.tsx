import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DecisionMakers } from "~/components/decision-makers";
import { SignatureProgress } from "~/components/progress";
import { Trans, useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { listOpenPetitions, listRecentVictories } from "~/models/petition.server";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "description", content: data?.description },
  ...(data
    ? [
        { tagName: "link", rel: "canonical", href: `${data.origin}/` },
        { property: "og:title", content: data.title },
        { property: "og:description", content: data.description },
        { property: "og:type", content: "website" },
        { property: "og:url", content: `${data.origin}/` },
        // The site card in the page's language: social sites fetch it without the reader's cookie.
        {
          property: "og:image",
          content: `${data.origin}/card.png${data.locale === "en" ? "" : `?lang=${data.locale}`}`,
        },
        { property: "og:image:width", content: "1200" },
        { property: "og:image:height", content: "630" },
        { property: "og:site_name", content: "Undersigned" },
        { name: "twitter:card", content: "summary_large_image" },
      ]
    : []),
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = requestLocale(request);
  const t = translator(locale);
  const [petitions, victories] = await Promise.all([listOpenPetitions(context.db), listRecentVictories(context.db)]);
  return {
    title: t("home.title"),
    description: t("home.description"),
    origin: context.config.appUrl,
    locale,
    victories: victories.map((p) => ({
      slug: p.slug,
      title: p.title,
      language: p.language,
      signatureCount: p.signature_count,
      message: p.victory_message,
    })),
    petitions: petitions.map((p) => ({
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      language: p.language,
      signatureCount: p.signature_count,
      goal: p.goal,
      decisionMakers: p.decisionMakers,
      // The cover when it has one, else its generated card (the same picture social sites show).
      image: p.image_id ? `/images/${p.image_id}` : `/petitions/${p.slug}/card.png`,
    })),
  };
}

export default function Index() {
  const { petitions, victories } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <>
      <section className="intro">
        <h1>{t("home.heading")}</h1>
        <p>{t("home.lead")}</p>
        <p>
          <Trans i18nKey="home.browse" components={{ 1: <Link to="/petitions" /> }} />
        </p>
      </section>
      {petitions.length === 0 ? (
        <p>{t("home.none")}</p>
      ) : (
        <ul className="petition-list">
          {petitions.map((p) => (
            <li key={p.slug} className="petition-card petition-card--pictured">
              <img src={p.image} alt="" width={1200} height={630} loading="lazy" decoding="async" />
              <h2>
                <Link to={`/petitions/${p.slug}`} lang={p.language}>
                  {p.title}
                </Link>
              </h2>
              <DecisionMakers makers={p.decisionMakers} inline />
              <p lang={p.language}>{p.summary}</p>
              <SignatureProgress count={p.signatureCount} goal={p.goal} compact />
            </li>
          ))}
        </ul>
      )}
      {victories.length > 0 ? (
        <section aria-labelledby="victories">
          <h2 id="victories">{t("home.victories")}</h2>
          <ul className="petition-list">
            {victories.map((v) => (
              <li key={v.slug} className="petition-card petition-card--victory">
                <h3>
                  <Link to={`/petitions/${v.slug}`} lang={v.language}>
                    {v.title}
                  </Link>
                </h3>
                {v.message ? <p lang={v.language}>{v.message}</p> : null}
                <p className="hint">
                  {t("home.wonWith", { count: v.signatureCount, number: formatNumber(v.signatureCount, locale) })}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
