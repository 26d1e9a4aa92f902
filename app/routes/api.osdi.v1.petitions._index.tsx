import type { LoaderFunctionArgs } from "@remix-run/node";
import { petitions } from "~/services/osdi.server";

/** /api/osdi/v1/petitions: the petitions the token's organizer organizes (osdi:petitions). */
export function loader({ request, context }: LoaderFunctionArgs) {
  return petitions(request, context);
}
