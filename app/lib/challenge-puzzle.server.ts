import { createHash } from "node:crypto";
import { createChallenge, randomInt, verifySolution, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { z } from "zod";

/**
 * The optional proof-of-work challenge (docs/decisions/0013-optional-challenge.md),
 * made and checked here with altcha-lib; the browser solves it with the altcha
 * widget. Nothing about the person goes into a challenge or its solution.
 *
 * A challenge is signed with the server's key, names its petition and expires.
 * The work is fixed rather than left to luck: the server picks a counter and
 * publishes half of the key it derives, and the browser must try every counter
 * up to it (about 2,000-5,000 PBKDF2 rounds of 1,000 iterations: well under a
 * second on a phone's workers, a real cost for a bot sending thousands).
 * Checking costs the server one HMAC, not the work.
 */

export const CHALLENGE_ALGORITHM = "PBKDF2/SHA-256";
const COST = 1_000;
const COUNTER = { min: 2_000, max: 5_000 } as const;
/** Long enough to read the page and fill the form in; the widget fetches a fresh one when it expires. */
export const CHALLENGE_TTL_MS = 15 * 60_000;

export async function newChallenge(secret: string, petitionId: number, now = Date.now()): Promise<Challenge> {
  return createChallenge({
    algorithm: CHALLENGE_ALGORITHM,
    cost: COST,
    counter: randomInt(COUNTER.min, COUNTER.max),
    deriveKey,
    data: { petition: petitionId },
    expiresAt: new Date(now + CHALLENGE_TTL_MS),
    hmacSignatureSecret: secret,
    hmacKeySignatureSecret: keySecret(secret),
  });
}

/** A second key for the derived keys' signatures, from the same secret under its own label. */
function keySecret(secret: string): string {
  return createHash("sha256").update(`challenge-key:${secret}`).digest("hex");
}

const hex = z.string().regex(/^[0-9a-f]{1,256}$/);
const whole = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * The widget's field: base64 of JSON with the challenge as it was handed out
 * and the solution. Checked field by field before altcha-lib sees it, so that
 * any junk a bot sends is simply "not valid", never an error.
 */
const Payload = z.object({
  challenge: z.object({
    parameters: z.object({
      algorithm: z.literal(CHALLENGE_ALGORITHM),
      nonce: hex,
      salt: hex,
      cost: whole,
      keyLength: whole.max(64),
      keyPrefix: hex,
      keySignature: hex.optional(),
      // Every challenge we make expires; one that does not was not made here.
      expiresAt: whole,
      data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    }),
    signature: hex,
  }),
  solution: z.object({ counter: whole, derivedKey: hex, time: z.number().optional() }),
});

/** A solution that checked out: `hash` names its challenge, to spend it once (app/models/challenges.server.ts). */
export type ValidSolution = { ok: true; hash: string; expiresAt: string };
export type ChallengeCheck = ValidSolution | { ok: false; reason: string };

/** Why a signature is held, in the words the moderators' page shows (signatures.hold_reason). */
export const CHALLENGE_REASONS = {
  missing: "the form came back without a solved challenge",
  invalid: "the form came back with a challenge solution that was not valid",
  expired: "the form came back with an expired challenge",
  replayed: "the form came back with a challenge solution that was used before",
} as const;

/** Whether the form's challenge field holds a valid, unexpired solution to a challenge for this petition. */
export async function checkSolution(
  secret: string,
  field: string | undefined,
  petitionId: number,
): Promise<ChallengeCheck> {
  if (!field) return { ok: false, reason: CHALLENGE_REASONS.missing };
  const parsed = Payload.safeParse(decode(field));
  if (!parsed.success) return { ok: false, reason: CHALLENGE_REASONS.invalid };
  const { challenge, solution } = parsed.data;
  // Expiry, then the challenge's signature (so the petition and expiry below are ours), then the solution.
  const result = await verifySolution({
    challenge,
    solution,
    deriveKey,
    hmacSignatureSecret: secret,
    hmacKeySignatureSecret: keySecret(secret),
  }).catch(() => null);
  if (result?.expired) return { ok: false, reason: CHALLENGE_REASONS.expired };
  if (!result?.verified || challenge.parameters.data?.petition !== petitionId)
    return { ok: false, reason: CHALLENGE_REASONS.invalid };
  return {
    ok: true,
    hash: createHash("sha256").update(challenge.signature).digest("hex"),
    expiresAt: new Date(challenge.parameters.expiresAt * 1000).toISOString(),
  };
}

function decode(field: string): unknown {
  if (field.length > 4_000) return null;
  try {
    return JSON.parse(Buffer.from(field, "base64").toString("utf8"));
  } catch {
    return null;
  }
}
