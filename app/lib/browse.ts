/** What the browse page and the public API can narrow and order a list of campaigns by (app/models/browse.server.ts). */

/**
 * The states a list can be narrowed to. "awaiting_response" and "responded" (a decision maker was sent the
 * petition and has not answered yet; one has answered) join these when decision makers' responses exist:
 * they are read from the responses, not stored as states, and go in stateFilter in app/models/browse.server.ts.
 */
export const BROWSE_STATES = ["open", "closed", "victory"] as const;
export type BrowseState = (typeof BROWSE_STATES)[number];

/** relevance: best match first (with a query; without one it is popular). closing_soon: open ones first, soonest first. */
export const BROWSE_SORTS = ["relevance", "popular", "recent", "closing_soon"] as const;
export type BrowseSort = (typeof BROWSE_SORTS)[number];
