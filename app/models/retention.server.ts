import { forgetOnDisk, type DB } from "../../db/connection";
import { letOthersRun } from "../lib/event-loop";
import { DAY_MS } from "../lib/tokens.server";
import { addMonths } from "../schemas/petition.server";
import { audit } from "./audit.server";
import { forgetDecisionMakerContacts, keepDeliveryOutcomes } from "./deliveries.server";
import { erasedPersonalData } from "./manage-signature.server";
import { ENDED_STATES, TAKEN_DOWN_STATES } from "./petition-lifecycle.server";
import { deleteLapsedLimits } from "./rate-limits.server";

/**
 * Forgetting on schedule (docs/decisions/0009-signer-data.md). Everything
 * here runs in batches, each batch one short transaction that starts with its
 * write, so signing elsewhere on the site carries on meanwhile; and each is
 * safe to run in two processes at once, since a batch only takes rows that are
 * still as it needs them.
 */

export const RETENTION_BATCH_SIZE = 500;
/** A pending signature is deleted once its confirmation link has been expired this long. */
export const UNCONFIRMED_KEEP_DAYS = 30;
/** Our copies of sent (or given-up) emails are deleted this long after the last try. */
export const SENT_MAIL_KEEP_DAYS = 30;
/** Sign-in links are kept this long after they expire (the hourly limit counts them), then deleted. */
export const SIGN_IN_LINK_KEEP_DAYS = 1;

export type RetentionReport = {
  /** Petitions past retention that still held personal data. */
  petitions: number;
  /** Confirmed signatures whose personal data was overwritten (they stay counted). */
  anonymised: number;
  /** Pending signatures deleted (they never counted). */
  deleted: number;
};

/** The moment before which a petition's closing puts it past retention. */
export function retentionCutoff(now: Date, months: number): string {
  return addMonths(now, -months).toISOString();
}

/**
 * Petitions that closed before `cutoffIso`: closed or won (when they closed,
 * or their closing date if the closing was not recorded), or rejected or
 * hidden (when that last changed).
 */
async function petitionsClosedBefore(db: DB, cutoffIso: string): Promise<number[]> {
  const rows = await db
    .selectFrom("petitions")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "in", ENDED_STATES), eb(eb.fn.coalesce("closed_at", "closes_at"), "<", cutoffIso)]),
        eb.and([eb("status", "in", TAKEN_DOWN_STATES), eb("updated_at", "<", cutoffIso)]),
      ]),
    )
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * For petitions that closed more than `months` ago: every confirmed
 * signature's personal data is overwritten exactly as when a signer erases
 * it, and pending signatures are deleted. Country, status, hold and
 * confirmed_at stay, so the totals, the counts by country and the counts by
 * day do not move. A dry run only counts.
 */
export async function anonymiseExpiredSignatures(
  db: DB,
  opts: { months: number; now?: Date; dryRun?: boolean; batchSize?: number },
): Promise<RetentionReport> {
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? RETENTION_BATCH_SIZE;
  const report: RetentionReport = { petitions: 0, anonymised: 0, deleted: 0 };
  for (const petitionId of await petitionsClosedBefore(db, retentionCutoff(now, opts.months))) {
    const done = opts.dryRun
      ? await countPersonalRows(db, petitionId)
      : {
          deleted: await inBatches(batchSize, () => deletePendingBatch(db, petitionId, batchSize)),
          anonymised: await inBatches(batchSize, () => anonymiseBatch(db, petitionId, batchSize, now)),
        };
    if (done.anonymised + done.deleted === 0) continue;
    report.petitions += 1;
    report.anonymised += done.anonymised;
    report.deleted += done.deleted;
    if (!opts.dryRun) {
      await audit(
        db,
        {
          actorId: null,
          action: "signatures.anonymise",
          petitionId,
          details: { anonymised: done.anonymised, deleted: done.deleted },
        },
        now,
      );
    }
  }
  return report;
}

async function countPersonalRows(db: DB, petitionId: number): Promise<{ anonymised: number; deleted: number }> {
  const rows = await db
    .selectFrom("signatures")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("petition_id", "=", petitionId)
    .where("anonymised_at", "is", null)
    .groupBy("status")
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { anonymised: count("confirmed"), deleted: count("pending") };
}

