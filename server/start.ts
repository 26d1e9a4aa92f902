/**
 * The entry point of `npm start` and `npm run dev`, and of every process they
 * start (server/primary.ts).
 *
 * React and Express choose their fast production code from NODE_ENV when they
 * are first loaded, so it must be "production" before anything imports them,
 * whatever the operator set. The app's own environment (the development mail
 * inbox, Secure cookies, HSTS) still follows NODE_ENV as the operator set it,
 * kept here in UNDERSIGNED_ENV: `npm start` on a laptop gets production-speed
 * rendering and the development inbox. Under `remix dev` React keeps its
 * development build, for its warnings. See docs/decisions/0001.
 */
import cluster from "node:cluster";
import v8 from "node:v8";

/** How far V8 lets the heap grow past what survived the last full collection, in percent (see below). */
const HEAP_GROWING_PERCENT = 60;

process.env.UNDERSIGNED_ENV ??= process.env.NODE_ENV || "development";
if (!process.env.REMIX_DEV_ORIGIN) process.env.NODE_ENV = "production";

/**
 * After each full garbage collection V8 lets the old generation grow to four
 * times what survived it on a machine with gigabytes of memory (1.3 to 2 times
 * on a small device) before the next one. Under load most of that growth is
 * garbage from requests that were in flight at a minor collection: measured, a
 * live heap of 35 MB let the server reach 300-330 MB RSS. At 1.6 times it stays
 * near 220 MB; the extra full collections took well under 1% of the main thread
 * (docs/decisions/0014). V8 reads this flag at every collection, so it can be
 * set here; one given on the command line wins.
 */
if (!process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

// One entry for every process of the server (docs/decisions/0021): the primary forks the others with
// node:cluster, and each runs this file again with its part named in UNDERSIGNED_PROCESS.
if (cluster.isPrimary) await import("./primary");
else if (process.env.UNDERSIGNED_PROCESS === "mail") await (await import("./mail-worker")).runMailWorker();
else await import("./main");
export {};
