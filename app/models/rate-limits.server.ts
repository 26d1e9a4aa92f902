import type { DB } from "../../db/connection";
import type { Limit } from "../lib/signing-limits";

/**
 * Fixed-window counters, one row per key, in the database every process shares, so a limit holds across
 * processes and machines. A charge is one upsert that starts a new window when the old one has run out,
 * and hands back the points used in the current one. Run it inside the transaction of what it charges
 * for: the charge and the change count together, or not at all.
 */
export async function charge(trx: DB, key: string, limit: Limit, now = new Date()): Promise<number> {
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + limit.seconds * 1000).toISOString();
  const row = await trx
    .insertInto("rate_limits")
    .values({ key, points: 1, expires_at: expiresAt })
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
          expires_at: eb.case().when(lapsed).then(expiresAt).else(eb.ref("rate_limits.expires_at")).end(),
        };
      }),
    )
    .returning("points")
    .executeTakeFirstOrThrow();
  return row.points;
}

/** Forgets windows that have run out (the daily retention job). */
export async function deleteLapsedLimits(db: DB, now = new Date()): Promise<number> {
  const result = await db.deleteFrom("rate_limits").where("expires_at", "<=", now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
