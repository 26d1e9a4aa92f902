import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "~/services/session.server";
import { getImageForViewer, type StoredImage } from "~/models/image.server";

const YEAR_SECONDS = 31_536_000;

/**
 * A stored image. The bytes under an id never change (a new picture is a new
 * row, and ids are never reused), so browsers and caches may keep it for a year.
 * The image of a petition that is not public goes only to its organizers and
 * moderators, and only to their own browser's cache.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = /^\d{1,15}$/.test(params.id ?? "") ? Number(params.id) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound();

  // Public images, the common case, cost no session lookup.
  let image = await getImageForViewer(context.db, id, null);
  let scope = "public";
  if (!image) {
    const user = await getCurrentUser(request, context);
    image = user ? await getImageForViewer(context.db, id, user) : undefined;
    scope = "private";
  }
  if (!image) throw notFound();
  return imageResponse(request, image, scope);
}

function imageResponse(request: Request, image: StoredImage, scope: string): Response {
  const etag = `"${image.sha256}"`;
  const headers = new Headers({
    "Content-Type": image.contentType,
    "Cache-Control": `${scope}, max-age=${YEAR_SECONDS}, immutable`,
    ETag: etag,
  });
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("Content-Length", String(image.data.byteLength));
  // better-sqlite3 gives each blob its own Buffer, backed by a plain ArrayBuffer.
  return new Response(image.data as Uint8Array<ArrayBuffer>, { headers });
}

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
