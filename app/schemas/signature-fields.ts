/**
 * What the signing form shows and limits, without zod: the browser bundle
 * imports this file, the server's schema (./signature.server.ts) imports it too.
 */
export const SIGNATURE_LIMITS = { name: 100, email: 254, postcode: 16 } as const;

/**
 * The words beside the updates box: the English, and their catalog keys (the same promise in every language).
 * Change the wording, change the version.
 */
export const UPDATES_CONSENT = {
  version: "updates-v1",
  label: "Email me updates about this campaign",
  hint: "At most one email every few days from the organizers, through us. Your address is never shown to them unless you tick this box. You can stop at any time.",
  labelKey: "sign.form.updates",
  hintKey: "sign.form.updatesPromise",
} as const;

export const NAME_DISPLAY_OPTIONS = [
  { value: "hidden", label: "Don’t show my name", labelKey: "sign.form.nameDisplay.hidden" },
  {
    value: "first_initial",
    label: "Show my first name and initial (e.g. Sam T.)",
    labelKey: "sign.form.nameDisplay.firstInitial",
  },
  { value: "full", label: "Show my full name", labelKey: "sign.form.nameDisplay.full" },
] as const;

/** The hidden field that people never see and naive bots fill in. */
export const HONEYPOT_FIELD = "website";

/** The hidden field with the signed time the form was shown (app/lib/form-timing.server.ts). */
export const FORM_STAMP_FIELD = "started";

/** The hidden field the proof-of-work widget fills with its solution, when a campaign asks for one (ADR 0013). */
export const CHALLENGE_FIELD = "altcha";

export const SIGNATURE_FIELDS = ["name", "email", "country", "postcode", "nameDisplay", "updates"] as const;
export type SignatureField = (typeof SIGNATURE_FIELDS)[number];

/** The signing form's fields as the person typed them, to put back in the form, and an error beside each. */
export type SignFormValues = Partial<Record<SignatureField, string>>;
export type SignFormErrors = Partial<Record<SignatureField, string>>;
