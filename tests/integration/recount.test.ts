import { afterEach, beforeEach, expect, test } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { recountAll } from "../../app/models/counts.server";
import { foldCounts } from "../../app/services/counting.server";
import { confirm } from "../../app/services/signing.server";
import type { DB } from "../../db/connection";
import { seedDemoPetitions } from "../../db/seed";
import { tempDb } from "../helpers/app";
import { countsFor, getPetition, OPEN_SLUG, outboxTo, tokenIn, storeSignature } from "../helpers/signing";

const SECOND_SLUG = "safety-first-for-sex-workers-reporting-violence";
const site = { appUrl: "https://undersigned.test" };

let db: DB;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await tempDb());
  await seedDemoPetitions(db, renderMarkdown);
});
afterEach(async () => {
  await cleanup();
});

async function signAndConfirm(slug: string, email: string, country: string, confirmed = true) {
  const petition = await getPetition(db, slug);
  await storeSignature(db, {
    petition,
    input: { name: "Signer", email, country, postcode: null, nameDisplay: "hidden", updates: false },
    site,
  });
  if (confirmed) {
    const [mail] = await outboxTo(db, email);
    expect((await confirm(db, tokenIn(mail.text))).state).toBe("confirmed");
  }
}

test("an operator runs db:recount after the counts drifted: they are rebuilt from confirmed signatures and the drift is reported", async () => {
  await signAndConfirm(OPEN_SLUG, "a@example.org", "GB");
  await signAndConfirm(OPEN_SLUG, "b@example.org", "GB");
  await signAndConfirm(OPEN_SLUG, "c@example.org", "FR");
  await signAndConfirm(OPEN_SLUG, "pending@example.org", "DE", false);
  await signAndConfirm(SECOND_SLUG, "d@example.org", "US");
  const truth = { open: await countsFor(db, OPEN_SLUG), second: await countsFor(db, SECOND_SLUG) };
  expect(truth.open).toEqual({ total: 3, byCountry: { GB: 2, FR: 1 } });
  expect(truth.second).toEqual({ total: 1, byCountry: { US: 1 } });
  // The confirmations are folded into the stored counts, as the scheduled job does every second.
  expect(await foldCounts(db, site)).toBeGreaterThan(0);

  // Something went wrong: a bad import, a hand edit, a half-applied fix.
  const open = await getPetition(db, OPEN_SLUG);
  const second = await getPetition(db, SECOND_SLUG);
  await db.updateTable("petitions").set({ signature_count: 999 }).where("id", "=", open.id).execute();
  await db.updateTable("petitions").set({ signature_count: 0 }).where("id", "=", second.id).execute();
  await db
    .updateTable("country_counts")
    .set({ signature_count: 7 })
    .where("petition_id", "=", open.id)
    .where("country", "=", "GB")
    .execute();
  await db.deleteFrom("country_counts").where("petition_id", "=", open.id).where("country", "=", "FR").execute();
  await db.insertInto("country_counts").values({ petition_id: open.id, country: "DE", signature_count: 4 }).execute();

  const drift = await recountAll(db);
  expect(drift.sort((x, y) => x.slug.localeCompare(y.slug))).toEqual([
    { petitionId: open.id, slug: OPEN_SLUG, stored: 999, actual: 3 },
    { petitionId: second.id, slug: SECOND_SLUG, stored: 0, actual: 1 },
  ]);
  expect(await countsFor(db, OPEN_SLUG)).toEqual(truth.open);
  expect(await countsFor(db, SECOND_SLUG)).toEqual(truth.second);

  // Run again: nothing left to repair.
  expect(await recountAll(db)).toEqual([]);
  expect(await countsFor(db, OPEN_SLUG)).toEqual(truth.open);
});

test("db:recount on counts that are right reports nothing and changes nothing", async () => {
  await signAndConfirm(OPEN_SLUG, "a@example.org", "GB");
  const before = await countsFor(db, OPEN_SLUG);
  expect(await recountAll(db)).toEqual([]);
  expect(await countsFor(db, OPEN_SLUG)).toEqual(before);
});
