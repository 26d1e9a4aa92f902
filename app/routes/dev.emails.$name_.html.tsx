import type { LoaderFunctionArgs } from "@remix-run/node";
import { emailLanguage, requestLocale } from "~/lib/i18n.server";
import { getEmailSample } from "~/services/email-samples.server";

/** A sample's HTML on its own, for the gallery's sandboxed frame, with a policy that lets its inline styles apply. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  if (context.config.isProduction) throw new Response("Not found", { status: 404 });
  const sample = getEmailSample(params.name ?? "");
  if (!sample) throw new Response("Not found", { status: 404 });
  return new Response(sample.render({ appUrl: context.config.appUrl }, emailLanguage(requestLocale(request))).html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
      "X-Frame-Options": "SAMEORIGIN",
    },
  });
}
