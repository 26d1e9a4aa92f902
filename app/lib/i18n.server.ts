import { createHash } from "node:crypto";
import { createInstance, type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import cy from "../locales/cy.json";
import en from "../locales/en.json";
import es from "../locales/es.json";
import {
  I18N_OPTIONS,
  LANGUAGES,
  PSEUDO_LANGUAGE,
  chooseLocale,
  isLocale,
  languageCookie,
  pseudoCatalog,
  LANGUAGE_PARAM,
  type Catalog,
  type Language,
  type Locale,
} from "./i18n";

export const CATALOGS: Record<Locale, Catalog> = { en, cy, es, [PSEUDO_LANGUAGE]: pseudoCatalog(en) };

/**
 * One i18next instance per language, made once: each is fixed to its language, so a render, a loader
 * and an email all take theirs without creating anything per request. English is loaded beside each as
 * the fallback (a key missing from a catalog fails the catalog test before it can reach a person).
 */
const instances = new Map<Locale, i18n>();

export function i18nFor(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = createInstance();
    void instance.use(initReactI18next).init({
      ...I18N_OPTIONS,
      lng: locale,
      resources: { [locale]: { translation: CATALOGS[locale] }, en: { translation: CATALOGS.en } },
    });
    instances.set(locale, instance);
  }
  return instance;
}

/** The translate function for a language: `t("sign.form.email")`, `t("count.signatures", { count })`. */
export function translator(locale: Locale): TFunction {
  return i18nFor(locale).t;
}

/** What an email template needs of its reader's language (emails/layout.tsx EmailLanguage). */
export function emailLanguage(locale: string): { locale: Locale; t: TFunction } {
  const known = isLocale(locale) ? locale : "en";
  return { locale: known, t: translator(known) };
}

/** The page's language for a request (app/lib/i18n.ts chooseLocale). */
export function requestLocale(request: Request): Locale {
  const param = request.url.includes(`${LANGUAGE_PARAM}=`)
    ? new URL(request.url).searchParams.get(LANGUAGE_PARAM)
    : null;
  return chooseLocale({
    param,
    cookie: languageCookie(request.headers.get("cookie")),
    acceptLanguage: request.headers.get("accept-language"),
  });
}

/**
 * What the browser needs of a catalog: all of it but the emails (`email.*`), which only the server
 * renders. Served by app/routes/locales.$lng[.json].tsx at an address that changes with its content, so
 * it is cached for good.
 */
const clientCatalogs = new Map<Locale, { json: string; version: string }>();

export function clientCatalog(locale: Locale): { json: string; version: string } {
  let made = clientCatalogs.get(locale);
  if (!made) {
    const { email: _email, ...rest } = CATALOGS[locale];
    const json = JSON.stringify(rest);
    made = { json, version: createHash("sha256").update(json).digest("hex").slice(0, 12) };
    clientCatalogs.set(locale, made);
  }
  return made;
}

export function clientCatalogUrl(locale: Locale): string {
  return `/locales/${locale}.json?v=${clientCatalog(locale).version}`;
}

export { isLocale, LANGUAGES, type Language, type Locale };
