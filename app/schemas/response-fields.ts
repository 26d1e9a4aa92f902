/* The limits the response and delivery forms show, without zod: the browser bundle imports this file. */
/** Limits on a response's fields and a decision maker's delivery settings, shared by the forms and the server. */
export const RESPONSE_LIMITS = {
  name: { min: 2, max: 120 },
  title: { max: 160 },
  body: { max: 20_000 },
  sourceUrl: { max: 500 },
  hideReason: { max: 1000 },
  email: { max: 254 },
  /** Counts at which a petition is sent: how many, and the largest. */
  counts: { max: 10, largest: 10_000_000 },
} as const;

/** The choices of when a petition is sent to a decision maker, as the organizer reads them. */
export const DELIVER_AT_OPTIONS = [
  { value: "goal", label: "Each time the petition reaches a goal" },
  { value: "counts", label: "At counts I choose" },
  { value: "manual", label: "Only when I press “Deliver now”" },
] as const;
