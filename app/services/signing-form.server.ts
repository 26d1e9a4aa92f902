import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { readForm } from "../lib/form.server";
import { LANGUAGE_PARAM, isLocale } from "../lib/i18n";
import { requestLocale } from "../lib/i18n.server";
import { sign } from "./signing.server";

/**
 * The signing form's action, for the campaign page and the widget alike: reads the form, signs through the
 * signing service, and answers a refused form with its problems (400), a campaign that stopped taking
 * signatures with 409, and everything else, whatever happened, with the same redirect to `sentTo`, so
 * nobody can learn from the answer whether an address had signed.
 */
export async function signingFormAction(
  { params, context, request }: ActionFunctionArgs,
  sentTo: (slug: string) => string,
) {
  const form = await readForm(request);
  const fields = Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === "string"));
  const result = await sign(context.db, context.config, {
    slug: params.slug ?? "",
    fields,
    clientIp: context.clientIp,
    locale: requestLocale(request),
  });
  switch (result.kind) {
    case "not-found":
      throw new Response("Not found", { status: 404 });
    case "closed":
      return data({ values: result.values, errors: {}, closed: true }, { status: 409 });
    case "invalid":
      return data({ values: result.values, errors: result.errors, closed: false }, { status: 400 });
    case "accepted":
      throw redirect(keepingLanguage(sentTo(result.slug), request));
  }
}

/**
 * `path` with the page's `?lang=` carried over, when the language was chosen that way (a shared link, the
 * widget on a Welsh site): the next page is then in the same language, with or without the cookie.
 */
export function keepingLanguage(path: string, request: Request): string {
  const lang = new URL(request.url).searchParams.get(LANGUAGE_PARAM);
  if (!isLocale(lang)) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${LANGUAGE_PARAM}=${encodeURIComponent(lang)}`;
}
