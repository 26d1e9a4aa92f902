import type { LoaderFunctionArgs } from "@remix-run/node";
import { campaignCard, cardLocale } from "~/services/card-image.server";

/**
 * The campaign's share card (app/services/card-image.server.tsx). Social sites fetch it once per shared
 * link and keep it; browsers may keep it for an hour and then ask again with its validator. Its words are in
 * the campaign's language, or the one `?lang=` names (never the fetcher's cookie or languages: a social
 * site's fetch has neither, and one card address must show everyone the same picture).
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const card = params.slug ? await campaignCard(context.db, params.slug, cardLocale(request)) : undefined;
  if (!card) throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const headers = new Headers({
    "Content-Type": "image/png",
    "Cache-Control": "public, max-age=3600",
    ETag: card.etag,
  });
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim() === card.etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Length", String(card.png.byteLength));
  return new Response(new Uint8Array(card.png), { headers });
}
