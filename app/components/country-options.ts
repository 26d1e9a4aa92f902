import { countriesIn, isCountryCode } from "~/lib/countries";
import type { Locale } from "~/lib/i18n";

/** As React escapes text and attribute values. */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]!);

/**
 * A country list's <option>s as HTML, made once per language, for a `<select dangerouslySetInnerHTML>`.
 *
 * Rendering 251 <option> elements on every campaign page was a large share of React's work on it, and of
 * the browser's hydration; React never compares the inside of a `dangerouslySetInnerHTML` element with what
 * it finds. The order comes written down (app/lib/country-order.ts), so the browser draws the list as the
 * server did even without the language's collation (Chromium has none for Welsh). The markup is what React
 * would write for the options, so the page reads and works the same, also
 * without JavaScript.
 */
const countryOptions = new Map<Locale, string>();
function countryOptionsIn(locale: Locale): string {
  let made = countryOptions.get(locale);
  if (!made) {
    made = countriesIn(locale)
      .map((c) => `<option value="${escapeHtml(c.code)}">${escapeHtml(c.name)}</option>`)
      .join("");
    countryOptions.set(locale, made);
  }
  return made;
}

/**
 * The options, after a first one with an empty value (`none`: "Choose your country", "Any country"), with
 * `code` chosen as a `selected` attribute: what React writes for a <select defaultValue>.
 */
export function countryOptionsHtml(code: string, locale: Locale, none: string): string {
  const options = countryOptionsIn(locale);
  const empty = `<option value="">${escapeHtml(none)}</option>`;
  if (code === "") return empty.replace('value=""', 'value="" selected=""') + options;
  // Anything not on the list (a refused submission can send any text) chooses nothing, and is never written out.
  if (!isCountryCode(code)) return empty + options;
  return empty + options.replace(`<option value="${code}">`, `<option value="${code}" selected="">`);
}
