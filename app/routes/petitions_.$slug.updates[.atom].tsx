import type { LoaderFunctionArgs } from "@remix-run/node";
import { ATOM_CONTENT_TYPE, atomFeed } from "~/lib/atom";
import { responseHeading } from "~/components/responses";
import { requestLocale, translator } from "~/lib/i18n.server";
import { publicResponses } from "~/models/response-lists.server";
import { getUpdateFeed } from "~/models/update-lists.server";

/** A petition's published updates and its decision makers' responses as an Atom 1.0 feed, newest first. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const feed = params.slug ? await getUpdateFeed(context.db, params.slug) : undefined;
  if (!feed) throw new Response("Not found", { status: 404 });
  const { petition, updates } = feed;
  const t = translator(requestLocale(request));
  const responses = (await publicResponses(context.db, petition.id, 50)).filter((r) => !r.hidden);
  const pageUrl = `${context.config.appUrl}/petitions/${petition.slug}`;
  const entries = [
    ...updates.map((u) => {
      const url = `${pageUrl}/updates/${u.id}`;
      return {
        id: url,
        title: u.title,
        updated: u.published_at ?? u.updated_at,
        published: u.published_at ?? undefined,
        url,
        html: u.body_html,
      };
    }),
    ...responses.map((r) => {
      const url = `${pageUrl}/responses/${r.id}`;
      return {
        id: url,
        title: responseHeading(r, t),
        updated: r.publishedAt,
        published: r.publishedAt,
        url,
        html: r.bodyHtml ?? "",
        author: r.source === "organizer" ? t("campaign.feed.recordedBy", { name: r.name }) : r.name,
      };
    }),
  ].sort((a, b) => b.updated.localeCompare(a.updated));
  const xml = atomFeed({
    id: `${pageUrl}/updates.atom`,
    title: t("campaign.feed.title", { title: petition.title }),
    subtitle: petition.summary,
    updated: entries[0]?.updated ?? petition.opened_at ?? new Date(0).toISOString(),
    selfUrl: `${pageUrl}/updates.atom`,
    pageUrl,
    author: t("campaign.feed.author", { title: petition.title }),
    entries,
  });
  return new Response(xml, {
    // Its own words follow the reader's language.
    headers: {
      "Content-Type": ATOM_CONTENT_TYPE,
      "Cache-Control": "public, max-age=300",
      Vary: "Accept-Language, Cookie",
    },
  });
}
