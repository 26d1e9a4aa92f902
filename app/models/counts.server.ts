import { sql, type ExpressionBuilder } from "kysely";
import type { DB } from "../../db/connection";
import type { Database, Petition } from "../../db/schema";
import { isSerializationFailure } from "../../db/dialect";

/**
 * A petition's counts: its total, by country and by day of confirmation. Everything that changes which
 * signatures count (a confirmation, a withdrawal, a moderator's invalidation, undo or release) goes through
 * countIn and countOut, in the transaction that makes the change; nothing else writes the counts.
 *
 * Why changes and not "+1": on a popular petition every confirmation would update the same row, and each
 * would wait for the one before it to commit. A change is a row of its own (count_changes), so signatures
 * never wait for each other; foldCountChanges, a job that runs every second or so, adds them into
 * petitions.signature_count, country_counts and daily_counts. Readers add the changes not yet folded, so a
 * count is exact the moment a confirmation commits (docs/decisions/0016-counting.md).
 */

/** What a signature contributes to the counts: its country, and the day it was confirmed. */
export type Counted = { country: string; confirmed_at: string | null };

/** The signatures now count (+1 each). */
export function countIn(trx: DB, petitionId: number, signatures: readonly Counted[]): Promise<void> {
  return recordChanges(trx, petitionId, signatures, 1);
}

/** The signatures no longer count (-1 each). */
export function countOut(trx: DB, petitionId: number, signatures: readonly Counted[]): Promise<void> {
  return recordChanges(trx, petitionId, signatures, -1);
}

async function recordChanges(trx: DB, petitionId: number, signatures: readonly Counted[], sign: 1 | -1) {
  if (signatures.length === 0) return;
  const groups = new Map<string, { country: string; day: string; delta: number }>();
  for (const s of signatures) {
    const day = (s.confirmed_at ?? "").slice(0, 10);
    const key = `${s.country}|${day}`;
    const group = groups.get(key) ?? { country: s.country, day, delta: 0 };
    group.delta += sign;
    groups.set(key, group);
  }
  await trx
    .insertInto("count_changes")
    .values([...groups.values()].map((g) => ({ petition_id: petitionId, ...g })))
    .execute();
}

/** Changes not yet folded, per petition: added to the stored count wherever a count is read. */
function pendingChanges(eb: ExpressionBuilder<Database, "petitions">) {
  return eb
    .selectFrom("count_changes")
    .select((c) => c.fn.coalesce(c.fn.sum<number>("count_changes.delta"), sql.lit(0)).as("delta"))
    .whereRef("count_changes.petition_id", "=", "petitions.id");
}

/**
 * The petition's count as the public sees it, for a select on `petitions`:
 * `.select(liveCount).as(...)`. Stored count plus changes not yet folded.
 */
export function liveCount(eb: ExpressionBuilder<Database, "petitions">) {
  return eb(eb.ref("petitions.signature_count"), "+", pendingChanges(eb)).as("live_count");
}

/** Reads a live_count column back as a number (PostgreSQL hands back sums as strings). */
export function withLiveCount<T extends { live_count: number | string | bigint | null }>(
  row: T,
): Omit<T, "live_count"> & { signature_count: number } {
  const { live_count, ...rest } = row;
  return { ...rest, signature_count: Number(live_count ?? 0) };
}

/** The petition's count as the public sees it. */
export async function signatureCount(db: DB, petitionId: number): Promise<number> {
  const row = await db.selectFrom("petitions").select(liveCount).where("id", "=", petitionId).executeTakeFirst();
  return Number(row?.live_count ?? 0);
}

/**
 * Signatures by country, most first, with the changes not yet folded; countries with none are left out.
 * One statement, so that a fold committing meanwhile cannot be seen half done.
 */
