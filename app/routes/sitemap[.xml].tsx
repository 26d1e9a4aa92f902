import type { LoaderFunctionArgs } from "@remix-run/node";
import { listSitemapPetitions } from "~/models/petition.server";

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/** The home page and every published campaign (open, closed or won); drafts, hidden and rejected ones are not listed. */
export async function loader({ context }: LoaderFunctionArgs) {
  const origin = context.config.appUrl;
  const petitions = await listSitemapPetitions(context.db);
  const urls = [
    `<url><loc>${escapeXml(`${origin}/`)}</loc></url>`,
    ...petitions.map(
      (p) =>
        `<url><loc>${escapeXml(`${origin}/petitions/${p.slug}`)}</loc><lastmod>${escapeXml(p.updated_at)}</lastmod></url>`,
    ),
  ];
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
  return new Response(xml, {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
