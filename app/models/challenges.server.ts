import type { DB } from "../../db/connection";
import type { ValidSolution } from "../lib/challenge-puzzle.server";
import { audit } from "./audit.server";

/**
 * The optional proof-of-work challenge as stored: the moderators' switch on a
 * petition, and the challenges already spent (docs/decisions/0013-optional-challenge.md).
 */

/**
 * Switches the challenge on or off for one petition, audited in the same
 * transaction. False if there is no such petition or it was already so.
 */
export async function setChallengeRequired(
  db: DB,
  args: { petitionId: number; required: boolean; moderatorId: number | null; now?: Date },
) {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("petitions")
      .set({ challenge_required_since: args.required ? now.toISOString() : null })
      .where("id", "=", args.petitionId)
      .where("challenge_required_since", args.required ? "is" : "is not", null)
      .returning("id")
      .executeTakeFirst();
    if (!row) return false;
    await audit(
      trx,
      {
        actorId: args.moderatorId,
        action: args.required ? "signing.challenge_on" : "signing.challenge_off",
        petitionId: args.petitionId,
      },
      now,
    );
    return true;
  });
}

/**
 * Spends a solved challenge: true the first time, false if it was spent
 * before (a replay). Called inside the transaction that stores the signature,
 * so two submissions racing with one solution cannot both be counted.
 */
export async function spendChallenge(db: DB, solution: ValidSolution): Promise<boolean> {
  const spent = await db
    .insertInto("spent_challenges")
    .values({ challenge_hash: solution.hash, expires_at: solution.expiresAt })
    .onConflict((oc) => oc.column("challenge_hash").doNothing())
    .returning("challenge_hash")
    .executeTakeFirst();
  return spent !== undefined;
}
