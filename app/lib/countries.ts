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
 * The country to preselect: the petition's own country, since most signers of
 * a national petition live there (a browser's language says little about
 * where its owner lives: en-US is the default almost everywhere); failing
 * that, the region of the browser's first language that names one.
 */
export function defaultCountry(petitionCountry: string | null, acceptLanguage: string | null): string | null {
  if (petitionCountry && isCountryCode(petitionCountry)) return petitionCountry;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const region = part.trim().split(";")[0].split("-")[1]?.toUpperCase();
    if (region && isCountryCode(region)) return region;
  }
  return null;
}
