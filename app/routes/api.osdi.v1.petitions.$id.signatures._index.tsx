import type { LoaderFunctionArgs } from "@remix-run/node";
import { signatures } from "~/services/osdi.server";

/** /api/osdi/v1/petitions/:id/signatures: its confirmed signatures, a page at a time (osdi:signatures). */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  return signatures(request, context, params);
}
