import type { LoaderFunctionArgs } from "@remix-run/node";
import { PETITION_CACHE_CONTROL, jsonResponse, petitionDocument, problemResponse } from "~/services/public-api.server";

const NOT_FOUND = "There is no listed campaign at this address.";

/**
 * One listed campaign as JSON, at /api/petitions/<slug>.json (documented at /api). Its count alone, at
 * /api/petitions/<slug>/count.json, is answered from memory in front of Remix (server/count-endpoint.ts).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const match = /^([a-z0-9-]{1,200})\.json$/.exec(params.slug ?? "");
  if (!match) return problemResponse(404, NOT_FOUND);
  const body = await petitionDocument(context.db, match[1], context.config.appUrl);
  if (!body) return problemResponse(404, NOT_FOUND);
  return jsonResponse(request, body, { cacheControl: PETITION_CACHE_CONTROL });
}
