import type { DB } from "../db/connection";
import type { Config } from "./config.server";

/** What the server hands every loader and action (server/app.ts makes it). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    db: DB;
    config: Config;
    /** The Content-Security-Policy nonce for this response's scripts. */
    cspNonce: string;
    /** The client's address as Express sees it (behind a trusted proxy, the forwarded one). Never stored raw. */
    clientIp: string | null;
    /** A signed time stamp for a form handed out in this response (app/lib/form-timing.server.ts). */
    formStamp: () => string;
    /**
     * Set when the server renders its own error page for a request it refused before routing (a broken
     * address, a method the page does not take; server/request-rules.ts): app/routes/$.tsx answers with it.
     */
    statusPage?: { status: number; /** A catalog key (`statusPages.…`). */ message: string };
    /**
     * Set by app/entry.server.tsx when a loader or action could not reach the database: the server then
     * answers 503 with its own page instead of Remix's error page (server/remix-handler.ts).
     */
    databaseUnavailable?: boolean;
  }
}

export {};

// Loader and action types follow Single Fetch (docs/decisions/0002-single-fetch.md).
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
