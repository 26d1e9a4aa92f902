import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { LANGUAGE_PARAM, isLanguage, languageCookieHeader, type Language } from "../lib/i18n";
import { requestLocale, translator } from "../lib/i18n.server";

const choice = z.object({
  [LANGUAGE_PARAM]: z.string().refine(isLanguage),
  // Back to the page the visitor was on: a path on this site only, never another site's address.
  to: z
    .string()
    .regex(/^\/(?![/\\])/)
    .catch("/"),
});

/**
 * The language switcher's links (app/components/language-switcher.tsx) come here: a link, so it works
 * without JavaScript. The choice is remembered in a cookie for a year and the visitor goes back to the
 * page they were on, now in that language. Choosing a language changes nothing but how pages are shown.
 */
export function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = choice.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    throw new Response(translator(requestLocale(request))("layout.unknownLanguage"), { status: 400 });
  }
  return redirect(parsed.data.to, {
    status: 303,
    headers: {
      "Set-Cookie": languageCookieHeader(parsed.data[LANGUAGE_PARAM] as Language, context.config.isProduction),
      "Cache-Control": "private, no-store",
    },
  });
}
