import { describe, expect, it } from "vitest";
import { countriesIn, countryName, sortedCountryCodes } from "../../app/lib/countries";
import { LANGUAGES, PSEUDO_LANGUAGE } from "../../app/lib/i18n";

describe("the country list's order, written down in app/lib/country-order.ts", () => {
  it.each(LANGUAGES)(
    "in %s, is the order Node's Intl sorts the names in (if not: npx tsx scripts/country-order.ts)",
    (language) => {
      expect(countriesIn(language).map((c) => c.code)).toEqual(sortedCountryCodes(language));
    },
  );

  it("puts Welsh 'Ch' after every other 'C', and an accented Spanish letter with its plain one", () => {
    const welsh = countriesIn("cy").map((c) => c.name);
    const firstCh = welsh.findIndex((name) => name.startsWith("Ch"));
    expect(firstCh).toBeGreaterThan(0);
    expect(welsh.slice(firstCh).some((name) => /^C[^h]/.test(name))).toBe(false);
    const spanish = countriesIn("es").map((c) => c.name);
    // By code points "Bélgica" would follow every name in B (é is past z); Spanish puts it before "Belice".
    expect(spanish.indexOf("Bélgica")).toBeGreaterThan(-1);
    expect(spanish.indexOf("Bélgica")).toBeLessThan(spanish.indexOf("Belice"));
  });

  it("names every country in each language, and the pseudo-language's list in English order, marked", () => {
    for (const language of LANGUAGES) {
      for (const c of countriesIn(language)) expect(c.name).toBe(countryName(c.code, language));
    }
    const english = countriesIn("en");
    const pseudo = countriesIn(PSEUDO_LANGUAGE);
    expect(pseudo.map((c) => c.code)).toEqual(english.map((c) => c.code));
    expect(pseudo[0]!.name).not.toBe(english[0]!.name);
  });
});
