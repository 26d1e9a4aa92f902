import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json";

countries.registerLocale(en);

/** ISO 3166-1 alpha-2 codes with their English names, sorted by name for the select. */
export const COUNTRIES: ReadonlyArray<{ code: string; name: string }> = Object.entries(
  countries.getNames("en", { select: "official" }),
)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name, "en"));

const CODES = new Set(COUNTRIES.map((c) => c.code));

export function isCountryCode(code: string): boolean {
  return CODES.has(code);
}

export function countryName(code: string): string {
  return countries.getName(code, "en", { select: "official" }) ?? code;
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
