import type { LoaderFunctionArgs } from "@remix-run/node";
import { similarPetitions } from "~/models/browse.server";

/**
 * `GET /start/similar?title=...`: the listed campaigns like a title being written, for the start form's
 * suggestions (app/components/similar-campaigns.tsx). Public data only, as on /petitions.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const title = new URL(request.url).searchParams.get("title") ?? "";
  const petitions = await similarPetitions(context.db, title);
  return Response.json({ petitions }, { headers: { "Cache-Control": "private, max-age=60" } });
}
