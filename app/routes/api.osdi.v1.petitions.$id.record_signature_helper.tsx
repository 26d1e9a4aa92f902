import type { ActionFunctionArgs } from "@remix-run/node";
import { helperMethodNotAllowed, recordSignature } from "~/services/osdi.server";

/** /api/osdi/v1/petitions/:id/record_signature_helper: POST a signature (osdi:record_signature_helper). */
export function loader() {
  return helperMethodNotAllowed();
}

export function action({ request, context, params }: ActionFunctionArgs) {
  return recordSignature(request, context, params);
}
