import { afterEach, beforeEach, expect, test } from "vitest";
import { loadConfig } from "../../app/config.server";
import { charge, chargeAll } from "../../app/models/rate-limits.server";
import { sign } from "../../app/services/signing.server";
import { renderMarkdown } from "../../app/lib/markdown.server";
import type { DB } from "../../db/connection";
import { seedDemoPetitions } from "../../db/seed";
import { tempDb } from "../helpers/app";
import { OPEN_SLUG, rowCounts, signingForm } from "../helpers/signing";

// A signature's limit charges and the signature itself are one transaction (app/services/signing.server.ts):
// they count together or not at all. The limits are windows in a table of their own (rate_limits).

let db: DB;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await tempDb());
  await seedDemoPetitions(db, renderMarkdown);
});
afterEach(async () => {
  await cleanup();
});

const ONE_EACH = {
  LIMIT_ADDRESS_BURST: "1/3600",
  LIMIT_ADDRESS: "1/3600",
  LIMIT_NETWORK: "1/3600",
  LIMIT_DOMAIN: "1/3600",
  LIMIT_ADDRESS_SITE: "1/3600",
  MIN_FILL_SECONDS: "0",
};
const config = () => loadConfig({ NODE_ENV: "test", DATABASE_URL: "unused.sqlite", ...ONE_EACH });

const windows = async () =>
  (await db.selectFrom("rate_limits").select(["key", "points"]).orderBy("key").execute()).map((r) => r.points);

test("a window counts charges, and a lapsed window starts again at one", async () => {
  const limit = { points: 2, seconds: 60 };
  const t0 = new Date("2026-12-06T12:00:00.000Z");
  expect(await charge(db, "k", limit, t0)).toBe(1);
  expect(await charge(db, "k", limit, new Date(t0.getTime() + 1000))).toBe(2);
  expect(await charge(db, "k", limit, new Date(t0.getTime() + 59_000))).toBe(3);
  expect(await charge(db, "k", limit, new Date(t0.getTime() + 60_000))).toBe(1);
  expect(await charge(db, "other", limit, t0)).toBe(1);
});

test("several windows charged in one statement each keep their own length and count", async () => {
  const t0 = new Date("2026-12-06T12:00:00.000Z");
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  const minute = { key: "minute", limit: { points: 5, seconds: 60 } };
  const hour = { key: "hour", limit: { points: 5, seconds: 3600 } };
  // Given in the opposite order to their keys': the answer is by key, not by position.
  expect(Object.fromEntries(await chargeAll(db, [minute, hour], t0))).toEqual({ minute: 1, hour: 1 });
  expect(Object.fromEntries(await chargeAll(db, [minute, hour], at(30)))).toEqual({ minute: 2, hour: 2 });
  // The minute's window has run out and starts again; the hour's goes on.
  expect(Object.fromEntries(await chargeAll(db, [minute, hour], at(60)))).toEqual({ minute: 1, hour: 3 });
  const expiries = await db.selectFrom("rate_limits").select(["key", "expires_at"]).orderBy("key").execute();
  expect(expiries).toEqual([
    { key: "hour", expires_at: at(3600).toISOString() },
    // The new window runs for a minute from the charge that started it.
    { key: "minute", expires_at: at(120).toISOString() },
  ]);
  await expect(chargeAll(db, [minute, minute], t0)).rejects.toThrow(/twice/);
});

test("a submission whose recording fails leaves no charge and no row behind", async () => {
  const attempt = { slug: OPEN_SLUG, clientIp: "198.51.100.7" };
  // The outbox is gone for a moment: the signature's transaction fails at its last step, queueing the email.
  await db.schema.alterTable("outbox").renameTo("outbox_away").execute();
  const failing = sign(db, config(), { ...attempt, fields: signingForm({ email: "first@example.org" }) });
  await expect(failing).rejects.toThrow(/outbox/);
  await db.schema.alterTable("outbox_away").renameTo("outbox").execute();
  expect(await rowCounts(db)).toEqual({ signatures: 0, outbox: 0 });
  expect(await windows()).toEqual([]);

  // The first submission that records is under every limit: the failed one charged nothing.
  const first = await sign(db, config(), { ...attempt, fields: signingForm({ email: "second@example.org" }) });
  expect(first).toMatchObject({ kind: "accepted", outcome: "created" });
  const second = await sign(db, config(), { ...attempt, fields: signingForm({ email: "third@example.org" }) });
  expect(second).toMatchObject({ kind: "accepted", outcome: "created" });
  const rows = await db.selectFrom("signatures").select(["email", "review_reason", "hold"]).orderBy("id").execute();
  expect(rows).toEqual([
    { email: "second@example.org", review_reason: null, hold: null },
    { email: "third@example.org", review_reason: "over the limit for one address burst on this petition", hold: null },
  ]);
  expect(await windows()).toEqual([2, 2, 2, 2, 2]);
});
