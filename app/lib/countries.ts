import countries from "i18n-iso-countries";
import cy from "i18n-iso-countries/langs/cy.json";
import en from "i18n-iso-countries/langs/en.json";
import es from "i18n-iso-countries/langs/es.json";
import { COUNTRY_ORDER } from "./country-order";
import { pseudoString, PSEUDO_LANGUAGE, type Language, type Locale } from "./i18n";

countries.registerLocale(en);
countries.registerLocale(cy);
countries.registerLocale(es);

type Country = { code: string; name: string };

const names = new Map<Locale, Record<string, string>>();

/** Names by code in a language; the pseudo-language's are the English ones, marked as if from a catalog. */
function namesIn(locale: Locale): Record<string, string> {
  let made = names.get(locale);
  if (!made) {
    const language: Language = locale === PSEUDO_LANGUAGE ? "en" : locale;
    made = countries.getNames(language, { select: "official" });
    if (locale === PSEUDO_LANGUAGE) {
      made = Object.fromEntries(Object.entries(made).map(([code, name]) => [code, pseudoString(name)]));
    }
    names.set(locale, made);
  }
  return made;
}

const lists = new Map<Locale, ReadonlyArray<Country>>();

/**
 * ISO 3166-1 alpha-2 codes with their names in a language, sorted as that language sorts them (Welsh puts
 * "Ch" after "C"; Spanish "Ñ" after "N"), for the select. The order is written down (app/lib/country-order.ts),
 * so the browser and the server draw the same list without a collator. Made once per language.
 */
export function countriesIn(locale: Locale): ReadonlyArray<Country> {
  let list = lists.get(locale);
  if (!list) {
    const language: Language = locale === PSEUDO_LANGUAGE ? "en" : locale;
    const named = namesIn(locale);
    list = COUNTRY_ORDER[language].split(" ").map((code) => ({ code, name: named[code] ?? code }));
    lists.set(locale, list);
  }
  return list;
}

/** The codes sorted by their names with Intl's collator: what scripts/country-order.ts writes down. */
export function sortedCountryCodes(language: Language): string[] {
  const collator = new Intl.Collator(language);
  return Object.entries(namesIn(language))
    .sort(([, a], [, b]) => collator.compare(a, b))
    .map(([code]) => code);
}

/** The ISO 3166-1 alpha-2 codes, taken unsorted: sorting needs a collator, which costs a browser's main thread. */
const CODES = new Set(Object.keys(namesIn("en")));

export function isCountryCode(code: string): boolean {
  return CODES.has(code);
}

/** A country's name in a language (English when none is given), or its code if it has none. */
export function countryName(code: string, locale: Locale = "en"): string {
  return namesIn(locale)[code] ?? code;
}

/**
 * The country to preselect on the signing form: the region of the visitor's
 * most preferred language (en-GB → GB, zh-Hant-TW → TW), or none, so the form
 * asks "Choose your country". Never the campaign's own country: a visitor from
 * elsewhere would have it chosen for them, and the public country table and
 * the delivered petition would count them where they do not live. A language
 * without a region (de, fr) says nothing about where its speaker is, and a
 * region further down the list is a second language, not a home.
 */
export function defaultCountry(acceptLanguage: string | null | undefined): string | null {
  let best: { tag: string; q: number } | null = null;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const [tag, ...params] = part.trim().split(";");
    if (!tag || tag === "*") continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { tag, q };
  }
  // The region follows the language and any script (en-GB, zh-Hant-TW, und-FR), before variants and extensions.
  for (const subtag of best?.tag.split("-").slice(1) ?? []) {
    if (/^[a-z]{4}$/i.test(subtag)) continue;
    const region = subtag.toUpperCase();
    return /^[A-Z]{2}$/.test(region) && isCountryCode(region) ? region : null;
  }
  return null;
}
