import { z } from "zod";
import { isCountryCode } from "~/lib/countries";

/**
 * The signing form. One schema for the server's check and for the limits the
 * form shows in the browser (maxLength below comes from here too).
 */
export const SIGNATURE_LIMITS = { name: 100, email: 254, postcode: 16 } as const;

/** The words beside the updates box. Change the wording, change the version. */
export const UPDATES_CONSENT = {
  version: "updates-v1",
  label: "Email me updates about this campaign",
  hint: "At most one email every few days from the organizers, through us. Your address is never shown to them unless you tick this box. You can stop at any time.",
} as const;

// Control characters and bidi overrides have no place in a name or postcode.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text: whitespace of any kind becomes a space first, so a tab between two words is not lost with the unprintables. */
function tidy(v: string): string {
  return v.replace(/\s/g, " ").replace(UNPRINTABLE, "").replace(/\s+/g, " ").trim();
}

function text(max: number, label: string) {
  return z
    .string({ error: `Enter your ${label}` })
    .transform((v) => tidy(v.normalize("NFC")))
    .pipe(
      z
        .string()
        .min(1, `Enter your ${label}`)
        .max(max, `Your ${label} must be ${max} characters or fewer`),
    );
}

export const NAME_DISPLAY_OPTIONS = [
  { value: "hidden", label: "Don’t show my name" },
  { value: "first_initial", label: "Show my first name and initial (e.g. Sam T.)" },
  { value: "full", label: "Show my full name" },
] as const;

export const SignatureForm = z.object({
  name: text(SIGNATURE_LIMITS.name, "name"),
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .min(1, "Enter your email address")
    .max(SIGNATURE_LIMITS.email, `Your email address must be ${SIGNATURE_LIMITS.email} characters or fewer`)
    .pipe(z.email("Enter an email address like name@example.org")),
  country: z
    .string({ error: "Choose your country" })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, "Choose your country from the list"),
  postcode: z
    .string()
    .optional()
    .transform((v) => tidy(v ?? "").toUpperCase())
    .pipe(z.string().max(SIGNATURE_LIMITS.postcode, `Postcodes are ${SIGNATURE_LIMITS.postcode} characters or fewer`))
    .transform((v) => (v === "" ? null : v)),
  nameDisplay: z.enum(["full", "first_initial", "hidden"], { error: "Choose how your name may be shown" }).default("hidden"),
  // An unticked checkbox sends nothing: absent means no.
  updates: z
    .literal("yes", { error: "That answer to the updates question is not one we offered" })
    .optional()
    .transform((v) => v === "yes"),
});

export type SignatureInput = z.infer<typeof SignatureForm>;
export type SignatureField = keyof SignatureInput;

/** The hidden field that people never see and naive bots fill in. */
export const HONEYPOT_FIELD = "website";
