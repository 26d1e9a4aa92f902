import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { ResponseArticle, responseHeading } from "~/components/responses";
import { articleMeta } from "~/lib/article-meta";
import { routeId } from "~/lib/route-id";
import { getPublicResponse } from "~/models/response-lists.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  return articleMeta({ ...data.words, url: data.url, slug: data.slug });
};

/** One response on a published petition, at an address that can be shared and linked from emails. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const id = routeId(params.responseId);
  const response = params.slug && id ? await getPublicResponse(context.db, params.slug, id) : undefined;
  if (!response) throw new Response("Not found", { status: 404 });
  const { slug, petitionTitle, language, ...rest } = response;
  const t = translator(requestLocale(request));
  const heading = rest.hidden ? t("campaign.responses.hiddenHeading") : responseHeading(rest, t);
  return {
    words: {
      title: t("campaign.meta.pageTitle", { page: heading, title: petitionTitle }),
      heading,
      feedTitle: t("campaign.meta.feedTitle", { title: petitionTitle }),
    },
    language,
    url: `${context.config.appUrl}/petitions/${slug}/responses/${response.id}`,
    slug,
    petitionTitle,
    response: rest,
  };
}

export default function PublicResponse() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="petition-update">
      <p>
        <Link to={`/petitions/${d.slug}`}>
          ← <span lang={d.language}>{d.petitionTitle}</span>
        </Link>
      </p>
      <p className="eyebrow">{t("campaign.responses.eyebrow")}</p>
      {d.response.hidden ? <h1>{t("campaign.responses.hiddenHeading")}</h1> : null}
      <ResponseArticle response={d.response} headingLevel={1} />
      <p>
        <Link to={`/petitions/${d.slug}`}>{t("campaign.readPetition")}</Link> ·{" "}
        <a href={`/petitions/${d.slug}/updates.atom`}>{t("campaign.responses.feed")}</a>
      </p>
    </section>
  );
}
