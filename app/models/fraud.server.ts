import type { ExpressionBuilder } from "kysely";
import { letOthersRun } from "../lib/event-loop";
import type { DB } from "../../db/connection";
import type { Database } from "../../db/schema";
import { canonicalEmail } from "../lib/canonical-email";
import { hashClientAddress } from "../lib/client-address.server";
import { audit } from "./audit.server";
import { countIn, countOut } from "./counts.server";
import { setSetting } from "./settings.server";

// The reading side (trending sources, suspects per petition) lives beside the pages that read it.
export { listSuspects, trendingSources, type SuspectSummary, type TrendingSource } from "./fraud-report.server";

/**
 * Fraud defences for moderators: what is trending, bulk invalidation (counted
 * first, run in batches, undoable), releasing suspects, and pausing signing.
 * Portable SQL only (docs/decisions/0003-portable-sql.md); the reasons are in
 * docs/decisions/0010-fraud-defences.md.
 *
 * Every function that changes which signatures count moves the stored counts
 * in the same transaction as the holds, so `recountAll` never finds drift.
 */

export const DEFAULT_BATCH_SIZE = 500;

type SignatureConditions = ExpressionBuilder<Database, "signatures">;

/** Which signatures a bulk invalidation takes: one petition, and at least one filter. */
export type InvalidationCriteria = {
  petitionId: number;
  /** The network's keyed hash (signatures.network_hash). */
  networkHash?: string;
  emailDomain?: string;
  /** Any spelling of the address; it is compared in its canonical form. */
  email?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** Signatures made at or after this instant (ISO-8601 UTC)... */
  from?: string;
  /** ...and before this one. */
  to?: string;
};

export class NoFilterError extends Error {
  constructor() {
    super("An invalidation needs at least one filter besides the petition");
  }
}

/** The criteria in the form they are matched and stored: canonical email, lower-case domain, upper-case country. */
export function normaliseCriteria(c: InvalidationCriteria): InvalidationCriteria {
  const clean = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());
  const domain = clean(c.emailDomain)?.replace(/^@/, "");
  const n: InvalidationCriteria = {
    petitionId: c.petitionId,
    networkHash: clean(c.networkHash)?.toLowerCase(),
    // The stored domain comes from the canonical address, so googlemail.com is stored as gmail.com.
    emailDomain: domain === undefined ? undefined : canonicalEmail(`x@${domain}`).split("@")[1],
    email: clean(c.email) === undefined ? undefined : canonicalEmail(c.email!),
    country: clean(c.country)?.toUpperCase(),
    from: clean(c.from),
    to: clean(c.to),
  };
  const filters = Object.entries(n).filter(([k, v]) => k !== "petitionId" && v !== undefined);
  if (filters.length === 0) throw new NoFilterError();
  return Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined)) as InvalidationCriteria;
}

/**
 * The network hash a moderator means: a hash as the trending list shows it,
 * or any address in the network (optionally written as its /24 or /48), hashed
 * with the server's key the way signatures' addresses are. Null if it is neither.
 */
export function networkHashFor(value: string, addressSecret: string): string | null {
  const v = value.trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(v)) return v;
  const cidr = v.match(/^(.+)\/(\d{1,3})$/);
  if (cidr && !((cidr[1].includes(":") && cidr[2] === "48") || (!cidr[1].includes(":") && cidr[2] === "24")))
    return null;
  return hashClientAddress(cidr ? cidr[1] : v, addressSecret).networkHash;
}

/** Unqualified columns, so the condition also works inside a subquery on the same table. */
function matching(eb: SignatureConditions, c: InvalidationCriteria) {
  const conditions = [eb("petition_id", "=", c.petitionId)];
  if (c.networkHash !== undefined) conditions.push(eb("network_hash", "=", c.networkHash));
  if (c.emailDomain !== undefined) conditions.push(eb("email_domain", "=", c.emailDomain));
  if (c.email !== undefined) conditions.push(eb("canonical_email", "=", c.email));
  if (c.country !== undefined) conditions.push(eb("country", "=", c.country));
  if (c.from !== undefined) conditions.push(eb("created_at", ">=", c.from));
  if (c.to !== undefined) conditions.push(eb("created_at", "<", c.to));
  return eb.and(conditions);
}

/** SUM(CASE WHEN ... THEN 1 ELSE 0 END): a conditional count both databases understand. */
function tally(eb: SignatureConditions, condition: ReturnType<SignatureConditions["and"]>) {
  return eb.fn.sum<number | string | null>(eb.case().when(condition).then(1).else(0).end());
}

// SUM over no rows is NULL, and PostgreSQL returns bigint sums and counts as strings.
const num = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

export type MatchCount = {
  /** Signatures an invalidation would take now (not already held). */
  matches: number;
  /** Of those, confirmed ones: the count falls by this much. */
  confirmed: number;
  pending: number;
  /** Signatures that match but are already held (suspect or invalidated): an invalidation leaves them. */
  alreadyHeld: number;
};

