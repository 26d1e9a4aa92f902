import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { csvHeader, exportFilename, signaturesCsvStream } from "~/services/signatures-export.server";
import { requestLocale, translator } from "~/lib/i18n.server";
import { audit } from "~/models/audit.server";
import { allConfirmedSignatures } from "~/models/dashboard.server";

/**
 * /organize/:id/export.csv: every confirmed signature, for the petition's
 * organizers only (moderators see counts, never this). Streamed a page of rows
 * at a time, so a million signatures take no more memory than a hundred.
 * Each download is written to the audit log: it is personal data leaving the site.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, petition } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  await audit(context.db, { actorId: user.id, action: "signatures.export", petitionId: petition.id });
  // The columns are headed in the organizer's page language; the values are left as stored.
  const header = csvHeader(translator(requestLocale(request)));
  const body = signaturesCsvStream(allConfirmedSignatures(context.db, petition.id), header, request.signal);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFilename(petition.slug)}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
