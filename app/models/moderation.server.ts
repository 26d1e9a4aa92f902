import type { DB } from "../../db/connection";
import type { SiteContext } from "../../emails/layout";
import { REJECTION_REASONS, type RejectionReason } from "../schemas/petition.server";
import { audit } from "./audit.server";
import { publish, uniqueSlug } from "./organize.server";
import { notifyOrganizers } from "./organizer-team.server";
import { moveTo, TRANSITIONS } from "./petition-lifecycle.server";

/** Petitions waiting for a moderator, oldest first. */
export async function listReviewQueue(db: DB) {
  const rows = await db
    .selectFrom("petitions as p")
    .leftJoin("petition_organizers as o", (j) => j.onRef("o.petition_id", "=", "p.id").on("o.role", "=", "owner"))
    .leftJoin("users as u", "u.id", "o.user_id")
    .select(["p.id", "p.title", "p.summary", "p.language", "p.submitted_at", "u.email as ownerEmail"])
    .where("p.status", "=", "in_review")
    .orderBy("p.submitted_at", "asc")
    .orderBy("p.id", "asc")
    .execute();
  return rows;
}

type Decision = { petitionId: number; moderatorId: number; site: SiteContext; now?: Date };

/** Publishes a petition that is in review. False if it is not (someone else decided first). */
export async function approvePetition(db: DB, d: Decision): Promise<boolean> {
  const now = d.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const waiting = await trx
      .selectFrom("petitions")
      .select("id")
      .where("id", "=", d.petitionId)
      .where("status", "in", TRANSITIONS.publish.from)
      .executeTakeFirst();
    if (!waiting) return false;
    const published = await publish(trx, d.petitionId, now);
    await audit(trx, { actorId: d.moderatorId, action: "petition.approve", petitionId: d.petitionId }, now);
    await notifyOrganizers(trx, published, "published", d.site, {}, now);
    return true;
  });
}

/**
 * Rejects a petition in review with a reason from the list. Unless hidden,
 * the rejection is public: the petition gets a page that shows the reason.
 */
export async function rejectPetition(
  db: DB,
  d: Decision & { reason: RejectionReason; note: string; hide: boolean },
): Promise<boolean> {
  const now = d.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom("petitions")
      .select(["id", "title"])
      .where("id", "=", d.petitionId)
      .where("status", "in", TRANSITIONS.reject.from)
      .executeTakeFirst();
    if (!p) return false;
    const slug = await uniqueSlug(trx, p.title);
    await moveTo(trx, p.id, d.hide ? "rejectHidden" : "reject", {
      now,
      set: { slug, rejection_reason: d.reason, rejection_note: d.note || null },
    });
    await audit(
      trx,
      {
        actorId: d.moderatorId,
        action: "petition.reject",
        petitionId: p.id,
        details: { reason: d.reason, note: d.note || null, hidden: d.hide },
      },
      now,
    );
    await notifyOrganizers(
      trx,
      { ...p, slug },
      "rejected",
      d.site,
      { reason: REJECTION_REASONS[d.reason], note: d.note || null },
      now,
    );
    return true;
  });
}

/** Takes any non-draft petition off the site. */
export async function hidePetition(db: DB, d: Decision & { note: string }): Promise<boolean> {
  const now = d.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const p = await moveTo(trx, d.petitionId, "hide", { now });
    if (!p) return false;
    await audit(
      trx,
      { actorId: d.moderatorId, action: "petition.hide", petitionId: p.id, details: { note: d.note || null } },
      now,
    );
    await notifyOrganizers(trx, p, "hidden", d.site, { note: d.note || null }, now);
    return true;
  });
}
