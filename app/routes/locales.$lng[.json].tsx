import type { LoaderFunctionArgs } from "@remix-run/node";
import { clientCatalog, isLocale } from "../lib/i18n.server";

/**
 * The catalog the browser needs to take over a page in its language (app/entry.client.tsx), without the
 * emails' strings. Its address carries a hash of its content (`?v=`), so a browser keeps it for good and a
 * new release's catalog has a new address.
 */
export function loader({ params, request }: LoaderFunctionArgs) {
  if (!isLocale(params.lng)) throw new Response("Not found", { status: 404 });
  const catalog = clientCatalog(params.lng);
  const current = new URL(request.url).searchParams.get("v") === catalog.version;
  return new Response(catalog.json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
