import { describe, expect, test } from "vitest";
import { defaultCountry } from "../../app/lib/countries";

describe("the country a signer's form starts at", () => {
  test("is the region of their browser's first language", () => {
    expect(defaultCountry("en-GB,en;q=0.9")).toBe("GB");
    expect(defaultCountry("en-US,en;q=0.9")).toBe("US");
    expect(defaultCountry("pt-br")).toBe("BR");
    expect(defaultCountry("zh-Hant-TW,zh;q=0.8")).toBe("TW");
    expect(defaultCountry("und-FR")).toBe("FR");
  });

  test("follows the quality values, not only the order", () => {
    expect(defaultCountry("en;q=0.5, de-AT;q=0.9")).toBe("AT");
  });

  test("is none when the first language names no country, even if a later one does", () => {
    // A German with a Firefox that lists en-US after German lives in no particular country we can tell.
    expect(defaultCountry("de,en-US;q=0.7,en;q=0.3")).toBeNull();
    expect(defaultCountry("fr, en-GB;q=0.8")).toBeNull();
    expect(defaultCountry("es-419")).toBeNull();
    expect(defaultCountry("en-u-ca-gregory")).toBeNull();
    expect(defaultCountry("*")).toBeNull();
    expect(defaultCountry("")).toBeNull();
    expect(defaultCountry(null)).toBeNull();
    expect(defaultCountry("en-ZZ")).toBeNull();
  });
});
