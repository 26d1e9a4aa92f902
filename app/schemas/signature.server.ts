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

/** A line of text; `errors` are the catalog keys of its messages (the limit is written into the words). */
function text(max: number, errors: { missing: string; tooLong: string }) {
  return z
    .string({ error: errors.missing })
    .transform((v) => tidy(v.normalize("NFC")))
    .pipe(
      z
        .string()
        .min(1, errors.missing)
        .max(max, errors.tooLong)
        .refine((v) => v === "" || VISIBLE.test(v), errors.missing),
    );
}

/** The signing form as the server checks it; limits and wording live in ./signature-fields.ts. */
export const SignatureForm = z.object({
  name: text(SIGNATURE_LIMITS.name, { missing: "sign.errors.nameMissing", tooLong: "sign.errors.nameTooLong" }),
  email: z
    .string({ error: "sign.errors.emailMissing" })
    .trim()
    .min(1, "sign.errors.emailMissing")
    .max(SIGNATURE_LIMITS.email, "sign.errors.emailTooLong")
    .pipe(z.email("sign.errors.emailInvalid")),
  country: z
    .string({ error: "sign.errors.countryMissing" })
    .trim()
    .toUpperCase()
    .refine(isCountryCode, "sign.errors.countryUnknown"),
  postcode: z
    .string()
    .optional()
    .transform((v) => tidy(v ?? "").toUpperCase())
    .pipe(z.string().max(SIGNATURE_LIMITS.postcode, "sign.errors.postcodeTooLong"))
    .transform((v) => (v === "" ? null : v)),
  nameDisplay: z.enum(["full", "first_initial", "hidden"], { error: "sign.errors.nameDisplay" }).default("hidden"),
  // An unticked checkbox sends nothing: absent means no.
  updates: z
    .literal("yes", { error: "sign.errors.updates" })
    .optional()
    .transform((v) => v === "yes"),
});

export type SignatureInput = z.infer<typeof SignatureForm>;
