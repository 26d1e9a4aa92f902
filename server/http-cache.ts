import { createHash } from "node:crypto";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import fresh from "fresh";

/**
 * Caching headers for what Remix answers (docs/decisions/0019-caching-headers.md).
 *
 * - A response whose route set no Cache-Control is kept by no cache at all: signed-in pages, forms,
 *   redirects, a signer's own pages. A route opts in by setting one (app/lib/cache-control.ts).
 * - A response that sets a cookie is someone's own: it is never publicly cacheable, whatever its route said.
 * - A cacheable 200 gets a weak ETag made from what it shows: its body with the values every response
 *   carries of its own (the CSP nonce, form time stamps) taken out. A browser that asks again with that
 *   ETag gets a 304 and shows the copy it kept, the nonce and stamp in it included (a 304 carries no
 *   Content-Security-Policy, see server/app.ts, so the kept policy and the kept nonce still match).
 */

/** Kept by no cache: the default for everything Remix answers. */
export const NO_STORE = "private, no-store";

/** The values a response carries of its own, which the validator leaves out. */
export type PerResponse = { nonce: string; stamps: readonly string[] };

/** A weak validator for what a page shows, the same for two responses that differ only in their own values. */
export function contentEtag(body: string, own: PerResponse): string {
  let text = own.nonce ? body.replaceAll(own.nonce, "\u0000nonce\u0000") : body;
  for (const stamp of own.stamps) text = text.replaceAll(stamp, "\u0000stamp\u0000");
  return `W/"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
}

/** The Cache-Control a response goes out with: its route's, unless it has none or sets a cookie. */
export function effectiveCacheControl(headers: Headers): string {
  const given = headers.get("cache-control");
  if (!given) return NO_STORE;
  if (headers.has("set-cookie") && !/\b(private|no-store)\b/i.test(given)) return NO_STORE;
  return given;
}

/** Headers that describe a body, which a 304 has none of. */
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "transfer-encoding"];

/**
 * The response as it should go out: with its Cache-Control, and for a
 * cacheable 200 its ETag; a 304 instead when the browser's copy is current.
 */
export async function withCachingHeaders(
  req: ExpressRequest,
  res: ExpressResponse,
  response: Response,
): Promise<Response> {
  const headers = new Headers(response.headers);
  const cacheControl = effectiveCacheControl(headers);
  headers.set("Cache-Control", cacheControl);
  const validated =
    response.status === 200 &&
    (req.method === "GET" || req.method === "HEAD") &&
    response.body !== null &&
    !headers.has("etag") &&
    !/\bno-store\b/i.test(cacheControl);
  if (!validated) return new Response(response.body, { status: response.status, headers });

  // A cacheable response is a finished document (a page, a feed): reading it whole costs nothing more.
  const body = Buffer.from(await response.arrayBuffer());
  headers.set(
    "ETag",
    contentEtag(body.toString("utf8"), {
      nonce: (res.locals.cspNonce as string | undefined) ?? "",
      stamps: (res.locals.formStamps as string[] | undefined) ?? [],
    }),
  );
  if (isFresh(req, headers)) {
    for (const name of BODY_HEADERS) headers.delete(name);
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers });
}

/** Whether the browser's copy is current: its If-None-Match names this ETag (and it did not ask for a reload). */
export function isFresh(req: ExpressRequest, headers: Headers): boolean {
  return fresh(req.headers, { etag: headers.get("etag") ?? undefined });
}
