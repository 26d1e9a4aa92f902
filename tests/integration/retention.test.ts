import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { DAY_MS, expiresAt } from "../../app/lib/tokens.server";
import { recountAll } from "../../app/models/counts.server";
import { anonymiseExpiredSignatures, forgetStaleRecords } from "../../app/models/retention.server";
import { confirm } from "../../app/services/signing.server";
import { addMonths } from "../../app/schemas/petition.server";
import type { DB } from "../../db/connection";
import type { Petition, PetitionStatus } from "../../db/schema";
import { seedDemoPetitions } from "../../db/seed";
import { tempDb } from "../helpers/app";
import { CLOSED_SLUG, countsFor, getPetition, OPEN_SLUG, outboxTo, tokenIn, storeSignature } from "../helpers/signing";

const run = promisify(execFile);
const site = { appUrl: "https://undersigned.test" };
const MONTHS = 6;
// Real time, so that the command-line run (which uses the clock) sees the same picture.
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const monthsAgo = (months: number) => addMonths(NOW, -months);

const SECOND_SLUG = "safety-first-for-sex-workers-reporting-violence";
const RECENT_SLUG = "recently-won";
const HIDDEN_SLUG = "taken-down-long-ago";

let db: DB;
let file: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, location: file, cleanup } = await tempDb());
  await seedDemoPetitions(db, renderMarkdown, daysAgo(400));
  await addPetition(RECENT_SLUG);
  await addPetition(HIDDEN_SLUG);
  // Every petition takes signatures while the signatures are made, a year ago.
  await db
    .updateTable("petitions")
    .set({ status: "open", closes_at: addMonths(NOW, 1).toISOString(), closed_at: null })
    .execute();
});
afterEach(async () => {
  await cleanup();
});

