import { isLanguage } from "./i18n";
import { requestLocale } from "./i18n.server";

/** The query parameter that asks for a campaign in the language its organizers wrote it in. */
export const ORIGINAL_PARAM = "original";

type Translation = { language: string; title: string; summary: string; body_html: string };

/**
 * A campaign as a reader should see it: in the organizers' translation into the page's language when
 * there is one that readers may see (approved) and the reader did not ask for the original; else as
 * written. `language` is always the language of the text given, which the page marks as its `lang`.
 */
export function inReadersLanguage<
  P extends { language: string; translatedFrom: string | null; title: string; summary?: string; bodyHtml?: string },
>(petition: P, translations: Translation[], request: Request, prepareHtml: (html: string) => string = (h) => h): P {
  const locale = requestLocale(request);
  if (!isLanguage(locale) || locale === petition.language) return petition;
  if (request.url.includes(`${ORIGINAL_PARAM}=`) && new URL(request.url).searchParams.has(ORIGINAL_PARAM))
    return petition;
  const translation = translations.find((t) => t.language === locale);
  if (!translation) return petition;
  return {
    ...petition,
    language: translation.language,
    translatedFrom: petition.language,
    title: translation.title,
    // Only what the page shows: the widget has the title alone.
    ...("summary" in petition ? { summary: translation.summary } : {}),
    ...("bodyHtml" in petition ? { bodyHtml: prepareHtml(translation.body_html) } : {}),
  };
}
