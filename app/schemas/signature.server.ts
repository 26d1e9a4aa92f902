// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./signature-fields.ts.
import { z } from "zod";
import { isCountryCode } from "~/lib/countries";
import { SIGNATURE_LIMITS } from "./signature-fields";

export * from "./signature-fields";

// Control characters, bidi controls and lone surrogates (half a character: not text) have no place in a name or postcode.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;
/** Something a reader can see: a name of zero-width spaces or Hangul fillers shows as nothing at all. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;

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
        .max(max, `Your ${label} must be ${max} characters or fewer`)
        .refine((v) => v === "" || VISIBLE.test(v), `Enter your ${label}`),
    );
}

/** The signing form as the server checks it; limits and wording live in ./signature-fields.ts. */
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
  nameDisplay: z
    .enum(["full", "first_initial", "hidden"], { error: "Choose how your name may be shown" })
    .default("hidden"),
  // An unticked checkbox sends nothing: absent means no.
  updates: z
    .literal("yes", { error: "That answer to the updates question is not one we offered" })
    .optional()
    .transform((v) => v === "yes"),
});

export type SignatureInput = z.infer<typeof SignatureForm>;
