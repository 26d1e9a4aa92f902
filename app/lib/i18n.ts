import type { InitOptions } from "i18next";

/**
 * The languages every page and email is written in. Adding one is a catalog file in app/locales/ (a copy
 * of en.json, translated) and its code, name and month names (DATE_WORDS) here. Each code is what `lang`
 * attributes, `Intl` and i18next's plural rules take.
 */
export const LANGUAGES = ["en", "cy", "es"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/** Each language in its own words, as the language switcher shows it whatever the page's language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", cy: "Cymraeg", es: "Español" };

/**
 * A made-up language for finding text that bypasses the catalogs: every catalog string, its letters
 * accented and the whole wrapped in ⟦ ⟧ (app/lib/i18n.server.ts makes it from en.json). Text on a page in
 * this language that is neither so marked nor a person's own content was written into a component instead
 * of the catalog. Chosen with `?lang=en-XA`; never offered, never matched from a browser's languages.
 */
export const PSEUDO_LANGUAGE = "en-XA";

/** A language a page can be shown in: one of LANGUAGES, or the pseudo-language. */
export type Locale = Language | typeof PSEUDO_LANGUAGE;

/** The query parameter that picks a page's language (hreflang alternates and the switcher use it). */
export const LANGUAGE_PARAM = "lang";
/** The cookie that remembers a visitor's choice of language. */
export const LANGUAGE_COOKIE = "lang";

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The Set-Cookie value that remembers a choice of language for a year. */
export function languageCookieHeader(language: Language, secure: boolean): string {
  return `${LANGUAGE_COOKIE}=${language}; Path=/; Max-Age=${ONE_YEAR_S}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

export function isLocale(value: unknown): value is Locale {
  return value === PSEUDO_LANGUAGE || isLanguage(value);
}

/**
 * The page's language: the visitor's explicit choice (the `lang` query parameter, then the cookie), else
 * the first of the browser's languages (by quality) that we have, matched on its primary subtag (cy-GB is
 * Welsh), else English. Synchronous and cheap: the whole-page cache keys pages by it (server/page-cache.ts).
 */
export function chooseLocale(opts: {
  param?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  if (isLocale(opts.param)) return opts.param;
  if (isLocale(opts.cookie)) return opts.cookie;
  const wanted: { language: Language; q: number; order: number }[] = [];
  (opts.acceptLanguage ?? "").split(",").forEach((part, order) => {
    const [tag, ...params] = part.trim().split(";");
    const language = tag?.split("-")[0]?.toLowerCase();
    if (!isLanguage(language)) return;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0) wanted.push({ language, q, order });
  });
  wanted.sort((a, b) => b.q - a.q || a.order - b.order);
  return wanted[0]?.language ?? DEFAULT_LANGUAGE;
}

/** The value of the language cookie in a Cookie header, if any. */
export function languageCookie(cookieHeader: string | null | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, value] = part.trim().split("=");
    if (name === LANGUAGE_COOKIE && value) return decodeURIComponent(value);
  }
  return null;
}

/** The i18next settings the server and the browser share. */
export const I18N_OPTIONS = {
  fallbackLng: DEFAULT_LANGUAGE,
  // React escapes what it renders; emails' plain text must not be HTML-escaped.
  interpolation: { escapeValue: false },
  returnNull: false,
  // One catalog per language, nested keys ("sign.form.email") in the default namespace.
  defaultNS: "translation",
  initImmediate: false,
} satisfies InitOptions;

/** A catalog: nested objects of strings (JSON v4, plurals as key_one, key_other…). */
export type Catalog = { [key: string]: string | Catalog };

const ACCENTED: Record<string, string> = {
  a: "á", e: "é", i: "í", o: "ó", u: "ú", y: "ý", c: "ç", n: "ñ",
  A: "Á", E: "É", I: "Í", O: "Ó", U: "Ú", Y: "Ý", C: "Ç", N: "Ñ",
}; // prettier-ignore

/**
 * The pseudo-language's version of a catalog string: letters accented, wrapped in ⟦ ⟧; placeholders
 * ({{count}}), nesting ($t(…)) and tags (<1>…</1>) untouched, so it renders where the original does.
 */
export function pseudoString(text: string): string {
  const pieces = text.split(/(\{\{[^}]*\}\}|\$t\([^)]*\)|<\/?\d+\/?>)/);
  const accented = pieces.map((piece, i) =>
    i % 2 === 1 ? piece : piece.replace(/[aeiouycnAEIOUYCN]/g, (c) => ACCENTED[c] ?? c),
  );
  return `⟦${accented.join("")}⟧`;
}

export function pseudoCatalog(catalog: Catalog): Catalog {
  return Object.fromEntries(
    Object.entries(catalog).map(([key, value]) => [
      key,
      typeof value === "string" ? pseudoString(value) : pseudoCatalog(value),
    ]),
  );
}

/** The language `Intl` formats numbers in for a locale (the pseudo-language formats as English). */
export function intlLocale(locale: Locale): string {
  return locale === PSEUDO_LANGUAGE ? "en-GB" : locale === "en" ? "en-GB" : locale;
}

/** Intl's words (month names) are not the catalog's: in the pseudo-language they are marked as if they were. */
function marked(text: string, locale: Locale): string {
  return locale === PSEUDO_LANGUAGE ? pseudoString(text) : text;
}

/**
 * How each language groups the digits of a whole number, as CLDR writes it: the separator, and how many
 * digits the number must have in front of the last three before it is grouped at all (Spanish writes
 * "1234" but "12.345"). The unit test compares the result with Node's `Intl`, which carries every language.
 */
const DIGIT_GROUPS: Record<Locale, { separator: string; minimumDigits: number }> = {
  en: { separator: ",", minimumDigits: 4 },
  cy: { separator: ",", minimumDigits: 4 },
  es: { separator: ".", minimumDigits: 5 },
  [PSEUDO_LANGUAGE]: { separator: ",", minimumDigits: 4 },
};

/** Intl's number formatters, made once per language, for what is not a whole number (nothing today). */
const numberFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * A number as the page's language writes it. Whole numbers (every count and limit the site shows) are
 * grouped here rather than by `Intl.NumberFormat`: a page's first number formatter cost Chromium 35-60 ms
 * of main thread on a server-class CPU (it loads the browser's number data), before the page could
 * hydrate; a cheap phone takes several times as long. Anything else is left to `Intl`.
 */
export function formatNumber(value: number, locale: Locale): string {
  if (Number.isSafeInteger(value)) {
    const digits = String(Math.abs(value));
    const { separator, minimumDigits } = DIGIT_GROUPS[locale];
    const grouped = digits.length < minimumDigits ? digits : digits.replace(/\B(?=(\d{3})+$)/g, separator);
    return value < 0 ? `-${grouped}` : grouped;
  }
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale));
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/**
 * Month names and the order of a date's parts, per language, as CLDR writes them (the unit test compares
 * them with Node's `Intl`). Dates are not left to the browser's `Intl`: browsers carry the data of the
 * languages they choose (Chromium has no Welsh, and writes "November 1, 2026" for `cy`), and a date the
 * browser writes differently from the server breaks the page's hydration.
 */
const DATE_WORDS: Record<
  Language,
  { months: string[]; shortMonths: string[]; long: string; dayMonth: string; short: string }
> = {
  en: {
    months: [
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December",
    ],
    shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"],
    long: "{day} {month} {year}",
    dayMonth: "{day} {month}",
    short: "{day} {month}",
  },
  cy: {
    months: [
      "Ionawr",
      "Chwefror",
      "Mawrth",
      "Ebrill",
      "Mai",
      "Mehefin",
      "Gorffennaf",
      "Awst",
      "Medi",
      "Hydref",
      "Tachwedd",
      "Rhagfyr",
    ],
    shortMonths: ["Ion", "Chwef", "Maw", "Ebr", "Mai", "Meh", "Gorff", "Awst", "Medi", "Hyd", "Tach", "Rhag"],
    long: "{day} {month} {year}",
    dayMonth: "{day} {month}",
    short: "{day} {month}",
  },
  es: {
    months: [
      "enero",
      "febrero",
      "marzo",
      "abril",
      "mayo",
      "junio",
      "julio",
      "agosto",
      "septiembre",
      "octubre",
      "noviembre",
      "diciembre",
    ],
    shortMonths: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
    long: "{day} de {month} de {year}",
    dayMonth: "{day} de {month}",
    short: "{day} {month}",
  },
};

/**
 * A date or time, in UTC, as the language writes it. `long`: "1 November 2026" / "1 Tachwedd 2026" /
 * "1 de noviembre de 2026"; `dayMonth`: "1 November" / "1 de noviembre"; `short`: "1 Nov" / "1 Tach" /
 * "1 nov"; `time`: "14:05" (every language here writes the 24-hour clock so).
 */
export function formatDate(
  iso: string | Date,
  locale: Locale,
  style: "long" | "dayMonth" | "short" | "time" = "long",
): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  if (style === "time") {
    const two = (n: number) => String(n).padStart(2, "0");
    return `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`;
  }
  const words = DATE_WORDS[locale === PSEUDO_LANGUAGE ? "en" : locale];
  const month = (style === "short" ? words.shortMonths : words.months)[date.getUTCMonth()];
  const text = words[style]
    .replace("{day}", String(date.getUTCDate()))
    .replace("{month}", month)
    .replace("{year}", String(date.getUTCFullYear()));
  return marked(text, locale);
}
