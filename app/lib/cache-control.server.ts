import type { HeadersFunction } from "@remix-run/node";

/**
 * How a public page (the same for every visitor: the home page, a campaign, its updates, the privacy
 * page) may be kept. Without this a route's responses are kept nowhere (server/http-cache.ts).
 *
 * Browsers keep the page and ask on every visit whether it changed; the server answers 304 while what it
 * shows has not (its ETag leaves out each response's own values). "private": every HTML response carries
 * its own CSP nonce, which a shared cache would hand to everyone. See docs/decisions/0019-caching-headers.md.
 */
export const PUBLIC_PAGE_CACHE_CONTROL = "private, no-cache";

/** A page is in the visitor's language: from the `lang` cookie if they chose one, else their browser's languages. */
export const PUBLIC_PAGE_VARY = "Accept-Language, Cookie";

export const publicPageHeaders: HeadersFunction = () => ({
  "Cache-Control": PUBLIC_PAGE_CACHE_CONTROL,
  Vary: PUBLIC_PAGE_VARY,
});
