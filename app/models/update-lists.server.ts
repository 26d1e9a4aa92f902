import type { DB } from "../../db/connection";
import { listPublishedUpdates, notAResponse, updatesProgress } from "./update.server";
import { PUBLISHED_STATES } from "./petition-lifecycle.server";

/** The pages that list updates: the organizer's, the moderators', the campaign page and its feed. */

/** Every update of a petition the user organizes, drafts and published, newest first, with its email's progress. */
export async function listUpdatesForOrganizer(db: DB, args: { petitionId: number; userId: number }) {
  const rows = await db
    .selectFrom("updates")
    .select(["id", "title", "status", "published_at", "email_status", "email_queued_at", "recipients", "created_at"])
    .where("petition_id", "=", args.petitionId)
    .where("petition_id", "in", (eb) =>
      eb.selectFrom("petition_organizers").select("petition_id").where("user_id", "=", args.userId),
    )
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const progress = await updatesProgress(
    db,
    rows.filter((r) => r.email_status !== "none").map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, progress: progress.get(r.id) ?? null }));
}

/** Every emailed update on the site, newest first, with its petition, who wrote it and its progress: for moderators. */
export async function listEmailedUpdates(db: DB, limit = 100) {
  const rows = await db
    .selectFrom("updates as u")
    .innerJoin("petitions as p", "p.id", "u.petition_id")
    .leftJoin("users as a", "a.id", "u.created_by")
    .select([
      "u.id",
      "u.title",
      "u.email_status",
      "u.email_queued_at",
      "u.recipients",
      "u.stopped_at",
      "p.id as petitionId",
      "p.slug",
      "p.title as petitionTitle",
      "p.language",
      "a.email as authorEmail",
    ])
    .where("u.email_status", "!=", "none")
    .orderBy("u.email_queued_at", "desc")
    .orderBy("u.id", "desc")
    .limit(limit)
    .execute();
  const progress = await updatesProgress(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, progress: progress.get(r.id)! }));
}

/** A published update on a public petition, for its own page; undefined for anything else. */
export async function getPublicUpdate(db: DB, slug: string, updateId: number) {
  return db
    .selectFrom("updates as u")
    .innerJoin("petitions as p", "p.id", "u.petition_id")
    .select(["u.id", "u.title", "u.body_html", "u.published_at", "p.slug", "p.title as petitionTitle", "p.language"])
    .where("p.slug", "=", slug)
    .where("p.status", "in", PUBLISHED_STATES)
    .where("u.id", "=", updateId)
    .where("u.status", "=", "published")
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("responses").select("responses.id").whereRef("responses.update_id", "=", "u.id"))),
    )
    .executeTakeFirst();
}

/** The titles of a petition's latest published updates, for its page. */
export async function listUpdateTitles(db: DB, petitionId: number, limit = 10) {
  return db
    .selectFrom("updates")
    .select(["id", "title", "published_at"])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "published")
    .where(notAResponse)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** A public petition and its published updates, for its Atom feed; undefined if there is no such petition. */
export async function getUpdateFeed(db: DB, slug: string) {
  const petition = await db
    .selectFrom("petitions")
    .select(["id", "slug", "title", "summary", "opened_at", "language"])
    .where("slug", "=", slug)
    .where("status", "in", PUBLISHED_STATES)
    .executeTakeFirst();
  if (!petition) return undefined;
  return { petition, updates: await listPublishedUpdates(db, petition.id) };
}