export async function countryCounts(
  db: DB,
  petitionId: number,
): Promise<{ country: string; signature_count: number }[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("country_counts")
        .select(["country", "signature_count as n"])
        .where("petition_id", "=", petitionId)
        .unionAll(
          eb.selectFrom("count_changes").select(["country", "delta as n"]).where("petition_id", "=", petitionId),
        )
        .as("parts"),
    )
    .select((eb) => ["parts.country", eb.fn.sum<number | string>("parts.n").as("total")])
    .groupBy("parts.country")
    .execute();
  return rows
    .map((r) => ({ country: r.country, signature_count: Number(r.total) }))
    .filter((r) => r.signature_count > 0)
    .sort((a, b) => b.signature_count - a.signature_count || a.country.localeCompare(b.country));
}

/** Confirmed, counted signatures per UTC day ("2026-11-27"), oldest first; only days that had any. One statement. */
export async function countsPerDay(db: DB, petitionId: number): Promise<{ day: string; count: number }[]> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("daily_counts")
        .select(["day", "signature_count as n"])
        .where("petition_id", "=", petitionId)
        .unionAll(eb.selectFrom("count_changes").select(["day", "delta as n"]).where("petition_id", "=", petitionId))
        .as("parts"),
    )
    .select((eb) => ["parts.day", eb.fn.sum<number | string>("parts.n").as("total")])
    .groupBy("parts.day")
    .execute();
  return rows
    .map((r) => ({ day: r.day, count: Number(r.total) }))
    .filter((r) => r.count > 0)
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** How many changes one fold takes at most, in one short transaction. */
export const FOLD_BATCH = 5000;

export type FoldedPetition = Pick<Petition, "id" | "slug" | "title" | "goal"> & { before: number; after: number };

/**
 * Folds waiting changes into the stored counts, a batch per transaction, until none are left. Safe to run
 * in several processes at once: each change is deleted by exactly one of them before it is added.
 * `onFolded` runs in each batch's transaction for every petition whose count moved (the organizers'
 * milestone emails go in the outbox there). Returns how many changes were folded.
 */
export async function foldCountChanges(
  db: DB,
  onFolded?: (trx: DB, petition: FoldedPetition) => Promise<void>,
): Promise<number> {
  let folded = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const changes = await trx
        .deleteFrom("count_changes")
        .where("id", "in", (eb) => eb.selectFrom("count_changes").select("id").orderBy("id").limit(FOLD_BATCH))
        .returning(["petition_id", "country", "day", "delta"])
        .execute();
      const totals = new Map<number, number>();
      const byCountry = new Map<string, { petition_id: number; country: string; delta: number }>();
      const byDay = new Map<string, { petition_id: number; day: string; delta: number }>();
      for (const c of changes) {
        totals.set(c.petition_id, (totals.get(c.petition_id) ?? 0) + c.delta);
        const countryKey = `${c.petition_id}|${c.country}`;
        const country = byCountry.get(countryKey) ?? { petition_id: c.petition_id, country: c.country, delta: 0 };
        country.delta += c.delta;
        byCountry.set(countryKey, country);
        const dayKey = `${c.petition_id}|${c.day}`;
        const day = byDay.get(dayKey) ?? { petition_id: c.petition_id, day: c.day, delta: 0 };
        day.delta += c.delta;
        byDay.set(dayKey, day);
      }
      const moved: FoldedPetition[] = [];
      for (const [petitionId, delta] of totals) {
        if (delta === 0) continue;
        const petition = await trx
          .updateTable("petitions")
          .set((eb) => ({ signature_count: eb("signature_count", "+", delta) }))
          .where("id", "=", petitionId)
          .returning(["id", "slug", "title", "goal", "signature_count"])
          .executeTakeFirst();
        if (petition) {
          const { signature_count: after, ...rest } = petition;
          moved.push({ ...rest, before: after - delta, after });
        }
      }
      for (const c of byCountry.values()) {
        if (c.delta === 0) continue;
        await trx
          .insertInto("country_counts")
          .values({ petition_id: c.petition_id, country: c.country, signature_count: c.delta })
          .onConflict((oc) =>
            oc
              .columns(["petition_id", "country"])
              .doUpdateSet((eb) => ({ signature_count: eb("country_counts.signature_count", "+", c.delta) })),
          )
          .execute();
      }
      for (const d of byDay.values()) {
        if (d.delta === 0) continue;
        await trx
          .insertInto("daily_counts")
          .values({ petition_id: d.petition_id, day: d.day, signature_count: d.delta })
          .onConflict((oc) =>
            oc
              .columns(["petition_id", "day"])
              .doUpdateSet((eb) => ({ signature_count: eb("daily_counts.signature_count", "+", d.delta) })),
          )
          .execute();
      }
      // A count that reached zero is no row at all, as a recount would leave it.
      if (byCountry.size > 0) await trx.deleteFrom("country_counts").where("signature_count", "<=", 0).execute();
      if (byDay.size > 0) await trx.deleteFrom("daily_counts").where("signature_count", "<=", 0).execute();
      // Last, so that what the callbacks read (a delivery's count by country) includes this batch.
      if (onFolded) for (const petition of moved) await onFolded(trx, petition);
      return changes.length;
    });
    folded += n;
    if (n < FOLD_BATCH) return folded;
  }
}

