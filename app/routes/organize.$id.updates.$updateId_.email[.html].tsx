import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { getUpdateForOrganizer, previewUpdateEmail } from "~/models/update.server";

/**
 * The update's email as HTML, for the sandboxed frame on the draft's page.
 * Its own policy lets the email's inline styles apply and nothing else run or
 * load; server/app.ts leaves this path out of the site-wide policy, whose
 * frame-ancestors 'none' would blank the frame.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, petition } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const updateId = Number(params.updateId);
  const update =
    Number.isSafeInteger(updateId) && updateId > 0
      ? await getUpdateForOrganizer(context.db, { updateId, userId: user.id })
      : undefined;
  if (!update || update.petition_id !== petition.id) throw new Response("Not found", { status: 404 });
  const { html } = previewUpdateEmail({ appUrl: context.config.appUrl }, update);
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
