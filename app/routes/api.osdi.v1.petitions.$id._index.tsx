import type { LoaderFunctionArgs } from "@remix-run/node";
import { petition } from "~/services/osdi.server";

/** /api/osdi/v1/petitions/:id: one of the token's organizer's petitions (osdi:petition). */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  return petition(request, context, params);
}