export type RecountResult = { petitionId: number; slug: string; stored: number; actual: number }[];

/**
 * Recomputes every petition's total, per-country and per-day counts from its confirmed signatures that
 * are not held, in one transaction, and returns the petitions that had drifted. The waiting changes are
 * dropped first: after a recount, the stored counts are the whole truth.
 *
 * On PostgreSQL it runs on one snapshot (repeatable read), so a confirmation that commits meanwhile is
 * neither in the recount nor dropped with the changes: its change is folded later, as usual. If a fold ran
 * into it, PostgreSQL refuses one of the two and the recount starts again.
 */
export async function recountAll(db: DB): Promise<RecountResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await recountOnce(db);
    } catch (err) {
      if (!isSerializationFailure(err) || attempt >= 5) throw err;
    }
  }
}

function recountOnce(db: DB): Promise<RecountResult> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      // What the public saw (the stored count and the changes waiting), against the confirmed signatures.
      const actual = await trx
        .selectFrom("petitions")
        .leftJoin("signatures as s", (join) =>
          join.onRef("s.petition_id", "=", "petitions.id").on("s.status", "=", "confirmed").on("s.hold", "is", null),
        )
        .select([
          "petitions.id",
          "petitions.slug",
          "petitions.signature_count",
          liveCount,
          (eb) => eb.fn.count<number | string>("s.id").as("actual"),
        ])
        .groupBy(["petitions.id", "petitions.slug", "petitions.signature_count"])
        .execute();
      await trx.deleteFrom("count_changes").execute();
      const drifted: RecountResult = [];
      for (const row of actual) {
        const n = Number(row.actual);
        const shown = Number(row.live_count);
        if (shown !== n) drifted.push({ petitionId: row.id, slug: row.slug, stored: shown, actual: n });
        if (row.signature_count !== n) {
          await trx.updateTable("petitions").set({ signature_count: n }).where("id", "=", row.id).execute();
        }
      }
      const counted = (eb: ExpressionBuilder<Database, "signatures">) =>
        eb.and([eb("status", "=", "confirmed"), eb("hold", "is", null)]);
      await trx.deleteFrom("country_counts").execute();
      await trx
        .insertInto("country_counts")
        .columns(["petition_id", "country", "signature_count"])
        .expression((eb) =>
          eb
            .selectFrom("signatures")
            .select(["petition_id", "country", sql<number>`count(*)`.as("signature_count")])
            .where(counted)
            .groupBy(["petition_id", "country"]),
        )
        .execute();
      const day = sql<string>`substr(confirmed_at, 1, 10)`;
      await trx.deleteFrom("daily_counts").execute();
      await trx
        .insertInto("daily_counts")
        .columns(["petition_id", "day", "signature_count"])
        .expression((eb) =>
          eb
            .selectFrom("signatures")
            .select(["petition_id", day.as("day"), sql<number>`count(*)`.as("signature_count")])
            .where(counted)
            .where("confirmed_at", "is not", null)
            .groupBy(["petition_id", day]),
        )
        .execute();
      return drifted;
    });
}
