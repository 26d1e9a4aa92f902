import { sql } from "kysely";
import type { DB } from "../../db/connection";
import type { OutboxMessage } from "../../db/schema";

/**
 * The outbox statements of the mail worker (app/mail/worker.server.ts). Each
 * is one statement, so a worker in a process of its own takes SQLite's write
 * lock, which it shares with the web process, for as short a time and as few
 * times as it can: one claim and one "sent" mark per round, not one per message
 * (docs/decisions/0021-mail-worker-process.md).
 *
 * A claim is fenced by its `locked_until`: every message one worker claims in
 * one statement gets the same value, and each renewal moves them all to a new
 * one. A renewal or release only touches rows that still carry the value the
 * worker set, so a worker whose claim lapsed and was taken over never extends
 * or frees the new owner's claim.
 */

export type ClaimLimits = {
  /** At most this many messages a round in all, and at most this many of the email people are waiting for. */
  transactional: number;
  /** At most this many bulk (update) messages, and lapsed claims, a round. */
  bulk: number;
};

/**
 * The ids a claim would take now: claims that lapsed (their worker died)
 * first, then email a person is waiting for (confirmations, sign-in links),
 * then the rest (updates) in the order they fell due.
 */
function claimable(db: DB, nowIso: string, limits: ClaimLimits) {
  // Three branches, each reading only its batch from an index in order (outbox_due_idx (status,
  // next_attempt_at) and outbox_transactional_due_idx (status, update_id, next_attempt_at, id)): one OR
  // across them made SQLite collect and sort every due row, all of a million-recipient update, for each
  // claim (0.1-0.5 s a claim). The last branch may repeat ids of the second; `in` counts each once.
  return (
    db
      .selectFrom((eb) =>
        eb
          .selectFrom(
            eb
              .selectFrom("outbox")
              .select("id")
              .where("status", "=", "sending")
              .where("locked_until", "<=", nowIso)
              .orderBy("next_attempt_at")
              .orderBy("id")
              .limit(limits.bulk)
              .as("lapsed"),
          )
          .select("lapsed.id")
          .unionAll(
            eb
              .selectFrom(
                eb
                  .selectFrom("outbox")
                  .select("id")
                  .where("status", "=", "pending")
                  .where("update_id", "is", null)
                  .where("next_attempt_at", "<=", nowIso)
                  .orderBy("next_attempt_at")
                  .orderBy("id")
                  .limit(limits.transactional)
                  .as("waiting"),
              )
              .select("waiting.id"),
          )
          .unionAll(
            eb
              .selectFrom(
                eb
                  .selectFrom("outbox")
                  .select("id")
                  .where("status", "=", "pending")
                  .where("next_attempt_at", "<=", nowIso)
                  .orderBy("next_attempt_at")
                  .orderBy("id")
                  .limit(limits.bulk)
                  .as("due"),
              )
              .select("due.id"),
          )
          .as("claimable"),
      )
      .select("claimable.id")
      // When people are waiting for a full batch, bulk mail waits for the next round.
      .limit(Math.max(limits.transactional, limits.bulk))
  );
}

/**
 * Claims due messages (see claimable) in one statement. A read first: a
 * worker with nothing to do never takes the write lock. The claim then reads
 * the candidates again inside its own statement, so two workers that both saw
 * the same ones each take a different batch instead of one taking nothing.
 */
export async function claimDueMessages(
  db: DB,
  now: Date,
  lockedUntil: Date,
  limits: ClaimLimits,
): Promise<OutboxMessage[]> {
  const nowIso = now.toISOString();
  const any = await claimable(db, nowIso, { transactional: 1, bulk: 1 }).executeTakeFirst();
  if (!any) return [];
  return (
    db
      .updateTable("outbox")
      .set((eb) => ({
        status: "sending",
        attempts: eb("attempts", "+", 1),
        locked_until: lockedUntil.toISOString(),
      }))
      .where("id", "in", claimable(db, nowIso, limits))
      // Again here: in PostgreSQL another worker may have claimed some of them between the two reads. A
      // CASE, not an OR: with an OR, SQLite walked every due row to test it against the ids above.
      .where(
        sql<boolean>`case ${sql.ref("status")} when 'pending' then ${sql.ref("next_attempt_at")} <= ${nowIso} when 'sending' then ${sql.ref("locked_until")} <= ${nowIso} else false end`,
      )
      .returningAll()
      .execute()
  );
}

/**
 * Moves the lease of messages this worker still holds (claimed with
 * `heldUntil`) to `until`. Returns the ids it renewed: a message missing from
 * them was taken over by another worker after this one's claim lapsed, and
 * must not be sent by this one.
 */
export async function renewClaims(db: DB, ids: number[], heldUntil: Date, until: Date): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .updateTable("outbox")
    .set({ locked_until: until.toISOString() })
    .where("id", "in", ids)
    .where("status", "=", "sending")
    .where("locked_until", "=", heldUntil.toISOString())
    .returning("id")
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Marks messages the SMTP server accepted as sent, all in one statement. */
export async function markSent(db: DB, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  // By id alone: the server took the message, so it is sent, whoever holds the claim now.
  await db
    .updateTable("outbox")
    .set({ status: "sent", sent_at: at.toISOString(), locked_until: null, last_error: null })
    .where("id", "in", ids)
    .execute();
}

/**
 * Gives back claimed messages this worker did not send (its lease ran too
 * short to start them safely): due again at once, the attempt not counted.
 */
export async function releaseClaims(db: DB, ids: number[], heldUntil: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox")
    .set((eb) => ({ status: "pending", attempts: eb("attempts", "-", 1), locked_until: null }))
    .where("id", "in", ids)
    .where("status", "=", "sending")
    .where("locked_until", "=", heldUntil.toISOString())
    .execute();
}