async function addPetition(slug: string) {
  const at = daysAgo(400).toISOString();
  await db
    .insertInto("petitions")
    .values({
      slug,
      title: `Petition ${slug}`,
      summary: "A summary.",
      body_markdown: "A body.",
      body_html: "<p>A body.</p>",
      country: "GB",
      status: "open",
      goal: null,
      opened_at: at,
      closes_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

let signer = 0;
/** A signature made (and, unless told otherwise, confirmed) `days` ago, from a hashed address. */
async function sign(slug: string, opts: { days: number; country?: string; confirm?: boolean; suspect?: boolean }) {
  signer += 1;
  const email = `signer${signer}@example.org`;
  const petition = await getPetition(db, slug);
  const at = daysAgo(opts.days);
  await storeSignature(db, {
    petition,
    input: {
      name: `Signer Number${signer}`,
      email,
      country: opts.country ?? "GB",
      postcode: "N1 9GU",
      nameDisplay: "full",
      updates: true,
    },
    site,
    client: { ipHash: `ip-${signer}`, networkHash: "net-1" },
    holdReason: opts.suspect ? "over the limit for one address on this petition" : null,
    now: at,
  });
  if (opts.confirm !== false) {
    const [mail] = await outboxTo(db, email);
    expect((await confirm(db, tokenIn(mail.text), at)).state).toBe("confirmed");
  }
}

async function setState(
  slug: string,
  status: PetitionStatus,
  times: Partial<Pick<Petition, "closed_at" | "closes_at" | "updated_at">>,
) {
  await db
    .updateTable("petitions")
    .set({ status, ...times })
    .where("slug", "=", slug)
    .execute();
}

/**
 * Open petition: untouched. Second: closed 7 months ago (closed_at). The demo closed one: closed with no
 * recorded closing, its closing date 8 months ago. Recently won: 2 months ago, untouched. Hidden: taken
 * down 7 months ago.
 */
async function scenario() {
  await sign(OPEN_SLUG, { days: 300 });
  await sign(OPEN_SLUG, { days: 299, country: "FR" });
  await sign(OPEN_SLUG, { days: 298, confirm: false });

  await sign(SECOND_SLUG, { days: 320 });
  await sign(SECOND_SLUG, { days: 320 });
  await sign(SECOND_SLUG, { days: 310, country: "US" });
  await sign(SECOND_SLUG, { days: 305, suspect: true });
  await sign(SECOND_SLUG, { days: 304, confirm: false });

  await sign(CLOSED_SLUG, { days: 330, country: "IE" });
  await sign(CLOSED_SLUG, { days: 329, confirm: false });

  await sign(RECENT_SLUG, { days: 200 });
  await sign(RECENT_SLUG, { days: 199, confirm: false });

  await sign(HIDDEN_SLUG, { days: 250 });

  await setState(SECOND_SLUG, "closed", { closed_at: monthsAgo(7).toISOString() });
  await setState(CLOSED_SLUG, "closed", { closed_at: null, closes_at: monthsAgo(8).toISOString() });
  await setState(RECENT_SLUG, "victory", { closed_at: monthsAgo(2).toISOString() });
  await setState(HIDDEN_SLUG, "hidden", { updated_at: monthsAgo(7).toISOString() });
}

const PAST_RETENTION = [SECOND_SLUG, CLOSED_SLUG, HIDDEN_SLUG];
const WITHIN_RETENTION = [OPEN_SLUG, RECENT_SLUG];
const ALL_SLUGS = [...PAST_RETENTION, ...WITHIN_RETENTION];

async function signaturesOf(slugs: string[]) {
  return db
    .selectFrom("signatures as s")
    .innerJoin("petitions as p", "p.id", "s.petition_id")
    .selectAll("s")
    .where("p.slug", "in", slugs)
    .orderBy("s.id")
    .execute();
}

/** Confirmed, counted signatures per petition and UTC day: what the dashboard's chart is made of. */
async function perDay() {
  return db
    .selectFrom("signatures")
    .select([
      "petition_id",
      sql<string>`substr(confirmed_at, 1, 10)`.as("day"),
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("status", "=", "confirmed")
    .where("hold", "is", null)
    .groupBy(["petition_id", sql`substr(confirmed_at, 1, 10)`])
    .orderBy("petition_id")
    .orderBy("day")
    .execute();
}

async function allCounts() {
  return Object.fromEntries(
    await Promise.all(ALL_SLUGS.map(async (slug) => [slug, await countsFor(db, slug)] as const)),
  );
}

describe("retention: personal data is overwritten some months after a petition closes", () => {
  test("an operator's dry run reports what would change and changes nothing", async () => {
    await scenario();
    const before = {
      rows: await signaturesOf(ALL_SLUGS),
      counts: await allCounts(),
      audit: await db.selectFrom("audit_log").selectAll().execute(),
    };

    const report = await anonymiseExpiredSignatures(db, { months: MONTHS, now: NOW, dryRun: true });
    expect(report).toEqual({ petitions: 3, anonymised: 4 + 1 + 1, deleted: 1 + 1 });

    expect(await signaturesOf(ALL_SLUGS)).toEqual(before.rows);
    expect(await allCounts()).toEqual(before.counts);
    expect(await db.selectFrom("audit_log").selectAll().execute()).toEqual(before.audit);
  });

  test("a run anonymises only petitions closed more than N months ago, deletes their pending signatures, and every count stays", async () => {
    await scenario();
    const untouched = await signaturesOf(WITHIN_RETENTION);
    const expired = await signaturesOf(PAST_RETENTION);
    const counts = await allCounts();
    const days = await perDay();
    expect(counts[SECOND_SLUG]).toEqual({ total: 3, byCountry: { GB: 2, US: 1 } });

    // Small batches, so that one petition takes several.
    const report = await anonymiseExpiredSignatures(db, { months: MONTHS, now: NOW, batchSize: 2 });
    expect(report).toEqual({ petitions: 3, anonymised: 6, deleted: 2 });

    // Petitions still open, or closed within the period, are exactly as they were.
    expect(await signaturesOf(WITHIN_RETENTION)).toEqual(untouched);

    const after = await signaturesOf(PAST_RETENTION);
    const confirmedBefore = expired.filter((s) => s.status === "confirmed");
    expect(after.map((s) => s.id)).toEqual(confirmedBefore.map((s) => s.id));
    for (const [i, row] of after.entries()) {
      const was = confirmedBefore[i];
      expect(row).toMatchObject({
        name: "",
        postcode: null,
        name_display: "hidden",
        updates_consent: 0,
        token_hash: null,
        token_expires_at: null,
        manage_token_hash: null,
        manage_token_expires_at: null,
        ip_hash: null,
        network_hash: null,
        email_domain: null,
        anonymised_at: NOW.toISOString(),
        // What the counts are made of.
        status: "confirmed",
        country: was.country,
        confirmed_at: was.confirmed_at,
        hold: was.hold,
        petition_id: was.petition_id,
      });
      expect(row.email).toMatch(/^erased-[0-9a-f-]{36}@invalid$/);
      expect(row.canonical_email).toBe(row.email);
    }
    expect(new Set(after.map((s) => s.email)).size).toBe(after.length);
    expect(after.find((s) => s.hold === "suspect")).toBeDefined();

    // Totals, counts by country and by day: unchanged, and a recount agrees.
    expect(await allCounts()).toEqual(counts);
    expect(await perDay()).toEqual(days);
    expect(await recountAll(db)).toEqual([]);
    expect(await allCounts()).toEqual(counts);

    // Each petition's anonymisation is in the audit log, as numbers only.
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "petition_id", "actor_id", "details"])
      .where("action", "=", "signatures.anonymise")
      .execute();
    expect(audit).toHaveLength(3);
    const ids = Object.fromEntries(
      await Promise.all(PAST_RETENTION.map(async (slug) => [(await getPetition(db, slug)).id, slug])),
    );
    expect(
      Object.fromEntries(audit.map((a) => [ids[a.petition_id!], { actor: a.actor_id, ...JSON.parse(a.details!) }])),
    ).toEqual({
      [SECOND_SLUG]: { actor: null, anonymised: 4, deleted: 1 },
      [CLOSED_SLUG]: { actor: null, anonymised: 1, deleted: 1 },
      [HIDDEN_SLUG]: { actor: null, anonymised: 1, deleted: 0 },
    });

    // A second run has nothing left to do.
    expect(await anonymiseExpiredSignatures(db, { months: MONTHS, now: NOW })).toEqual({
      petitions: 0,
      anonymised: 0,
      deleted: 0,
    });
  });

  test("a longer retention leaves petitions closed 7 and 8 months ago alone", async () => {
    await scenario();
    expect(await anonymiseExpiredSignatures(db, { months: 12, now: NOW })).toEqual({
      petitions: 0,
      anonymised: 0,
      deleted: 0,
    });
    expect(await anonymiseExpiredSignatures(db, { months: 7, now: NOW })).toEqual({
      petitions: 1,
      anonymised: 1,
      deleted: 1,
    });
  });

  test("an operator runs `npm run retention -- --dry-run`: it prints the report in a child process and changes nothing", async () => {
    await scenario();
    const before = await signaturesOf(ALL_SLUGS);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: file,
      RETENTION_MONTHS: String(MONTHS),
    };

    const { stdout } = await run("npx", ["tsx", "scripts/retention.ts", "--dry-run"], { env, timeout: 60_000 });
    expect(stdout).toContain("Dry run: nothing was changed.");
    expect(stdout).toContain("Petitions closed more than 6 month(s) ago with personal data: 3");
    expect(stdout).toContain("Confirmed signatures that would be anonymised (they stay counted): 6");
    expect(stdout).toContain("Pending signatures on those petitions that would be deleted: 2");
    expect(await signaturesOf(ALL_SLUGS)).toEqual(before);

    const bad = await run("npx", ["tsx", "scripts/retention.ts", "--months=1"], { env, timeout: 60_000 }).catch(
      (err) => err,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("usage: npm run retention");
    expect(await signaturesOf(ALL_SLUGS)).toEqual(before);

    const real = await run("npx", ["tsx", "scripts/retention.ts"], { env, timeout: 60_000 });
    expect(real.stdout).toContain("Confirmed signatures anonymised (they stay counted): 6");
    expect((await signaturesOf(PAST_RETENTION)).every((s) => s.anonymised_at !== null)).toBe(true);
  }, 180_000);
});

describe("retention: things kept only while they are useful", () => {
  test("unconfirmed signatures, old copies of emails, expired sign-in links, sessions, spent challenges and lapsed limit windows go; recent ones stay", async () => {
    await sign(OPEN_SLUG, { days: 60, confirm: false }); // link expired 46 days ago: goes
    await sign(OPEN_SLUG, { days: 30, confirm: false }); // link expired 16 days ago: stays
    await sign(OPEN_SLUG, { days: 60 }); // confirmed: stays
    const counts = await countsFor(db, OPEN_SLUG);

    const mail = (days: number, status: "sent" | "failed" | "pending", to: string) =>
      db
        .insertInto("outbox")
        .values({
          kind: "confirm-signature",
          to_address: to,
          subject: "s",
          html: "h",
          text: "t",
          headers: null,
          status,
          next_attempt_at: daysAgo(days).toISOString(),
          message_id: `<${to}-${days}-${status}@test>`,
          created_at: daysAgo(days).toISOString(),
          sent_at: status === "sent" ? daysAgo(days).toISOString() : null,
        })
        .execute();
    await db.deleteFrom("outbox").execute();
    await mail(45, "sent", "old-sent@example.org");
    await mail(45, "failed", "old-failed@example.org");
    await mail(45, "pending", "old-pending@example.org");
    await mail(5, "sent", "recent-sent@example.org");

    const user = await db
      .insertInto("users")
      .values({ email: "organizer@example.org", created_at: daysAgo(90).toISOString(), last_signed_in_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const link = (hash: string, expires: Date) =>
      db
        .insertInto("sign_in_tokens")
        .values({
          email: "organizer@example.org",
          token_hash: hash,
          redirect_to: null,
          expires_at: expires.toISOString(),
          used_at: null,
          created_at: daysAgo(3).toISOString(),
        })
        .execute();
    await link("old-link", daysAgo(2));
    await link("fresh-link", new Date(NOW.getTime() + 60_000));
    const session = (hash: string, expires: Date) =>
      db
        .insertInto("sessions")
        .values({
          id_hash: hash,
          user_id: user.id,
          created_at: daysAgo(40).toISOString(),
          expires_at: expires.toISOString(),
        })
        .execute();
    await session("old-session", daysAgo(1));
    await session("live-session", new Date(NOW.getTime() + DAY_MS));
    const challenge = (hash: string, expires: Date) =>
      db.insertInto("spent_challenges").values({ challenge_hash: hash, expires_at: expires.toISOString() }).execute();
    await challenge("expired-challenge", new Date(NOW.getTime() - 60_000));
    await challenge("live-challenge", new Date(NOW.getTime() + 60_000));
    const window = (key: string, expires: Date) =>
      db.insertInto("rate_limits").values({ key, points: 3, expires_at: expires.toISOString() }).execute();
    await window("lapsed-window", new Date(NOW.getTime() - 60_000));
    await window("live-window", new Date(NOW.getTime() + 60_000));

    const expected = {
      unconfirmedSignatures: 1,
      sentEmails: 2,
      signInLinks: 1,
      sessions: 1,
      spentChallenges: 1,
      limitWindows: 1,
    };
    expect(await forgetStaleRecords(db, { now: NOW, dryRun: true })).toEqual(expected);
    expect(await db.selectFrom("outbox").select("to_address").execute()).toHaveLength(4);

    expect(await forgetStaleRecords(db, { now: NOW, batchSize: 1 })).toEqual(expected);
    const pending = await db
      .selectFrom("signatures")
      .select("token_expires_at")
      .where("status", "=", "pending")
      .execute();
    expect(pending).toEqual([{ token_expires_at: expiresAt(daysAgo(30), 14 * DAY_MS) }]);
    expect(await db.selectFrom("signatures").select("id").where("status", "=", "confirmed").execute()).toHaveLength(1);
    expect(
      (await db.selectFrom("outbox").select("to_address").orderBy("to_address").execute()).map((r) => r.to_address),
    ).toEqual(["old-pending@example.org", "recent-sent@example.org"]);
    expect((await db.selectFrom("sign_in_tokens").select("token_hash").execute()).map((r) => r.token_hash)).toEqual([
      "fresh-link",
    ]);
    expect((await db.selectFrom("sessions").select("id_hash").execute()).map((r) => r.id_hash)).toEqual([
      "live-session",
    ]);
    expect(
      (await db.selectFrom("spent_challenges").select("challenge_hash").execute()).map((r) => r.challenge_hash),
    ).toEqual(["live-challenge"]);
    expect((await db.selectFrom("rate_limits").select("key").execute()).map((r) => r.key)).toEqual(["live-window"]);
    expect(await countsFor(db, OPEN_SLUG)).toEqual(counts);
    expect(await forgetStaleRecords(db, { now: NOW })).toEqual({
      unconfirmedSignatures: 0,
      sentEmails: 0,
      signInLinks: 0,
      sessions: 0,
      spentChallenges: 0,
      limitWindows: 0,
    });
  });
});