async function deletePendingBatch(db: DB, petitionId: number, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom("signatures")
    .where("id", "in", (eb) =>
      eb
        .selectFrom("signatures")
        .select("id")
        .where("petition_id", "=", petitionId)
        .where("anonymised_at", "is", null)
        .where("status", "=", "pending")
        .limit(batchSize),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function anonymiseBatch(db: DB, petitionId: number, batchSize: number, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Take the batch with a write, then give each row its own random placeholder address.
    const taken = await trx
      .updateTable("signatures")
      .set({ updated_at: now.toISOString() })
      .where("id", "in", (eb) =>
        eb
          .selectFrom("signatures")
          .select("id")
          .where("petition_id", "=", petitionId)
          .where("anonymised_at", "is", null)
          .where("status", "=", "confirmed")
          .limit(batchSize),
      )
      .returning("id")
      .execute();
    for (const { id } of taken) {
      await trx.updateTable("signatures").set(erasedPersonalData(now)).where("id", "=", id).execute();
    }
    return taken.length;
  });
}

/** Runs `batch` until a batch comes back short, letting requests in between batches; returns the total. */
async function inBatches(batchSize: number, batch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await batch();
    total += n;
    if (n < batchSize) return total;
    await letOthersRun();
  }
}

export type StaleReport = {
  /** Pending signatures whose confirmation link expired more than UNCONFIRMED_KEEP_DAYS ago. */
  unconfirmedSignatures: number;
  /** Sent or failed emails last tried more than SENT_MAIL_KEEP_DAYS ago. */
  sentEmails: number;
  /** Sign-in links expired more than SIGN_IN_LINK_KEEP_DAYS ago. */
  signInLinks: number;
  /** Sessions past their expiry. */
  sessions: number;
  /** Spent proof-of-work challenges past their expiry (an expired one is refused anyway). */
  spentChallenges: number;
  /** Signing limits' windows that have run out (their keys hold keyed hashes of addresses). */
  limitWindows: number;
};

/**
 * Things kept only while they are useful, on every petition whatever its
 * state: unconfirmed signatures (they never count), our copies of sent
 * emails (they hold names, addresses and links), used-up sign-in links,
 * sessions and spent challenges. A dry run only counts.
 */
export async function forgetStaleRecords(
  db: DB,
  opts: { now?: Date; dryRun?: boolean; batchSize?: number } = {},
): Promise<StaleReport> {
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? RETENTION_BATCH_SIZE;
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const unconfirmedBefore = before(UNCONFIRMED_KEEP_DAYS);
  const mailBefore = before(SENT_MAIL_KEEP_DAYS);
  const signInBefore = before(SIGN_IN_LINK_KEEP_DAYS);
  const nowIso = now.toISOString();

  if (opts.dryRun) {
    const count = async (q: { executeTakeFirstOrThrow: () => Promise<{ n: number | string }> }) =>
      Number((await q.executeTakeFirstOrThrow()).n);
    return {
      unconfirmedSignatures: await count(
        db
          .selectFrom("signatures")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "=", "pending")
          .where("token_expires_at", "<", unconfirmedBefore),
      ),
      sentEmails: await count(
        db
          .selectFrom("outbox")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("status", "in", ["sent", "failed"])
          .where("next_attempt_at", "<", mailBefore),
      ),
      signInLinks: await count(
        db
          .selectFrom("sign_in_tokens")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("expires_at", "<", signInBefore),
      ),
      sessions: await count(
        db
          .selectFrom("sessions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("expires_at", "<", nowIso),
      ),
      spentChallenges: await count(
        db
          .selectFrom("spent_challenges")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("expires_at", "<", nowIso),
      ),
      limitWindows: await count(
        db
          .selectFrom("rate_limits")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("expires_at", "<=", nowIso),
      ),
    };
  }

  const deleted = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  // A delivery to a decision maker keeps its email's outcome before the copy goes.
  await keepDeliveryOutcomes(db, mailBefore);
  return {
    unconfirmedSignatures: await inBatches(batchSize, async () =>
      deleted(
        await db
          .deleteFrom("signatures")
          .where("id", "in", (eb) =>
            eb
              .selectFrom("signatures")
              .select("id")
              .where("status", "=", "pending")
              .where("token_expires_at", "<", unconfirmedBefore)
              .limit(batchSize),
          )
          .executeTakeFirst(),
      ),
    ),
    // next_attempt_at is the last try for a sent or failed message, and never before it was made.
    sentEmails: await inBatches(batchSize, async () =>
      deleted(
        await db
          .deleteFrom("outbox")
          .where("id", "in", (eb) =>
            eb
              .selectFrom("outbox")
              .select("id")
              .where("status", "in", ["sent", "failed"])
              .where("next_attempt_at", "<", mailBefore)
              .limit(batchSize),
          )
          .executeTakeFirst(),
      ),
    ),
    signInLinks: deleted(
      await db.deleteFrom("sign_in_tokens").where("expires_at", "<", signInBefore).executeTakeFirst(),
    ),
    sessions: deleted(await db.deleteFrom("sessions").where("expires_at", "<", nowIso).executeTakeFirst()),
    spentChallenges: deleted(
      await db.deleteFrom("spent_challenges").where("expires_at", "<", nowIso).executeTakeFirst(),
    ),
    limitWindows: await deleteLapsedLimits(db, now),
  };
}

