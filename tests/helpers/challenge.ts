import { solveChallenge, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";

/**
 * What the altcha widget puts in the signing form once it has solved a
 * challenge: base64 of JSON with the challenge and the solution. Solved here
 * with altcha-lib's own solver, doing the real work.
 */
export async function solvedField(challenge: Challenge): Promise<string> {
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error("altcha-lib could not solve the challenge");
  return Buffer.from(
    JSON.stringify({ challenge: { parameters: challenge.parameters, signature: challenge.signature }, solution }),
  ).toString("base64");
}

/** The field with one part changed after solving, as a forger would send it. */
export function tampered(
  field: string,
  change: (payload: { challenge: Challenge; solution: Record<string, unknown> }) => void,
): string {
  const payload = JSON.parse(Buffer.from(field, "base64").toString("utf8"));
  change(payload);
  return Buffer.from(JSON.stringify(payload)).toString("base64");
}
