/* What the moderators' fraud forms show and limit, without zod: the browser bundle imports this file. */

export const PAUSE_MESSAGE_MAX = 500;
/** At most this many suspects are released by ticking boxes in one go (the page lists 50). */
export const RELEASE_IDS_MAX = 200;

/** The network field's hint, and its error: a catalog key (the page and Field translate it). */
export const NETWORK_HINT = "campaignSafety.errors.network";

export const CRITERIA_FIELDS = ["network", "domain", "email", "country", "from", "to"] as const;
export type CriteriaField = (typeof CRITERIA_FIELDS)[number];
