import { siteCard } from "~/services/card-image.server";

/** The site's share card, shown beside a link to the home page. */
export async function loader() {
  const png = await siteCard();
  return new Response(new Uint8Array(png), {
    headers: {
      "Content-Type": "image/png",
      "Cache-Control": "public, max-age=86400",
      "Content-Length": String(png.byteLength),
    },
  });
}
