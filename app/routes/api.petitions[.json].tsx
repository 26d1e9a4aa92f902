import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  LIST_CACHE_CONTROL,
  jsonResponse,
  petitionListDocument,
  problemResponse,
  readListParams,
} from "~/services/public-api.server";

/** The listed campaigns, a page at a time, searched and filtered as the query asks (documented at /api). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const read = readListParams(new URL(request.url).searchParams);
  if (!read.ok) return problemResponse(400, "Some of the query's parameters are not valid.", read.errors);
  const body = await petitionListDocument(context.db, read.params, context.config.appUrl);
  return jsonResponse(request, body, { cacheControl: LIST_CACHE_CONTROL });
}
