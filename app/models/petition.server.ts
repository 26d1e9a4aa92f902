import type { DB } from "../../db/connection";
import type { DecisionMaker, Petition } from "../../db/schema";
import { liveCount, withLiveCount } from "./counts.server";
import { PUBLIC_STATES, SIGNABLE_STATES } from "./petition-lifecycle.server";
import { sitePauseColumn } from "./settings.server";

export type PetitionWithMakers = Petition & { decisionMakers: Pick<DecisionMaker, "name" | "role">[] };

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
  const row = await db
    .selectFrom("petitions")
    .selectAll()
    .select([sitePauseColumn, liveCount])
    .where("slug", "=", slug)
    .where("status", "in", PUBLIC_STATES)
    .executeTakeFirst();
  if (!row) return undefined;
  const petition = withLiveCount(row);
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
    .select([
      "id",
      "slug",
      "title",
      "language",
      "status",
      "closes_at",
      "signing_paused_message",
      "challenge_required_since",
    ])
    .select(sitePauseColumn)
    .where("slug", "=", slug)
    .where("status", "in", PUBLIC_STATES)
    .executeTakeFirst();
}

/** Open petitions for the home page, most signed first. */
export async function listOpenPetitions(db: DB, now = new Date(), limit = 50): Promise<PetitionWithMakers[]> {
  const rows = await db
    .selectFrom("petitions")
    .selectAll()
    .select(liveCount)
    .where("status", "in", SIGNABLE_STATES)
    .where((eb) => eb.or([eb("closes_at", "is", null), eb("closes_at", ">", now.toISOString())]))
    .orderBy("signature_count", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return withDecisionMakers(db, rows.map(withLiveCount));
}

/** The latest victories, for the home page. */
export async function listRecentVictories(db: DB, limit = 5): Promise<PetitionWithMakers[]> {
  const rows = await db
    .selectFrom("petitions")
    .selectAll()
    .select(liveCount)
    .where("status", "=", "victory")
    .orderBy("victory_at", "desc")
    .limit(limit)
    .execute();
  return withDecisionMakers(db, rows.map(withLiveCount));
}

/** Every published campaign's address and when it last changed, for the sitemap; newest first. */
export async function listSitemapPetitions(db: DB, limit = 50_000) {
  return db
    .selectFrom("petitions")
    .select(["slug", "updated_at"])
    .where("status", "in", ["open", "closed", "victory"])
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
