import { describe, expect, test } from "vitest";
import { z } from "zod";
import { translator } from "../../app/lib/i18n.server";
import { SIGNATURE_LIMITS, SignatureForm } from "../../app/schemas/signature.server";

/** The schema's messages are catalog keys: what a reader of English sees is their English text. */
const english = translator("en");

const valid = { name: "Ada Lovelace", email: "ada@example.org", country: "GB" };

/** The first error message for each field, as the form shows them. */
function errorsOf(input: unknown): Record<string, string | undefined> {
  const result = SignatureForm.safeParse(input);
  if (result.success) throw new Error(`Expected errors, got ${JSON.stringify(result.data)}`);
  const fieldErrors = z.flattenError(result.error).fieldErrors as Record<string, string[] | undefined>;
  return Object.fromEntries(Object.entries(fieldErrors).map(([k, v]) => [k, v?.[0] && english(v[0])]));
}

describe("SignatureForm: what a signer may send", () => {
  test("a signer who fills in the form properly is accepted, with defaults for what they left out", () => {
    expect(SignatureForm.parse({ ...valid, postcode: " l1 8jq " })).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.org",
      country: "GB",
      postcode: "L1 8JQ",
      nameDisplay: "hidden",
      updates: false,
    });
  });

  test("a signer who types the country code in lower case is understood", () => {
    expect(SignatureForm.parse({ ...valid, country: " gb " }).country).toBe("GB");
  });

  test("a signer who leaves out their name is asked for it", () => {
    expect(errorsOf({ ...valid, name: undefined })).toEqual({ name: "Enter your name" });
    expect(errorsOf({ ...valid, name: "   " })).toEqual({ name: "Enter your name" });
  });

  test("a signer whose name is only invisible characters is asked for it", () => {
    expect(errorsOf({ ...valid, name: "\u202e\u200f\u0007" })).toEqual({ name: "Enter your name" });
  });

  test("a signer who mistypes their email address is told what one looks like", () => {
    expect(errorsOf({ ...valid, email: "ada-at-example.org" })).toEqual({
      email: "Enter an email address like name@example.org",
    });
    expect(errorsOf({ ...valid, email: "ada@" }).email).toBe("Enter an email address like name@example.org");
    expect(errorsOf({ ...valid, email: "" }).email).toBe("Enter your email address");
  });

  test("a signer who picks a country that does not exist is asked to choose from the list", () => {
    expect(errorsOf({ ...valid, country: "ZZ" })).toEqual({ country: "Choose your country from the list" });
    expect(errorsOf({ ...valid, country: "" }).country).toBe("Choose your country from the list");
    expect(errorsOf({ ...valid, country: undefined }).country).toBe("Choose your country");
  });

  test("a signer who sends overlong answers is told the limit", () => {
    expect(SignatureForm.safeParse({ ...valid, name: "a".repeat(SIGNATURE_LIMITS.name) }).success).toBe(true);
    expect(errorsOf({ ...valid, name: "a".repeat(SIGNATURE_LIMITS.name + 1) })).toEqual({
      name: "Your name must be 100 characters or fewer",
    });
    const longEmail = `${"a".repeat(64)}@${"b".repeat(186)}.org`; // 255 characters
    expect(longEmail).toHaveLength(SIGNATURE_LIMITS.email + 1);
    expect(errorsOf({ ...valid, email: longEmail })).toEqual({
      email: "Your email address must be 254 characters or fewer",
    });
    expect(errorsOf({ ...valid, postcode: "A".repeat(SIGNATURE_LIMITS.postcode + 1) })).toEqual({
      postcode: "Postcodes are 16 characters or fewer",
    });
  });

  test("control characters and bidi overrides are taken out of a name and a postcode", () => {
    const parsed = SignatureForm.parse({
      ...valid,
      name: "\u202eAda\u0000 \u2066Lovelace\u2069\u200f",
      postcode: "L1\u0007 8JQ\u202d",
    });
    expect(parsed.name).toBe("Ada Lovelace");
    expect(parsed.postcode).toBe("L1 8JQ");
  });

  test("a signer who pastes a tab or line break between their names keeps the space between them", () => {
    expect(SignatureForm.parse({ ...valid, name: "Ada\tLovelace" }).name).toBe("Ada Lovelace");
    expect(SignatureForm.parse({ ...valid, name: "Ada\r\nKing \u00a0 Lovelace" }).name).toBe("Ada King Lovelace");
    expect(SignatureForm.parse({ ...valid, postcode: "L1\t8JQ" }).postcode).toBe("L1 8JQ");
  });

  test("a name is stored in one Unicode form, however the keyboard composed it", () => {
    const decomposed = "Zoe\u0308 Ørsted";
    expect(SignatureForm.parse({ ...valid, name: decomposed }).name).toBe("Zo\u00eb Ørsted");
  });

  test("the updates box: unticked sends nothing and means no, ticked sends yes, anything else is refused", () => {
    expect(SignatureForm.parse(valid).updates).toBe(false);
    expect(SignatureForm.parse({ ...valid, updates: "yes" }).updates).toBe(true);
    expect(errorsOf({ ...valid, updates: "on" })).toEqual({
      updates: "That answer to the updates question is not one we offered",
    });
    expect(errorsOf({ ...valid, updates: "true" }).updates).toBeDefined();
  });

  test("a signer who says nothing about their name is not shown; the three choices are accepted; others refused", () => {
    expect(SignatureForm.parse(valid).nameDisplay).toBe("hidden");
    for (const choice of ["full", "first_initial", "hidden"] as const) {
      expect(SignatureForm.parse({ ...valid, nameDisplay: choice }).nameDisplay).toBe(choice);
    }
    expect(errorsOf({ ...valid, nameDisplay: "everyone" })).toEqual({
      nameDisplay: "Choose how your name may be shown",
    });
  });

  test("an empty postcode is stored as no postcode", () => {
    expect(SignatureForm.parse({ ...valid, postcode: "  " }).postcode).toBeNull();
  });
});
