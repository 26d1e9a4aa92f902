import { describe, expect, it } from "vitest";
import { LANGUAGES, PSEUDO_LANGUAGE, formatNumber, intlLocale } from "../../app/lib/i18n";

/** Every length of whole number a count can have, each edge of a group, and some below zero. */
const WHOLE = [
  0,
  1,
  9,
  10,
  99,
  100,
  999,
  1_000,
  1_234,
  9_999,
  10_000,
  12_345,
  99_999,
  100_000,
  123_456,
  999_999,
  1_000_000,
  1_234_567,
  10_000_000,
  6_100_000,
  123_456_789,
  1_234_567_890,
  Number.MAX_SAFE_INTEGER,
  -1,
  -999,
  -1_234,
  -12_345,
  -1_234_567,
];

describe("a number as each language writes it", () => {
  it.each([...LANGUAGES, PSEUDO_LANGUAGE] as const)(
    "in %s, a whole number is what CLDR (Node's Intl, which carries every language) writes",
    (language) => {
      const intl = new Intl.NumberFormat(intlLocale(language));
      for (const n of WHOLE) expect(formatNumber(n, language), String(n)).toBe(intl.format(n));
    },
  );

  it("groups English and Welsh from four digits, Spanish from five", () => {
    expect(formatNumber(1234, "en")).toBe("1,234");
    expect(formatNumber(1234, "cy")).toBe("1,234");
    expect(formatNumber(1234, "es")).toBe("1234");
    expect(formatNumber(12345, "es")).toBe("12.345");
  });

  it("leaves what is not a whole number to Intl", () => {
    expect(formatNumber(1234.5, "en")).toBe("1,234.5");
    expect(formatNumber(12345.5, "es")).toBe("12.345,5");
  });
});
