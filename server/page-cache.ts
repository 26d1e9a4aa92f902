import { randomBytes } from "node:crypto";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { LRUCache } from "lru-cache";
import { defaultCountry } from "../app/lib/countries";
import { chooseLocale } from "../app/lib/i18n";
import { fillGzipTemplate, gzipTemplate, type GzipTemplate } from "./gzip-template";
import { contentEtag, effectiveCacheControl } from "./http-cache";

/**
 * Whole pages for anonymous visitors, kept in memory for PAGE_CACHE_MS, in
 * front of Remix: the home page and the campaign pages. A campaign that is
 * shared widely gets the same page asked for by a crowd, and Remix's own work
 * per request (route matching, the root loader, React) costs far more than the
 * page's data (docs/decisions/0024-whole-page-cache.md). Served from here, a page costs a lookup
 * and a copy.
 *
 * What makes a page the same for everyone it is served to:
 * - Only GET and HEAD with no Cookie header at all (a signed-in visitor sees
 *   their own header) and no query string; `.data` requests (client-side
 *   navigation) and every other path go to Remix as before.
 * - It is rendered from a request made here, not the visitor's: the address
 *   on APP_URL, and an Accept-Language that carries only the page's language
 *   (app/lib/i18n.ts chooseLocale) and the country the campaign page derives
 *   from it (the signing form's default country), both part of the key.
 *   Nothing else of the visitor's request reaches it. A visitor who chose a
 *   language has its cookie, and so is served by Remix.
 * - The two values each response needs of its own are rendered as random
 *   placeholders and replaced in every response, the first one included: the
 *   CSP nonce (helmet has already put this response's nonce in its header) and
 *   the signed time stamp of the signing form (the minimum fill time,
 *   app/lib/form-timing.server.ts). The placeholders are lowercase letters and
 *   digits, which no HTML, JSON or JavaScript escaping changes, so they appear
 *   verbatim in attributes and in the inline loader data alike.
 * - Only a 200 without Set-Cookie is kept. Requests that ask while a page is
 *   being rendered wait for that render (except for one that sets a cookie,
 *   which only its own request gets).
 *
 * The render reads the page's data afresh (its load context has the data cache
 * off), so a page served from here is at most PAGE_CACHE_MS behind the
 * database, as before.
 *
 * Each page also carries what the caching headers need (server/http-cache.ts):
 * the ETag of what it shows, made once per render, so a browser that asks again
 * with it gets a 304 without a stamp being made; and, for browsers that accept
 * gzip, the page gzipped once with gaps for the nonce and the stamp
 * (server/gzip-template.ts), so compressing a response costs a copy rather than
 * a compression (docs/decisions/0018-compression.md).
 */

/** A few campaigns at a time, times the countries their visitors come from. */
const MAX_PAGES = 300;

/** `/`, `/petitions/<slug>` and the campaign's widget, `/embed/<slug>`, exactly. */
const CACHED_PATH = /^\/(?:(?:petitions|embed)\/[a-z0-9-]+)?$/;

const placeholder = (what: string) => `pagecache${what}${randomBytes(16).toString("hex")}`;
export const PLACEHOLDERS = {
  nonce: placeholder("nonce"),
  formStamp: placeholder("stamp"),
};
type Slot = keyof typeof PLACEHOLDERS;
const SLOTS = new RegExp(`(${PLACEHOLDERS.nonce}|${PLACEHOLDERS.formStamp})`);

/** A rendered page cut at its placeholders: parts[0], slot 0's value, parts[1], ... */
type Page = {
  status: number;
  headers: [string, string][];
  parts: Buffer[];
  slots: Slot[];
  setsCookie: boolean;
  etag: string;
  /** Made for the first response that is sent gzipped, with the lengths of its values. */
  gzip: GzipTemplate | null;
};

/** Renders `path` as Remix would for a visitor with these request headers, with the placeholders as the nonce and stamp. */
export type RenderPage = (path: string, headers: Record<string, string>) => Promise<Response>;

/** Where the cache reads the time its pages expire by: performance.now() unless a test brings its own clock. */
export type Clock = { now(): number };

