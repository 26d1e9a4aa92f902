import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { recentPublicSigners } from "../../app/models/signatures.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import { seedDemoPetitions } from "../../db/seed";
import { onSqliteOnly, recording, sqlitePlan } from "../helpers/database";
import { tempDb } from "../helpers/app";
import { getPetition, OPEN_SLUG } from "../helpers/signing";

let t: Awaited<ReturnType<typeof tempDb>>;
let petitionId: number;
const HIDDEN = 20_000;

beforeAll(async () => {
  t = await tempDb();
  await seedDemoPetitions(t.db, renderMarkdown);
  petitionId = (await getPetition(t.db, OPEN_SLUG)).id;
  // Many confirmed signers who show no name, a few who do (one of them held back as suspect).
  const row = (i: number, nameDisplay: "hidden" | "full", hold: "suspect" | null = null) => ({
    petition_id: petitionId,
    name: `Signer ${i}`,
    email: `signer-${i}@example.org`,
    canonical_email: `signer-${i}@example.org`,
    country: "GB",
    name_display: nameDisplay,
    status: "confirmed" as const,
    hold,
    updates_consent: 0,
    consent_wording_version: UPDATES_CONSENT.version,
    emails_sent: 1,
    token_hash: `token-${i}`,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    updated_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    confirmed_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    email_domain: "example.org",
    manage_token_hash: `manage-${i}`,
  });
  await t.db.transaction().execute(async (trx) => {
    for (let i = 0; i < HIDDEN; i += 500) {
      await trx
        .insertInto("signatures")
        .values(Array.from({ length: 500 }, (_, k) => row(i + k, "hidden")))
        .execute();
    }
    await trx
      .insertInto("signatures")
      .values(
        [row(HIDDEN + 1, "full"), row(HIDDEN + 2, "full", "suspect"), row(5, "full")].map((r, k) => ({
          ...r,
          email: `shown-${k}@example.org`,
          canonical_email: `shown-${k}@example.org`,
          token_hash: `shown-${k}`,
          manage_token_hash: `shown-m-${k}`,
        })),
      )
      .execute();
  });
});
afterAll(async () => {
  await t.cleanup();
});

describe("the campaign page's recent signers", () => {
  test("are the confirmed signers who show a name, newest first, none held back", async () => {
    const shown = await recentPublicSigners(t.db, petitionId);
    expect(shown.map((s) => s.name)).toEqual([`Signer ${HIDDEN + 1}`, "Signer 5"]);
  });

  // SQLite's query plan: skipped on PostgreSQL, whose planner chooses by statistics (the bench measures the
  // page at ten million signatures there).
  test.skipIf(onSqliteOnly)(
    "are read from the index of public signers alone, however many signers show no name",
    async () => {
      const r = recording(t.db);
      await recentPublicSigners(r.db, petitionId);
      expect(r.seen).toHaveLength(1);
      expect(sqlitePlan(t.location, r.seen[0])).toEqual([
        expect.stringMatching(
          /^SEARCH signatures USING INDEX signatures_petition_public_signers_idx \(petition_id=\? AND status=\?\)$/,
        ),
      ]);
    },
  );
});
