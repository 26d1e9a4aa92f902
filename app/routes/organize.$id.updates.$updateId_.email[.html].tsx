import type { LoaderFunctionArgs } from "@remix-run/node";
import { emailLanguage, requestLocale } from "~/lib/i18n.server";
import { requireOrganizerUpdate } from "~/services/petition-access.server";
import { previewUpdateEmail } from "~/models/update.server";

/**
 * The update's email as HTML, for the sandboxed frame on the draft's page, in the page's language (as the
 * subscribers who read it get it).
 * Its own policy lets the email's inline styles apply and nothing else run or
 * load; server/app.ts leaves this path out of the site-wide policy, whose
 * frame-ancestors 'none' would blank the frame.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { update } = await requireOrganizerUpdate({ request, context, params });
  const { html } = previewUpdateEmail({ appUrl: context.config.appUrl }, update, emailLanguage(requestLocale(request)));
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox",
      "X-Frame-Options": "SAMEORIGIN",
      "Cache-Control": "private, no-store",
    },
  });
}
