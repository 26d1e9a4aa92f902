/**
 * The altcha widget's loader, in a .client module: the server's build gets an
 * empty module in its place, so the server bundle has no dynamic import().
 * (tsx rewrites a file that has one and keeps a source map of it; for the
 * whole server bundle that cost about 50 MB of resident memory, measured.)
 */
/** altcha's worker, served from this site (server/app.ts): the CSP lets scripts and workers come from 'self' only. */
const WORKER_URL = "/vendor/altcha-pbkdf2-worker.js";

/**
 * The widget's words (altcha's keys), in the page's language from our catalog (section `challenge.widget`):
 * altcha keeps its translations in a registry by language code and the widget's `language` attribute picks one.
 */
export type WidgetStrings = Record<string, string>;

/**
 * Loads the widget once, on the first campaign page that asks for it: pages
 * without the challenge never fetch it. The "external" build keeps its styles
 * in a stylesheet of their own and brings no workers of its own (the default
 * build starts them from blob: URLs, which the CSP refuses).
 */
let loading: Promise<void> | null = null;
export function loadWidget(language: string, strings: WidgetStrings): Promise<void> {
  loading ??= import("altcha/external").then(() => {
    globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(WORKER_URL));
  });
  return loading.then(() => {
    const altcha = globalThis.$altcha;
    // altcha's English beneath ours: a word we do not translate (its footer, hidden) still has one.
    altcha.i18n.set(language, { ...altcha.i18n.get("en"), ...strings });
  });
}
