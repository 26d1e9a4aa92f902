/* The limits the petition form shows, without zod: the browser bundle imports this file. */
/** Limits on a campaign's fields, shared by the form (maxLength) and the server. */
export const PETITION_LIMITS = {
  title: { min: 10, max: 120 },
  summary: { min: 20, max: 300 },
  body: { min: 50, max: 20_000 },
  makerName: { min: 2, max: 120 },
  makerRole: { max: 160 },
  makers: { max: 5 },
  goal: { min: 10, max: 10_000_000 },
  /** Months a petition may stay open; the default is 6. */
  months: { default: 6, max: 12 },
} as const;

/** The heading the campaign page puts above a petition's text; the form tells organizers so. */
export const BODY_HEADING = "Why this matters";

/** What the person typed, kept as typed, to put back in the form. */
export type PetitionFormValues = {
  title: string;
  summary: string;
  body: string;
  goal: string;
  closesOn: string;
  decisionMakers: { name: string; role: string }[];
  /** The language the campaign is written in (app/lib/i18n.ts LANGUAGES); empty: the page's language. */
  language?: string;
};

/** Errors keyed by the id of the field they belong beside (title, maker-name-0, makers, ...). */
export type PetitionFormErrors = Record<string, string>;
