/**
 * Writes app/lib/country-order.ts: the country codes in the order each of the site's languages sorts their
 * names, as Node's `Intl.Collator` (which carries every language's rules) sorts them. Run it after
 * i18n-iso-countries is upgraded or a language is added; tests/unit/country-order.test.ts fails until then.
 *
 *   npx tsx scripts/country-order.ts && npx prettier --write app/lib/country-order.ts
 */
import { writeFileSync } from "node:fs";
import { sortedCountryCodes } from "../app/lib/countries";
import { LANGUAGES } from "../app/lib/i18n";

const lines = LANGUAGES.map((language) => `  ${language}: "${sortedCountryCodes(language).join(" ")}",`);
writeFileSync(
  "app/lib/country-order.ts",
  `import type { Language } from "./i18n";

/**
 * Country codes in the order each language sorts their names (Welsh puts "Ch" after "C"; Spanish "Ñ" after
 * "N"). Written by scripts/country-order.ts from Node's Intl.Collator, not sorted at run time: a browser
 * may lack a language's collation (Chromium has none for Welsh) and would sort another way, and a
 * page's first collator costs the browser's main thread 10-20 ms.
 */
export const COUNTRY_ORDER: Record<Language, string> = {
${lines.join("\n")}
};
`,
);
console.log("Wrote app/lib/country-order.ts");
