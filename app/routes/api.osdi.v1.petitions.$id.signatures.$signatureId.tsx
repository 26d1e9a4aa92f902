import type { LoaderFunctionArgs } from "@remix-run/node";
import { signature } from "~/services/osdi.server";

/** /api/osdi/v1/petitions/:id/signatures/:signatureId: one confirmed signature (osdi:signature). */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  return signature(request, context, params);
}