/** How many signatures the criteria match, before anything runs. */
export async function countMatches(db: DB, criteria: InvalidationCriteria): Promise<MatchCount> {
  const c = normaliseCriteria(criteria);
  const row = await db
    .selectFrom("signatures")
    .select((eb) => {
      const free = eb("hold", "is", null);
      return [
        tally(eb, eb.and([free])).as("matches"),
        tally(eb, eb.and([free, eb("status", "=", "confirmed")])).as("confirmed"),
        tally(eb, eb.and([free, eb("status", "=", "pending")])).as("pending"),
        tally(eb, eb.and([eb("hold", "is not", null)])).as("alreadyHeld"),
      ];
    })
    .where((eb) => matching(eb, c))
    .executeTakeFirstOrThrow();
  return {
    matches: num(row.matches),
    confirmed: num(row.confirmed),
    pending: num(row.pending),
    alreadyHeld: num(row.alreadyHeld),
  };
}

export type BatchProgress = { batch: number; done: number };
type BatchOptions = { batchSize?: number; now?: Date; onBatch?: (progress: BatchProgress) => void | Promise<void> };

/**
 * Runs `step` in short transactions until a batch comes back smaller than the
 * batch size. Between batches the database and the event loop are free, so
 * signing carries on while thousands of rows change.
 */
async function inBatches(db: DB, opts: BatchOptions, step: (trx: DB, batchSize: number) => Promise<number>) {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error("batchSize must be a positive integer");
  let done = 0;
  let batches = 0;
  for (;;) {
    const n = await db.transaction().execute((trx) => step(trx, batchSize));
    if (n > 0) {
      done += n;
      batches += 1;
      await opts.onBatch?.({ batch: batches, done });
    }
    if (n < batchSize) return { done, batches };
    await letOthersRun();
  }
}

/**
 * Invalidates every signature that matches and is not already held, in
 * batches: each batch holds its signatures as "invalidated" and takes the
 * confirmed ones out of the counts in one short transaction. Signatures made
 * after it starts are left alone (run it again if a flood goes on).
 */
export async function invalidateSignatures(
  db: DB,
  args: { criteria: InvalidationCriteria; moderatorId: number | null } & BatchOptions,
): Promise<{ invalidationId: number; matched: number; batches: number }> {
  const c = normaliseCriteria(args.criteria);
  const now = args.now ?? new Date();
  const startedAt = now.toISOString();
  const { petitionId, ...filters } = c;
  const { id: invalidationId } = await db
    .insertInto("invalidations")
    .values({
      petition_id: petitionId,
      criteria: JSON.stringify(filters),
      matched: 0,
      created_by: args.moderatorId,
      created_at: startedAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const { done, batches } = await inBatches(db, args, async (trx, batchSize) => {
    // Writes first (ADR 0003); the outer hold check makes PostgreSQL re-check rows a concurrent confirmation changed.
    const rows = await trx
      .updateTable("signatures")
      .set({
        hold: "invalidated",
        hold_reason: `invalidation ${invalidationId}`,
        invalidation_id: invalidationId,
        updated_at: startedAt,
      })
      .where("hold", "is", null)
      .where("petition_id", "=", petitionId)
      .where("id", "in", (eb) =>
        eb
          .selectFrom("signatures")
          .select("id")
          .where((w) => matching(w, c))
          .where("hold", "is", null)
          .where("created_at", "<=", startedAt)
          .orderBy("id")
          .limit(batchSize),
      )
      .returning(["status", "country", "confirmed_at"])
      .execute();
    await countOut(
      trx,
      petitionId,
      rows.filter((r) => r.status === "confirmed"),
    );
    if (rows.length > 0) {
      await trx
        .updateTable("invalidations")
        .set((eb) => ({ matched: eb("matched", "+", rows.length) }))
        .where("id", "=", invalidationId)
        .execute();
    }
    return rows.length;
  });

  await audit(
    db,
    {
      actorId: args.moderatorId,
      action: "signatures.invalidate",
      petitionId,
      details: { invalidationId, criteria: filters, matched: done },
    },
    now,
  );
  return { invalidationId, matched: done, batches };
}

/**
 * Reverses an invalidation of this petition, in batches: its signatures are
 * no longer held, and the confirmed ones count again (including any confirmed
 * while they were invalidated). Null if there is no such invalidation or it
 * was already undone. It is marked undone only at the end, so an undo that
 * was interrupted can simply be run again.
 */
export async function undoInvalidation(
  db: DB,
  args: { petitionId: number; invalidationId: number; moderatorId: number | null } & BatchOptions,
): Promise<{ restored: number; batches: number } | null> {
  const { petitionId, invalidationId } = args;
  const now = args.now ?? new Date();
  const invalidation = await db
    .selectFrom("invalidations")
    .select(["id", "undone_at"])
    .where("id", "=", invalidationId)
    .where("petition_id", "=", petitionId)
    .executeTakeFirst();
  if (!invalidation || invalidation.undone_at !== null) return null;

  const { done, batches } = await inBatches(db, args, async (trx, batchSize) => {
    const rows = await trx
      .updateTable("signatures")
      .set({ hold: null, hold_reason: null, invalidation_id: null, updated_at: now.toISOString() })
      .where("hold", "=", "invalidated")
      .where("invalidation_id", "=", invalidationId)
      .where("id", "in", (eb) =>
        eb
          .selectFrom("signatures")
          .select("id")
          .where("invalidation_id", "=", invalidationId)
          .where("hold", "=", "invalidated")
          .orderBy("id")
          .limit(batchSize),
      )
      .returning(["status", "country", "confirmed_at"])
      .execute();
    await countIn(
      trx,
      petitionId,
      rows.filter((r) => r.status === "confirmed"),
    );
    return rows.length;
  });

  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("invalidations")
      .set({ undone_by: args.moderatorId, undone_at: now.toISOString() })
      .where("id", "=", invalidationId)
      .where("undone_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (row) {
      await audit(
        trx,
        {
          actorId: args.moderatorId,
          action: "signatures.invalidate.undo",
          petitionId,
          details: { invalidationId, restored: done },
        },
        now,
      );
    }
  });
  // If another moderator's undo ran alongside, it marked it; the rows this one restored count either way.
  return { restored: done, batches };
}