export function pageCache(opts: {
  ttlMs: number;
  render: RenderPage;
  formStamp: () => string;
  clock?: Clock;
}): RequestHandler {
  const pages = new LRUCache<string, Promise<Page>>({
    max: MAX_PAGES,
    ttl: opts.ttlMs,
    // A clock that a test moves on must be read every time, not once a millisecond as lru-cache does by default.
    ...(opts.clock ? { perf: opts.clock, ttlResolution: 0 } : {}),
  });

  async function renderPage(path: string, headers: Record<string, string>): Promise<Page> {
    const response = await opts.render(path, headers);
    const html = Buffer.from(await response.arrayBuffer()).toString("utf8");
    const pieces = html.split(SLOTS);
    const parts: Buffer[] = [];
    const slots: Slot[] = [];
    pieces.forEach((piece, i) => {
      if (i % 2 === 0) parts.push(Buffer.from(piece));
      else slots.push(piece === PLACEHOLDERS.nonce ? "nonce" : "formStamp");
    });
    const kept = [...response.headers.entries()].filter(([name]) => name !== "content-length");
    const cacheControl = effectiveCacheControl(response.headers);
    return {
      status: response.status,
      headers: [...kept.filter(([name]) => name !== "cache-control"), ["cache-control", cacheControl]],
      parts,
      slots,
      setsCookie: response.headers.has("set-cookie"),
      etag: contentEtag(html, { nonce: PLACEHOLDERS.nonce, stamps: [PLACEHOLDERS.formStamp] }),
      gzip: null,
    };
  }

  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.cookie !== undefined) return next();
    if (!CACHED_PATH.test(req.path) || req.url !== req.path) return next();
    const locale = chooseLocale({ acceptLanguage: req.headers["accept-language"] });
    // The home page's content does not depend on the visitor's country; the campaign page's form does.
    const country = req.path === "/" ? null : defaultCountry(req.headers["accept-language"]);
    const key = `${req.path} ${locale} ${country ?? ""}`;
    let page = pages.get(key);
    const rendersIt = page === undefined;
    if (page === undefined) {
      const rendering = renderPage(req.path, { "accept-language": country ? `${locale}-${country}` : locale });
      page = rendering;
      pages.set(key, rendering);
      const forget = () => {
        if (pages.peek(key) === rendering) pages.delete(key);
      };
      rendering.then((p) => (p.status !== 200 || p.setsCookie) && forget(), forget);
    }
    page.then(
      (p) => {
        if (p.setsCookie && !rendersIt) return next();
        send(req, res, p, {
          nonce: res.locals.cspNonce as string,
          formStamp: opts.formStamp,
        });
      },
      // A render that failed is not kept: this request goes to Remix, which shows the error as usual.
      () => next(),
    );
  };
}

/**
 * The page with this response's own nonce and a stamp made now, gzipped if
 * the browser takes gzip; or a 304 when the browser's copy is current.
 */
function send(
  req: ExpressRequest,
  res: ExpressResponse,
  page: Page,
  values: { nonce: string; formStamp: () => string },
) {
  res.status(page.status);
  for (const [name, value] of page.headers) res.append(name, value);
  res.setHeader("ETag", page.etag);
  res.vary("Accept-Encoding");
  res.vary("Accept-Language");
  if (req.fresh) {
    res.removeHeader("Content-Type");
    res.status(304).end();
    return;
  }
  let stamp: string | undefined;
  const filled = page.slots.map((slot) =>
    Buffer.from(slot === "nonce" ? values.nonce : (stamp ??= values.formStamp())),
  );
  const gzipped = acceptsGzip(req) ? gzipPage(page, filled) : null;
  if (gzipped) {
    res.setHeader("Content-Encoding", "gzip");
    res.setHeader("Content-Length", gzipped.byteLength);
    res.end(gzipped);
    return;
  }
  const body = Buffer.concat(page.parts.flatMap((part, i) => (i < filled.length ? [part, filled[i]] : [part])));
  res.setHeader("Content-Length", body.byteLength);
  res.end(body);
}

/** Only when the browser says it takes gzip: without Accept-Encoding a page goes out as it is. */
function acceptsGzip(req: ExpressRequest): boolean {
  return req.headers["accept-encoding"] !== undefined && req.acceptsEncodings("gzip") === "gzip";
}

/** The page gzipped with these values, or null if they do not fit its template (sent uncompressed then). */
function gzipPage(page: Page, values: Buffer[]): Buffer | null {
  page.gzip ??= gzipTemplate(
    page.parts,
    values.map((v) => v.byteLength),
  );
  try {
    return Buffer.concat(fillGzipTemplate(page.gzip, values));
  } catch {
    return null;
  }
}
