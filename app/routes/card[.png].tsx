import type { LoaderFunctionArgs } from "@remix-run/node";
import { cardLocale, siteCard } from "~/services/card-image.server";

/** The site's share card, shown beside a link to the home page: in English, or the language `?lang=` names. */
export async function loader({ request }: LoaderFunctionArgs) {
  const png = await siteCard(cardLocale(request) ?? undefined);
  return new Response(new Uint8Array(png), {
    headers: {
      "Content-Type": "image/png",
      "Cache-Control": "public, max-age=86400",
      "Content-Length": String(png.byteLength),
    },
  });
}