/**
 * Lets suspect signatures count: all of a petition's, or the given ones. The
 * confirmed ones join the counts in the same transaction as their release;
 * pending ones count when confirmed, like any other.
 */
export async function releaseSuspects(
  db: DB,
  args: { petitionId: number; moderatorId: number | null; ids?: readonly number[] } & BatchOptions,
): Promise<{ released: number; counted: number }> {
  const { petitionId } = args;
  const now = args.now ?? new Date();
  if (args.ids !== undefined && args.ids.length === 0) return { released: 0, counted: 0 };
  let counted = 0;
  const { done } = await inBatches(db, args, async (trx, batchSize) => {
    const rows = await trx
      .updateTable("signatures")
      .set({ hold: null, hold_reason: null, updated_at: now.toISOString() })
      .where("hold", "=", "suspect")
      .where("petition_id", "=", petitionId)
      .where("id", "in", (eb) => {
        let q = eb
          .selectFrom("signatures")
          .select("id")
          .where("petition_id", "=", petitionId)
          .where("hold", "=", "suspect");
        if (args.ids !== undefined) q = q.where("id", "in", [...args.ids]);
        return q.orderBy("id").limit(batchSize);
      })
      .returning(["status", "country", "confirmed_at"])
      .execute();
    const confirmed = rows.filter((r) => r.status === "confirmed");
    await countIn(trx, petitionId, confirmed);
    counted += confirmed.length;
    return rows.length;
  });
  if (done > 0) {
    await audit(
      db,
      {
        actorId: args.moderatorId,
        action: "signatures.release",
        petitionId,
        details: { released: done, counted, ids: args.ids ?? "all" },
      },
      now,
    );
  }
  return { released: done, counted };
}

/** Pauses signing on one petition; its page shows the message instead of the form. False if there is no such petition. */
export async function pauseSigning(
  db: DB,
  args: { petitionId: number; message: string; moderatorId: number | null; now?: Date },
) {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("petitions")
      .set({ signing_paused_message: args.message })
      .where("id", "=", args.petitionId)
      .returning("id")
      .executeTakeFirst();
    if (!row) return false;
    await audit(
      trx,
      {
        actorId: args.moderatorId,
        action: "signing.pause",
        petitionId: args.petitionId,
        details: { message: args.message },
      },
      now,
    );
    return true;
  });
}

/** Lets one petition take signatures again. False if it was not paused. */
export async function resumeSigning(db: DB, args: { petitionId: number; moderatorId: number | null; now?: Date }) {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("petitions")
      .set({ signing_paused_message: null })
      .where("id", "=", args.petitionId)
      .where("signing_paused_message", "is not", null)
      .returning("id")
      .executeTakeFirst();
    if (!row) return false;
    await audit(trx, { actorId: args.moderatorId, action: "signing.resume", petitionId: args.petitionId }, now);
    return true;
  });
}

/** Pauses signing on every petition at once (a site-wide pause wins over a petition's own message). */
export async function pauseSigningSiteWide(db: DB, args: { message: string; moderatorId: number | null; now?: Date }) {
  const now = args.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, "signing_paused_message", args.message, now);
    await audit(
      trx,
      { actorId: args.moderatorId, action: "signing.pause_site", details: { message: args.message } },
      now,
    );
  });
}

/** Ends a site-wide pause. False if there was none. */
export async function resumeSigningSiteWide(db: DB, args: { moderatorId: number | null; now?: Date }) {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom("settings")
      .where("key", "=", "signing_paused_message")
      .returning("key")
      .executeTakeFirst();
    if (!removed) return false;
    await audit(trx, { actorId: args.moderatorId, action: "signing.resume_site" }, now);
    return true;
  });
}
