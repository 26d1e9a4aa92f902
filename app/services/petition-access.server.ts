import type { AppLoadContext } from "@remix-run/node";
import { requireUser } from "./session.server";
import { getPetitionForOrganizer } from "../models/organize.server";

/**
 * The petition behind /organize/:id/..., for the signed-in user (anyone else
 * is sent to sign in). Organizers always get it; moderators and admins only
 * where `moderators` is true, to look without changing anything. For
 * everyone else it does not exist: 404, the same as a wrong id.
 */
export async function requirePetitionAccess(
  request: Request,
  context: AppLoadContext,
  idParam: string | undefined,
  opts: { moderators: boolean },
) {
  const user = await requireUser(request, context);
  const id = Number(idParam);
  const petition = Number.isSafeInteger(id) && id > 0 ? await getPetitionForOrganizer(context.db, id, user) : undefined;
  if (!petition || (!petition.access.role && !opts.moderators)) throw new Response("Not found", { status: 404 });
  return { user, petition, isOrganizer: petition.access.role !== null };
}
