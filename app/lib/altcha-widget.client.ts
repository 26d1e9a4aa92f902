/**
 * The altcha widget's loader, in a .client module: the server's build gets an
 * empty module in its place, so the server bundle has no dynamic import().
 * (tsx rewrites a file that has one and keeps a source map of it; for the
 * whole server bundle that cost about 50 MB of resident memory, measured.)
 */
/** altcha's worker, served from this site (server/app.ts): the CSP lets scripts and workers come from 'self' only. */
const WORKER_URL = "/vendor/altcha-pbkdf2-worker.js";

/** The widget's words, plain and in our voice; it shows one of the first three beside its box. */
const STRINGS = {
  label: "Check my browser",
  verifying: "Checking your browser…",
  verified: "Browser checked",
  error: "The check did not work. You can still sign: a moderator will look at your signature before it counts.",
  expired: "The check ran out of time. Starting it again…",
  waitAlert: "Checking your browser… please wait.",
};

/**
 * Loads the widget once, on the first campaign page that asks for it: pages
 * without the challenge never fetch it. The "external" build keeps its styles
 * in a stylesheet of their own and brings no workers of its own (the default
 * build starts them from blob: URLs, which the CSP refuses).
 */
let loading: Promise<void> | null = null;
export function loadWidget(): Promise<void> {
  loading ??= import("altcha/external").then(() => {
    const altcha = globalThis.$altcha;
    altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(WORKER_URL));
    altcha.i18n.set("en", { ...altcha.i18n.get("en"), ...STRINGS });
  });
  return loading;
}
