/**
 * The entry point of `npm start` and `npm run dev`.
 *
 * React and Express choose their fast production code from NODE_ENV when they
 * are first loaded, so it must be "production" before anything imports them,
 * whatever the operator set. The app's own environment (the development mail
 * inbox, Secure cookies, HSTS) still follows NODE_ENV as the operator set it,
 * kept here in UNDERSIGNED_ENV: `npm start` on a laptop gets production-speed
 * rendering and the development inbox. Under `remix dev` React keeps its
 * development build, for its warnings. See docs/decisions/0001.
 */
process.env.UNDERSIGNED_ENV ??= process.env.NODE_ENV || "development";
if (!process.env.REMIX_DEV_ORIGIN) process.env.NODE_ENV = "production";
await import("./main");
export {};
