import { describe, expect, test } from "vitest";
import {
  CHALLENGE_REASONS,
  CHALLENGE_TTL_MS,
  checkSolution,
  newChallenge,
} from "../../app/lib/challenge-puzzle.server";
import { solvedField, tampered } from "../helpers/challenge";

const SECRET = "a".repeat(64);
const PETITION = 7;

describe("the proof-of-work challenge", () => {
  test("a challenge is signed, names its petition and expires in a quarter of an hour", async () => {
    const now = Date.now();
    const challenge = await newChallenge(SECRET, PETITION, now);
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters.data).toEqual({ petition: PETITION });
    expect(challenge.parameters.expiresAt).toBe(Math.floor((now + CHALLENGE_TTL_MS) / 1000));
    // Two challenges are never the same, so spending one says nothing about another.
    expect((await newChallenge(SECRET, PETITION, now)).signature).not.toBe(challenge.signature);
  });

  test("a solved challenge checks out once solved, and is named by a hash of its signature", async () => {
    const challenge = await newChallenge(SECRET, PETITION);
    const check = await checkSolution(SECRET, await solvedField(challenge), PETITION);
    expect(check).toEqual({
      ok: true,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      expiresAt: new Date(challenge.parameters.expiresAt! * 1000).toISOString(),
    });
  });

  test("no solution, junk, or a solution with any part changed is not valid", async () => {
    const field = await solvedField(await newChallenge(SECRET, PETITION));
    expect(await checkSolution(SECRET, undefined, PETITION)).toEqual({ ok: false, reason: CHALLENGE_REASONS.missing });
    expect(await checkSolution(SECRET, "", PETITION)).toEqual({ ok: false, reason: CHALLENGE_REASONS.missing });
    const invalid = { ok: false, reason: CHALLENGE_REASONS.invalid };
    for (const junk of [
      "not base64 at all!",
      Buffer.from("{").toString("base64"),
      Buffer.from("[]").toString("base64"),
      "x".repeat(10_000),
    ]) {
      expect(await checkSolution(SECRET, junk, PETITION)).toEqual(invalid);
    }
    // (The counter is not among them: the derived key is the proof, checked against its signature.)
    const forgeries = [
      tampered(field, (p) => void (p.solution.derivedKey = "00".repeat(32))),
      tampered(field, (p) => void (p.challenge.parameters.cost = 1)),
      tampered(field, (p) => void (p.challenge.parameters.data = { petition: PETITION + 1 })),
      tampered(field, (p) => void (p.challenge.parameters.expiresAt = p.challenge.parameters.expiresAt! + 86_400)),
      tampered(field, (p) => void (p.challenge.signature = "0".repeat(64))),
      tampered(field, (p) => void delete (p.challenge as { signature?: string }).signature),
    ];
    for (const forged of forgeries) expect(await checkSolution(SECRET, forged, PETITION)).toEqual(invalid);
  });

  test("a solution is good only for its own petition and with the server's key", async () => {
    const field = await solvedField(await newChallenge(SECRET, PETITION));
    expect(await checkSolution(SECRET, field, PETITION + 1)).toEqual({ ok: false, reason: CHALLENGE_REASONS.invalid });
    expect(await checkSolution("b".repeat(64), field, PETITION)).toEqual({
      ok: false,
      reason: CHALLENGE_REASONS.invalid,
    });
  });

  test("a challenge handed out more than a quarter of an hour ago has expired", async () => {
    const old = await newChallenge(SECRET, PETITION, Date.now() - CHALLENGE_TTL_MS - 1000);
    expect(await checkSolution(SECRET, await solvedField(old), PETITION)).toEqual({
      ok: false,
      reason: CHALLENGE_REASONS.expired,
    });
  });
});