export type FullRetentionReport = {
  signatures: RetentionReport;
  /** Decision makers' contact addresses forgotten on petitions past retention (their response links die too). */
  decisionMakerContacts: number;
  stale: StaleReport;
};

/** The daily job and `npm run retention`: every kind of forgetting, in this order. */
export async function runRetention(
  db: DB,
  opts: { months: number; now?: Date; dryRun?: boolean },
): Promise<FullRetentionReport> {
  const now = opts.now ?? new Date();
  const report = {
    signatures: await anonymiseExpiredSignatures(db, opts),
    decisionMakerContacts: await forgetDecisionMakerContacts(
      db,
      await petitionsClosedBefore(db, retentionCutoff(now, opts.months)),
      { now, dryRun: opts.dryRun },
    ),
    stale: await forgetStaleRecords(db, opts),
  };
  if (!opts.dryRun && retentionChangedAnything(report)) forgetOnDisk(db);
  return report;
}

/** The report in words, one line each, for the job's log and the command's output. */
export function describeRetention(report: FullRetentionReport, opts: { months: number; dryRun?: boolean }): string[] {
  const verb = (done: string, would: string) => (opts.dryRun ? would : done);
  const s = report.signatures;
  const t = report.stale;
  return [
    `Petitions closed more than ${opts.months} month(s) ago with personal data: ${s.petitions}`,
    `Confirmed signatures ${verb("anonymised", "that would be anonymised")} (they stay counted): ${s.anonymised}`,
    `Pending signatures on those petitions ${verb("deleted", "that would be deleted")}: ${s.deleted}`,
    `Decision makers' contact addresses on those petitions ${verb("forgotten", "that would be forgotten")}: ${report.decisionMakerContacts}`,
    `Unconfirmed signatures whose link expired over ${UNCONFIRMED_KEEP_DAYS} days ago ${verb("deleted", "that would be deleted")}: ${t.unconfirmedSignatures}`,
    `Copies of emails sent over ${SENT_MAIL_KEEP_DAYS} days ago ${verb("deleted", "that would be deleted")}: ${t.sentEmails}`,
    `Expired sign-in links ${verb("deleted", "that would be deleted")}: ${t.signInLinks}`,
    `Expired sessions ${verb("deleted", "that would be deleted")}: ${t.sessions}`,
    `Expired spent challenges ${verb("deleted", "that would be deleted")}: ${t.spentChallenges}`,
    `Signing limits' windows that ran out ${verb("deleted", "that would be deleted")}: ${t.limitWindows}`,
  ];
}

/** Whether a report has anything in it (the daily job logs only then). */
export function retentionChangedAnything(report: FullRetentionReport): boolean {
  return (
    Object.values(report.signatures).some((n) => n > 0) ||
    report.decisionMakerContacts > 0 ||
    Object.values(report.stale).some((n) => n > 0)
  );
}
