import type { DB } from "../../db/connection";
import type { Limit } from "../lib/signing-limits";

/** One charge: a point against the window of `key`, which lasts `limit.seconds` once it starts. */
export type Charge = { key: string; limit: Limit };

/**
 * Fixed-window counters, one row per key, in the database every process shares, so a limit holds across
 * processes and machines. A charge is an upsert that starts a new window when the old one has run out,
 * and hands back the points used in the current one. Run it inside the transaction of what it charges
 * for: the charge and the change count together, or not at all.
 *
 * Every charge of a call is one statement, whatever their number: on PostgreSQL each statement is a round
 * trip to the server, and a signature's five limits were half of its statements. The rows go in the order
 * of their keys, so two transactions charging the same keys take their row locks in the same order.
 * Returns the points used in each key's window, by key. The keys must differ.
 */
export async function chargeAll(trx: DB, charges: readonly Charge[], now = new Date()): Promise<Map<string, number>> {
  if (charges.length === 0) return new Map();
  if (new Set(charges.map((c) => c.key)).size !== charges.length) throw new Error("chargeAll: a key is charged twice");
  const nowIso = now.toISOString();
  const rows = [...charges]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key, limit }) => ({
      key,
      points: 1,
      expires_at: new Date(now.getTime() + limit.seconds * 1000).toISOString(),
    }));
  const used = await trx
    .insertInto("rate_limits")
    .values(rows)
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => {
        const lapsed = eb("rate_limits.expires_at", "<=", nowIso);
        return {
          points: eb
            .case()
            .when(lapsed)
            .then(1)
            .else(eb("rate_limits.points", "+", 1))
            .end(),
          // A new window runs for its own limit's length: the expiry this row would have been inserted with.
          expires_at: eb
            .case()
            .when(lapsed)
            .then(eb.ref("excluded.expires_at"))
            .else(eb.ref("rate_limits.expires_at"))
            .end(),
        };
      }),
    )
    .returning(["key", "points"])
    .execute();
  return new Map(used.map((r) => [r.key, r.points]));
}

/** One charge (see chargeAll): the points used in the key's window, this one included. */
export async function charge(trx: DB, key: string, limit: Limit, now = new Date()): Promise<number> {
  const points = (await chargeAll(trx, [{ key, limit }], now)).get(key);
  if (points === undefined) throw new Error(`charge: no window came back for ${key}`);
  return points;
}

/** Forgets windows that have run out (the daily retention job). */
export async function deleteLapsedLimits(db: DB, now = new Date()): Promise<number> {
  const result = await db.deleteFrom("rate_limits").where("expires_at", "<=", now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
