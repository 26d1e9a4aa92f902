import type { EmailLanguage } from "./layout";

/**
 * A number as the reader's language writes it. Emails do not import from app/ (the dependency rules keep
 * them the floor), so this is app/lib/i18n.ts formatNumber's rule again: English and the pseudo-language
 * format as British English.
 */
export function emailNumber(value: number, lang: EmailLanguage): string {
  const locale = lang.locale === "en" || lang.locale === "en-XA" ? "en-GB" : lang.locale;
  return new Intl.NumberFormat(locale).format(value);
}
