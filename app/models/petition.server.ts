import { sql } from "kysely";
import type { DB } from "../../db/connection";
import type { DecisionMaker, Petition, PetitionStatus } from "../../db/schema";
import { sitePauseColumn } from "./settings.server";

/** States whose page is public. A rejected petition's page shows why it was rejected. */
export const PUBLIC_STATES: readonly PetitionStatus[] = ["open", "closed", "victory", "rejected"];
/** States in which a petition takes signatures (while its closing date has not passed). */
export const SIGNABLE_STATES: readonly PetitionStatus[] = ["open"];

export type PetitionWithMakers = Petition & { decisionMakers: Pick<DecisionMaker, "name" | "role">[] };

export function isSignable(petition: Pick<Petition, "status" | "closes_at">, now = new Date()): boolean {
  return (
    SIGNABLE_STATES.includes(petition.status) && (petition.closes_at === null || petition.closes_at > now.toISOString())
  );
}

async function withDecisionMakers<P extends Petition>(
  db: DB,
  petitions: P[],
): Promise<(P & Pick<PetitionWithMakers, "decisionMakers">)[]> {
  if (petitions.length === 0) return [];
  const makers = await db
    .selectFrom("decision_makers")
    .select(["petition_id", "name", "role"])
    .where(
      "petition_id",
      "in",
      petitions.map((p) => p.id),
    )
    .orderBy("petition_id")
    .orderBy("position")
    .execute();
  return petitions.map((p) => ({
    ...p,
    decisionMakers: makers.filter((m) => m.petition_id === p.id).map(({ name, role }) => ({ name, role })),
  }));
}

/**
 * A petition whose page is public, with its decision makers and the site-wide
 * signing pause (`site_paused_message`, see pauseMessage in settings.server.ts).
 */
export async function getPublicPetitionBySlug(
  db: DB,
  slug: string,
): Promise<(PetitionWithMakers & { site_paused_message: string | null }) | undefined> {
  const petition = await db
    .selectFrom("petitions")
    .selectAll()
    .select(sitePauseColumn)
    .where("slug", "=", slug)
    .where("status", "in", PUBLIC_STATES)
    .executeTakeFirst();
  if (!petition) return undefined;
  const [withMakers] = await withDecisionMakers(db, [petition]);
  return withMakers;
}

/**
 * What the sign POST needs of a petition whose page is public, with the
 * site-wide pause, in one query (it needs neither the text nor the decision makers).
 */
export async function getPetitionForSigning(db: DB, slug: string) {
  return db
    .selectFrom("petitions")
    .select(["id", "slug", "title", "status", "closes_at", "signing_paused_message", "challenge_required_since"])
    .select(sitePauseColumn)
    .where("slug", "=", slug)
    .where("status", "in", PUBLIC_STATES)
    .executeTakeFirst();
}

/** Open petitions for the home page, most signed first. */
export async function listOpenPetitions(db: DB, now = new Date(), limit = 50): Promise<PetitionWithMakers[]> {
  const petitions = await db
    .selectFrom("petitions")
    .selectAll()
    .where("status", "in", SIGNABLE_STATES)
    .where((eb) => eb.or([eb("closes_at", "is", null), eb("closes_at", ">", now.toISOString())]))
    .orderBy("signature_count", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return withDecisionMakers(db, petitions);
}

/** The latest victories, for the home page. */
export async function listRecentVictories(db: DB, limit = 5): Promise<PetitionWithMakers[]> {
  const petitions = await db
    .selectFrom("petitions")
    .selectAll()
    .where("status", "=", "victory")
    .orderBy("victory_at", "desc")
    .limit(limit)
    .execute();
  return withDecisionMakers(db, petitions);
}

export async function countryCounts(db: DB, petitionId: number) {
  return db
    .selectFrom("country_counts")
    .select(["country", "signature_count"])
    .where("petition_id", "=", petitionId)
    .where("signature_count", ">", 0)
    .orderBy("signature_count", "desc")
    .orderBy("country")
    .execute();
}

export async function getSignatureCount(db: DB, petitionId: number): Promise<number> {
  const row = await db
    .selectFrom("petitions")
    .select("signature_count")
    .where("id", "=", petitionId)
    .executeTakeFirst();
  return row?.signature_count ?? 0;
}

export type RecountResult = { petitionId: number; slug: string; stored: number; actual: number }[];

/**
 * Recomputes every petition's total and per-country counts from confirmed
 * signatures, in one transaction, and returns the petitions that had drifted.
 */
export async function recountAll(db: DB): Promise<RecountResult> {
  return db.transaction().execute(async (trx) => {
    const actual = await trx
      .selectFrom("petitions as p")
      .leftJoin("signatures as s", (join) =>
        join.onRef("s.petition_id", "=", "p.id").on("s.status", "=", "confirmed").on("s.hold", "is", null),
      )
      .select(["p.id", "p.slug", "p.signature_count", (eb) => eb.fn.count<number>("s.id").as("actual")])
      .groupBy(["p.id", "p.slug", "p.signature_count"])
      .execute();
    const drifted: RecountResult = [];
    for (const row of actual) {
      const n = Number(row.actual);
      if (n !== row.signature_count) {
        drifted.push({ petitionId: row.id, slug: row.slug, stored: row.signature_count, actual: n });
        await trx.updateTable("petitions").set({ signature_count: n }).where("id", "=", row.id).execute();
      }
    }
    await trx.deleteFrom("country_counts").execute();
    await trx
      .insertInto("country_counts")
      .columns(["petition_id", "country", "signature_count"])
      .expression((eb) =>
        eb
          .selectFrom("signatures")
          .select(["petition_id", "country", sql<number>`count(*)`.as("signature_count")])
          .where("status", "=", "confirmed")
          .where("hold", "is", null)
          .groupBy(["petition_id", "country"]),
      )
      .execute();
    return drifted;
  });
}
