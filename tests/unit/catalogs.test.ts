import { describe, expect, it } from "vitest";
import { CATALOGS } from "../../app/lib/i18n.server";
import { LANGUAGES, type Catalog } from "../../app/lib/i18n";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(catalog: Catalog, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/** What a string needs filled in and keeps as markup: {{placeholders}}, $t(nesting) and <1>tags</1>. */
function slots(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}|\$t\(([^)]*)\)|<(\/?\d+)\/?>/g)]
    .map((m) => m[0].replace(/\s+/g, ""))
    .sort();
}

const flat = Object.fromEntries(LANGUAGES.map((language) => [language, flatten(CATALOGS[language])]));
const baseKeys = (language: string) => new Set([...flat[language].keys()].map((k) => k.replace(PLURAL, "")));

describe("the catalogs", () => {
  it.each(LANGUAGES.filter((l) => l !== "en"))("%s has every key English has, and no other", (language) => {
    const english = [...baseKeys("en")].sort();
    const other = [...baseKeys(language)].sort();
    expect(
      other.filter((k) => !baseKeys("en").has(k)),
      "keys only in this catalog",
    ).toEqual([]);
    expect(
      english.filter((k) => !baseKeys(language).has(k)),
      "keys missing from this catalog",
    ).toEqual([]);
  });

  it.each(LANGUAGES)("%s gives each counted string every plural form its language has (Welsh has six)", (language) => {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    const plurals = new Map<string, Set<string>>();
    for (const key of flat[language].keys()) {
      const match = key.match(PLURAL);
      if (match)
        plurals.set(key.replace(PLURAL, ""), (plurals.get(key.replace(PLURAL, "")) ?? new Set()).add(match[1]));
    }
    for (const base of baseKeys("en")) {
      const englishCounts = [...flat.en.keys()].some((k) => k.replace(PLURAL, "") === base && PLURAL.test(k));
      if (!englishCounts) continue;
      expect([...(plurals.get(base) ?? [])].sort(), `${language}: ${base}`).toEqual([...categories].sort());
    }
  });

  it.each(LANGUAGES.filter((l) => l !== "en"))(
    "%s fills in the same placeholders and keeps the same markup as English",
    (language) => {
      for (const [key, text] of flat[language]) {
        const base = key.replace(PLURAL, "");
        const english = flat.en.get(key) ?? flat.en.get(`${base}_other`) ?? flat.en.get(base);
        if (english === undefined) continue;
        // A form for one thing (or two: Welsh "y ddau", "both") may say the number in words instead of
        // {{count}} or {{n}} (the count as the language writes numbers); every placeholder else must be there.
        const theNumber = (s: string) => PLURAL.test(key) && /^\{\{(count|n)\}\}$/.test(s);
        const wanted = slots(english).filter((s) => !theNumber(s));
        const given = slots(text).filter((s) => !theNumber(s));
        expect(given, `${language}: ${key}`).toEqual(wanted);
      }
    },
  );

  it("has no empty strings", () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of flat[language]) expect(text.trim(), `${language}: ${key}`).not.toBe("");
    }
  });
});
