import type { AppLoadContext } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import type { PetitionStatus } from "../../db/schema";
import { requireUser } from "./session.server";
import { routeId } from "../lib/route-id";
import { getDecisionMakerSettings } from "../models/deliveries.server";
import { getPetitionForOrganizer } from "../models/organize.server";
import { getUpdateForOrganizer } from "../models/update.server";

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
  const id = routeId(idParam);
  const petition = id ? await getPetitionForOrganizer(context.db, id, user) : undefined;
  if (!petition || (!petition.access.role && !opts.moderators)) throw new Response("Not found", { status: 404 });
  return { user, petition, isOrganizer: petition.access.role !== null };
}

type RouteArgs = { request: Request; context: AppLoadContext; params: Params };

/** An update of the petition in /organize/:id/updates/:updateId, for its organizers; for anyone else it does not exist. */
export async function requireOrganizerUpdate({ request, context, params }: RouteArgs) {
  const { user, petition } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const updateId = routeId(params.updateId);
  const update = updateId ? await getUpdateForOrganizer(context.db, { updateId, userId: user.id }) : undefined;
  if (!update || update.petition_id !== petition.id) throw new Response("Not found", { status: 404 });
  return { user, petition, update };
}

/**
 * A decision maker of the petition in /organize/:id/decision-makers/:makerId, for its organizers, while the
 * petition's status is one `open` allows; otherwise 404.
 */
export async function requireOrganizerDecisionMaker(
  { request, context, params }: RouteArgs,
  open: (status: PetitionStatus) => boolean,
) {
  const { user, petition } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const makerId = routeId(params.makerId);
  const maker =
    makerId && open(petition.status) ? await getDecisionMakerSettings(context.db, petition.id, makerId) : undefined;
  if (!maker) throw new Response("Not found", { status: 404 });
  return { user, petition, maker };
}
