import type { DB } from "../../db/connection";
import type { SiteContext } from "../../emails/layout";
import { goalFor, highestGoalCrossed } from "../lib/goal";
import { audit, wasAudited } from "../models/audit.server";
import { foldCountChanges, type FoldedPetition } from "../models/counts.server";
import { deliverAtMilestones } from "../models/deliveries.server";
import { notifyOrganizers } from "../models/organizer-team.server";

/**
 * Folds the counts' waiting changes into the stored counts (app/models/counts.server.ts), and, in the same
 * transaction, tells the organizers of each petition whose count passed a goal and sends the petition to
 * each decision maker whose milestone it passed. Run by the scheduled jobs every second or so; returns how
 * many changes it folded.
 */
export function foldCounts(db: DB, site: SiteContext, now = new Date()): Promise<number> {
  return foldCountChanges(db, async (trx, petition) => {
    const goal = highestGoalCrossed(petition.before, petition.after, petition.goal);
    if (goal !== null) await notifyMilestone(trx, petition, goal, site, now);
    await deliverAtMilestones(trx, petition, site, now);
  });
}

/**
 * Tells the organizers that their petition reached a goal, once per goal: a count that falls back (a
 * withdrawal) and rises again does not tell them twice.
 */
async function notifyMilestone(db: DB, petition: FoldedPetition, count: number, site: SiteContext, now: Date) {
  const entry = { action: "petition.milestone", petitionId: petition.id, details: { signatures: count } };
  if (await wasAudited(db, entry)) return;
  await audit(db, { actorId: null, ...entry }, now);
  await notifyOrganizers(db, petition, "milestone", site, { count, nextGoal: goalFor(count, petition.goal) }, now);
}
