import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { articleMeta } from "~/lib/article-meta";
import { routeId } from "~/lib/route-id";
import { formatDate, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { responseOfUpdate } from "~/models/response-lists.server";
import { getPublicUpdate } from "~/models/update-lists.server";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  return articleMeta({
    title: data.words.title,
    heading: data.words.ownTitle,
    feedTitle: data.words.feedTitle,
    url: data.url,
    slug: data.slug,
  });
};

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const updateId = routeId(params.updateId);
  const update = params.slug && updateId ? await getPublicUpdate(context.db, params.slug, updateId) : undefined;
  if (!update) {
    // The update that emailed a decision maker's response: its page is the response's.
    const response = updateId ? await responseOfUpdate(context.db, updateId) : null;
    if (response && params.slug) throw redirect(`/petitions/${params.slug}/responses/${response.id}`);
    throw new Response("Not found", { status: 404 });
  }
  const t = translator(requestLocale(request));
  return {
    words: {
      title: t("campaign.meta.pageTitle", { page: update.title, title: update.petitionTitle }),
      ownTitle: t("campaign.meta.ownWords", { text: update.title }),
      feedTitle: t("campaign.meta.feedTitle", { title: update.petitionTitle }),
    },
    language: update.language,
    url: `${context.config.appUrl}/petitions/${update.slug}/updates/${update.id}`,
    slug: update.slug,
    petitionTitle: update.petitionTitle,
    title: update.title,
    bodyHtml: update.body_html,
    publishedAt: update.published_at,
  };
}

export default function PublicUpdate() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <article className="petition-update">
      <p>
        <Link to={`/petitions/${d.slug}`}>
          ← <span lang={d.language}>{d.petitionTitle}</span>
        </Link>
      </p>
      <p className="eyebrow">{t("campaign.updates.eyebrow")}</p>
      <h1 lang={d.language}>{d.title}</h1>
      {d.publishedAt ? (
        <p className="hint">
          <Trans
            i18nKey="campaign.updates.posted"
            values={{ date: formatDate(d.publishedAt, i18n.language as Locale) }}
            components={{ 1: <time dateTime={d.publishedAt} /> }}
          />
        </p>
      ) : null}
      <div className="prose" lang={d.language} dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
      <p>
        <Link to={`/petitions/${d.slug}`}>{t("campaign.readPetition")}</Link> ·{" "}
        <a href={`/petitions/${d.slug}/updates.atom`}>{t("campaign.updates.feedShort")}</a>
      </p>
    </article>
  );
}
