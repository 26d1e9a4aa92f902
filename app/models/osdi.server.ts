import type { DB } from "../../db/connection";
import { liveCount, withLiveCount } from "./counts.server";
import { organizedBy } from "./organizer-team.server";

/**
 * What the OSDI API reads (docs/decisions/0028-osdi.md). Every query is scoped to the petitions the token's
 * organizer organizes, inside the query itself: a petition outside that scope reads as absent, the same as
 * one that does not exist.
 *
 * Signatures are those the CSV export lists (confirmed, not held) with the same privacy rule, stricter still:
 * the email address leaves the database only where the signer agreed to updates, the name only where the
 * signer let it be shown, and never the postcode, the client hashes or anything the fraud checks keep.
 */

/** A draft has no public page and takes no signatures: not a petition to a CRM yet. */
const NOT_YET_PETITIONS = ["draft"] as const;

const PETITION_COLUMNS = [
  "petitions.id",
  "petitions.slug",
  "petitions.title",
  "petitions.summary",
  "petitions.body_html",
  "petitions.status",
  "petitions.image_id",
  "petitions.created_at",
  "petitions.updated_at",
  "petitions.language",
] as const;

export async function countOrganizedPetitions(db: DB, userId: number): Promise<number> {
  const row = await db
    .selectFrom("petitions")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where(organizedBy(userId))
    .where("status", "not in", NOT_YET_PETITIONS)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function organizedPetitionsPage(db: DB, userId: number, offset: number, limit: number) {
  const rows = await db
    .selectFrom("petitions")
    .select([...PETITION_COLUMNS, liveCount])
    .where(organizedBy(userId))
    .where("status", "not in", NOT_YET_PETITIONS)
    .orderBy("petitions.created_at")
    .orderBy("petitions.id")
    .offset(offset)
    .limit(limit)
    .execute();
  return withDecisionMakers(db, rows.map(withLiveCount));
}

/** One of the organizer's petitions, or undefined: not theirs, a draft, or no such petition. */
export async function organizedPetition(db: DB, userId: number, petitionId: number) {
  const row = await db
    .selectFrom("petitions")
    .select([...PETITION_COLUMNS, liveCount])
    .where("petitions.id", "=", petitionId)
    .where(organizedBy(userId))
    .where("status", "not in", NOT_YET_PETITIONS)
    .executeTakeFirst();
  if (!row) return undefined;
  return (await withDecisionMakers(db, [withLiveCount(row)]))[0];
}

export type OsdiPetitionRow = Awaited<ReturnType<typeof organizedPetition>> & {};

async function withDecisionMakers<T extends { id: number }>(db: DB, petitions: T[]) {
  const ids = petitions.map((p) => p.id);
  const makers = ids.length
    ? await db
        .selectFrom("decision_makers")
        .select(["petition_id", "name", "role"])
        .where("petition_id", "in", ids)
        .orderBy("petition_id")
        .orderBy("position")
        .execute()
    : [];
  return petitions.map((p) => ({
    ...p,
    decisionMakers: makers.filter((m) => m.petition_id === p.id).map((m) => ({ name: m.name, role: m.role })),
  }));
}

/** A signature as the OSDI API may show it: nothing here that the signer did not agree to hand over. */
export type OsdiSignatureRow = {
  id: number;
  petition_id: number;
  /** Null when the signer chose not to show their name, or their details were erased. */
  name: string | null;
  /** Null unless the signer agreed to updates. */
  email: string | null;
  country: string;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  referrer_data: string | null;
  anonymised_at: string | null;
};

/**
 * The visible signatures of one of the organizer's petitions. The petition's ownership is checked inside
 * the query, so another organizer's petition has no signatures here at all.
 */
function visibleSignatures(db: DB, userId: number, petitionId: number) {
  return db
    .selectFrom("signatures")
    .where("signatures.petition_id", "=", petitionId)
    .where("signatures.status", "=", "confirmed")
    .where("signatures.hold", "is", null)
    .where("signatures.confirmed_at", "is not", null)
    .where((eb) =>
      eb(
        "signatures.petition_id",
        "in",
        eb
          .selectFrom("petition_organizers")
          .select("petition_organizers.petition_id")
          .where("petition_organizers.user_id", "=", userId),
      ),
    );
}

function signatureColumns(q: ReturnType<typeof visibleSignatures>) {
  return q.select((eb) => [
    "signatures.id",
    "signatures.petition_id",
    eb
      .case()
      .when(eb.and([eb("signatures.name_display", "!=", "hidden"), eb("signatures.anonymised_at", "is", null)]))
      .then(eb.ref("signatures.name"))
      .else(null)
      .end()
      .as("name"),
    eb.case().when("signatures.updates_consent", "=", 1).then(eb.ref("signatures.email")).else(null).end().as("email"),
    "signatures.country",
    "signatures.created_at",
    "signatures.updated_at",
    "signatures.confirmed_at",
    "signatures.referrer_data",
    "signatures.anonymised_at",
  ]);
}

export async function countVisibleSignatures(db: DB, userId: number, petitionId: number): Promise<number> {
  const row = await visibleSignatures(db, userId, petitionId)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of signatures in the order they were confirmed, as the CSV export lists them. */
export async function visibleSignaturesPage(
  db: DB,
  userId: number,
  petitionId: number,
  offset: number,
  limit: number,
): Promise<OsdiSignatureRow[]> {
  return signatureColumns(visibleSignatures(db, userId, petitionId))
    .orderBy("signatures.confirmed_at")
    .orderBy("signatures.id")
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function visibleSignature(
  db: DB,
  userId: number,
  petitionId: number,
  signatureId: number,
): Promise<OsdiSignatureRow | undefined> {
  return signatureColumns(visibleSignatures(db, userId, petitionId))
    .where("signatures.id", "=", signatureId)
    .executeTakeFirst();
}
