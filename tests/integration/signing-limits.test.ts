import { afterEach, beforeEach, expect, test } from "vitest";
import type { SigningLimits } from "../../app/lib/signing-limits";
import { withinSigningLimits } from "../../app/lib/signing-limits.server";
import type { DB } from "../../db/connection";
import { tempDb } from "../helpers/app";

// A signature's limit charges and what it records are one transaction (app/lib/signing-limits.server.ts,
// db/connection.ts withRateLimitStore): they count together or not at all.

const ONE_EACH: SigningLimits = {
  addressPerPetitionBurst: { points: 1, seconds: 3600 },
  addressPerPetition: { points: 1, seconds: 3600 },
  networkPerPetition: { points: 1, seconds: 3600 },
  domainPerPetition: { points: 1, seconds: 3600 },
  addressSiteWide: { points: 1, seconds: 3600 },
  exemptDomains: [],
};
const SUBMISSION = { petitionId: 1, client: { ipHash: "ip-a", networkHash: "net-a" }, emailDomain: "example.org" };

let db: DB;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await tempDb());
  await db.schema.createTable("scratch").addColumn("note", "text").execute();
});
afterEach(async () => {
  await cleanup();
});

const scratchRows = async () =>
  (
    await db
      .selectFrom("scratch" as never)
      .selectAll()
      .execute()
  ).length;

test("a submission whose recording fails leaves no charge and no row behind", async () => {
  const failing = withinSigningLimits(db, ONE_EACH, SUBMISSION, async (trx) => {
    await trx
      .insertInto("scratch" as never)
      .values({ note: "half-written" } as never)
      .execute();
    throw new Error("the recording failed");
  });
  await expect(failing).rejects.toThrow("the recording failed");
  expect(await scratchRows()).toBe(0);

  // The first submission that records is still under every limit: the failed one charged nothing.
  const seen: (string | null)[] = [];
  for (let i = 0; i < 2; i++) {
    await withinSigningLimits(db, ONE_EACH, SUBMISSION, async (trx, overLimit) => {
      await trx
        .insertInto("scratch" as never)
        .values({ note: "kept" } as never)
        .execute();
      seen.push(overLimit);
    });
  }
  expect(seen).toEqual([null, "over the limit for one address burst on this petition"]);
  expect(await scratchRows()).toBe(2);
});
