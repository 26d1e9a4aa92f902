import type { UpdateQueryBuilder, UpdateResult, Updateable } from "kysely";
import type { DB } from "../../db/connection";
import type { Database, Petition, PetitionStatus, PetitionsTable } from "../../db/schema";

/**
 * A petition's life: its states, the groups of states the rest of the app asks about, and the only ways
 * from one state to another. Every change of `petitions.status` goes through `moveTo` here.
 *
 *   draft ──submit──▶ in_review ──publish──▶ open ──close──▶ closed
 *                         │                   │  ╲             │
 *                       reject             win  ╲──────win─────┴──▶ victory
 *                         ▼
 *                      rejected          any state but draft ──hide──▶ hidden
 */

/** Whose page the public can see. A rejected petition's page says why it was rejected. */
export const PUBLIC_STATES: readonly PetitionStatus[] = ["open", "closed", "victory", "rejected"];
/** Which take signatures, while their closing date has not passed (isSignable). */
export const SIGNABLE_STATES: readonly PetitionStatus[] = ["open"];
/**
 * Which went live: their text can still be edited (the ask cannot), they post updates and have a feed,
 * and their cover image shows.
 */
export const PUBLISHED_STATES: readonly PetitionStatus[] = ["open", "closed", "victory"];
/**
 * Which anyone can find and read through the public API: search, the browse page and the API's lists, pages
 * and counts. A rejected petition's page still says why it was rejected, but it is not listed.
 */
export const LISTED_STATES: readonly PetitionStatus[] = PUBLISHED_STATES;
/** Which can be given a cover image: a draft, and a petition that went live. */
export const COVER_IMAGE_STATES: readonly PetitionStatus[] = ["draft", ...PUBLISHED_STATES];
/** Which stopped taking signatures for good; retention counts from their closing. */
export const ENDED_STATES: readonly PetitionStatus[] = ["closed", "victory"];
/** Which moderators took off the site; retention counts from when that happened. */
export const TAKEN_DOWN_STATES: readonly PetitionStatus[] = ["rejected", "hidden"];

/** Every way a petition changes state, and from where. */
export const TRANSITIONS = {
  submit: { from: ["draft"], to: "in_review" },
  publish: { from: ["in_review"], to: "open" },
  reject: { from: ["in_review"], to: "rejected" },
  /** A rejection that is not shown in public. */
  rejectHidden: { from: ["in_review"], to: "hidden" },
  close: { from: ["open"], to: "closed" },
  win: { from: ["open", "closed"], to: "victory" },
  hide: { from: ["in_review", "open", "closed", "victory", "rejected"], to: "hidden" },
} as const satisfies Record<string, { from: readonly PetitionStatus[]; to: PetitionStatus }>;

export type Transition = keyof typeof TRANSITIONS;

export function isSignable(petition: Pick<Petition, "status" | "closes_at">, now = new Date()): boolean {
  return (
    SIGNABLE_STATES.includes(petition.status) && (petition.closes_at === null || petition.closes_at > now.toISOString())
  );
}

type PetitionUpdate = UpdateQueryBuilder<Database, "petitions", "petitions", UpdateResult>;

/**
 * Moves a petition along one transition, if it is in a state the transition starts from (and `where`, a
 * guard such as "organized by this user", holds), setting `set` as well. Returns the petition's id, title
 * and slug as they are afterwards, or undefined if it did not move. Run it in the transaction that also
 * audits the change.
 */
export async function moveTo(
  trx: DB,
  petitionId: number,
  transition: Transition,
  opts: { now: Date; set?: Updateable<PetitionsTable>; where?: (q: PetitionUpdate) => PetitionUpdate },
): Promise<Pick<Petition, "id" | "title" | "slug"> | undefined> {
  const { from, to } = TRANSITIONS[transition];
  let q = trx
    .updateTable("petitions")
    .set({ ...opts.set, status: to, updated_at: opts.now.toISOString() })
    .where("id", "=", petitionId)
    .where("status", "in", from);
  if (opts.where) q = opts.where(q);
  return q.returning(["id", "title", "slug"]).executeTakeFirst();
}
