import type { InitOptions } from "i18next";

/**
 * The languages every page and email is written in. Adding one is a catalog file in app/locales/ (a copy
 * of en.json, translated) and its code and name here. Each code is what `lang` attributes, `Intl` and
 * i18next's plural rules take.
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

/** The language `Intl` formats numbers and dates in for a locale (the pseudo-language formats as English). */
export function intlLocale(locale: Locale): string {
  return locale === PSEUDO_LANGUAGE ? "en-GB" : locale === "en" ? "en-GB" : locale;
}

/** Intl's words (month names) are not the catalog's: in the pseudo-language they are marked as if they were. */
function marked(text: string, locale: Locale): string {
  return locale === PSEUDO_LANGUAGE ? pseudoString(text) : text;
}

/**
 * Intl's formatters, made once per language and options: making one costs far more than using it (a
 * campaign page formats dozens of numbers and dates, and building each formatter afresh was a sixth of its
 * render's CPU).
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  kind: string,
  locale: Locale,
  options: object | undefined,
  make: (intl: string) => F,
): F {
  const key = `${kind}|${locale}|${options ? JSON.stringify(options) : ""}`;
  let made = formatters.get(key) as F | undefined;
  if (!made) {
    made = make(intlLocale(locale));
    formatters.set(key, made);
  }
  return made;
}

const LONG_DATE: Intl.DateTimeFormatOptions = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };

export function formatNumber(value: number, locale: Locale): string {
  return formatter("number", locale, undefined, (intl) => new Intl.NumberFormat(intl)).format(value);
}

export function formatDate(iso: string | Date, locale: Locale, options?: Intl.DateTimeFormatOptions): string {
  const format = formatter("date", locale, options, (intl) => new Intl.DateTimeFormat(intl, options ?? LONG_DATE));
  return marked(format.format(typeof iso === "string" ? new Date(iso) : iso), locale);
}
