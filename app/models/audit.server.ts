import type { DB } from "../../db/connection";

/**
 * Records who did what, when and why. Call it inside the transaction that
 * makes the change, so the log never disagrees with the data.
 */
export async function audit(
  db: DB,
  entry: {
    actorId: number | null;
    action: string;
    petitionId?: number | null;
    subjectUserId?: number | null;
    details?: Record<string, unknown>;
  },
  now = new Date(),
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      petition_id: entry.petitionId ?? null,
      subject_user_id: entry.subjectUserId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      created_at: now.toISOString(),
    })
    .execute();
}

/** Whether this petition's log already holds this action with exactly these details. */
export async function wasAudited(
  db: DB,
  entry: { action: string; petitionId: number; details: Record<string, unknown> },
): Promise<boolean> {
  const row = await db
    .selectFrom("audit_log")
    .select("id")
    .where("petition_id", "=", entry.petitionId)
    .where("action", "=", entry.action)
    .where("details", "=", JSON.stringify(entry.details))
    .executeTakeFirst();
  return row !== undefined;
}

/** The newest entries first, with the actor's and petition's names, one page at a time. */
export async function listAudit(db: DB, opts: { before?: number; limit?: number; petitionId?: number } = {}) {
  let q = db
    .selectFrom("audit_log as a")
    .leftJoin("users as actor", "actor.id", "a.actor_id")
    .leftJoin("users as subject", "subject.id", "a.subject_user_id")
    .leftJoin("petitions as p", "p.id", "a.petition_id")
    .select([
      "a.id",
      "a.action",
      "a.details",
      "a.created_at",
      "actor.email as actorEmail",
      "subject.email as subjectEmail",
      "p.title as petitionTitle",
      "p.language as petitionLanguage",
      "p.id as petitionId",
    ])
    .orderBy("a.id", "desc")
    .limit(opts.limit ?? 100);
  if (opts.before) q = q.where("a.id", "<", opts.before);
  if (opts.petitionId) q = q.where("a.petition_id", "=", opts.petitionId);
  return q.execute();
}
