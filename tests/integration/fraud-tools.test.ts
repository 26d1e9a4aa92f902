import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashClientAddress } from "../../app/lib/client-address.server";
import {
  countMatches,
  invalidateSignatures,
  NoFilterError,
  releaseSuspects,
  trendingSources,
  undoInvalidation,
  type InvalidationCriteria,
} from "../../app/models/fraud.server";
import { recountAll } from "../../app/models/counts.server";
import { confirm } from "../../app/services/signing.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { errorBeside, valueOf, withoutTextSeparators } from "../helpers/html";
import { browser, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { outboxTo, rowCounts, signingForm, tokenIn, storeSignature } from "../helpers/signing";
import { countryCounts, signatureCount } from "../../app/models/counts.server";

/*
 * The moderators' fraud tools, driven as a moderator drives them where the
 * page matters (check, invalidate, undo, release, pause), and through the
 * model functions where the detail matters (criteria, batches).
 */

let app: TestApp;
let moderator: Person;
let admin: Person;
let organizer: Person;
beforeAll(async () => {
  // The signing limits are off here (startTestApp's default): these signatures are all made on purpose.
  app = await startTestApp({ worker: false });
  moderator = await signedIn(app, "mo@example.org", ["moderator"]);
  admin = await signedIn(app, "ada@example.org", ["admin"]);
  organizer = await signedIn(app, "olivia@example.org");
});
afterAll(async () => {
  await app.stop();
});

const HOUR = 3_600_000;
let signers = 0;

/** A signature made the way the signing route makes one, optionally confirmed by its emailed link. */
async function sign(
  petition: MadePetition,
  o: { email?: string; country?: string; ip?: string; at?: Date; confirm?: boolean; suspect?: string } = {},
) {
  signers += 1;
  const email = o.email ?? `signer${signers}@example.net`;
  await storeSignature(app.db, {
    petition,
    input: {
      name: `Signer ${signers}`,
      email,
      country: o.country ?? "GB",
      postcode: null,
      nameDisplay: "hidden",
      updates: false,
    },
    site: { appUrl: app.config.appUrl },
    client: hashClientAddress(o.ip ?? `198.51.100.${(signers % 250) + 1}`, app.config.addressSecret),
    holdReason: o.suspect ?? null,
    now: o.at,
  });
  const mails = await outboxTo(app.db, email);
  const token = tokenIn(mails[mails.length - 1].text);
  if (o.confirm !== false) expect((await confirm(app.db, token)).state).toBe("confirmed");
  return { email, token };
}

async function openPetition() {
  return makePetition(app, { state: "open", owner: organizer });
}

/** The petition's total and per-country counts, as the public sees them. */
async function stored(petitionId: number) {
  const rows = await countryCounts(app.db, petitionId);
  return {
    total: await signatureCount(app.db, petitionId),
    byCountry: Object.fromEntries(rows.map((r) => [r.country, r.signature_count])),
  };
}

/** recountAll repairs nothing, and the per-country counts are what they were (it rebuilds those silently). */
async function expectNoDrift(petitionId: number) {
  const before = await stored(petitionId);
  expect(await recountAll(app.db)).toEqual([]);
  expect(await stored(petitionId)).toEqual(before);
}

async function holds(petitionId: number) {
  const rows = await app.db
    .selectFrom("signatures")
    .select(["email", "hold"])
    .where("petition_id", "=", petitionId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.email, r.hold]));
}

const safety = (p: { id: number }) => `/moderate/petitions/${p.id}/safety`;

/** The "N signatures match" figure the check step shows. */
function matchesShown(html: string): number | null {
  const m = withoutTextSeparators(html).match(/<h3 id="check-heading">([\d,]+) signatures? match/);
  return m ? Number(m[1].replace(/,/g, "")) : null;
}

describe("bulk invalidation", () => {
  test("a moderator invalidates by email domain: the page shows how many match first, then exactly those stop counting", async () => {
    const petition = await openPetition();
    for (let i = 0; i < 4; i++) await sign(petition, { email: `bot${i}@throwaway.test` });
    await sign(petition, { email: "bot-pending@throwaway.test", confirm: false });
    await sign(petition, { email: "real@example.org" });
    expect(await stored(petition.id)).toEqual({ total: 5, byCountry: { GB: 5 } });

    const mo = browser(app, moderator);
    const checked = await mo.post(safety(petition), { intent: "check", domain: "Throwaway.TEST" });
    expect(checked.status).toBe(200);
    const page = await checked.text();
    expect(matchesShown(page)).toBe(5);
    expect(withoutTextSeparators(page)).toContain("Of these, 4 count now and 1 wait for confirmation.");
    expect(withoutTextSeparators(page)).toContain("Matching domain throwaway.test</p>");
    expect(withoutTextSeparators(page)).toContain("Invalidate 5 signatures");
    // Checking changed nothing.
    expect(await stored(petition.id)).toEqual({ total: 5, byCountry: { GB: 5 } });
    expect(
      await app.db.selectFrom("invalidations").selectAll().where("petition_id", "=", petition.id).execute(),
    ).toEqual([]);

    const ran = await mo.post(safety(petition), {
      intent: "invalidate",
      network: "",
      domain: "throwaway.test",
      email: "",
      country: "",
      from: "",
      to: "",
    });
    expect(ran.status).toBe(302);
    const location = ran.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^${safety(petition)}\\?invalidated=\\d+$`));
    expect(await stored(petition.id)).toEqual({ total: 1, byCountry: { GB: 1 } });
    expect(await holds(petition.id)).toEqual({
      "bot0@throwaway.test": "invalidated",
      "bot1@throwaway.test": "invalidated",
      "bot2@throwaway.test": "invalidated",
      "bot3@throwaway.test": "invalidated",
      "bot-pending@throwaway.test": "invalidated",
      "real@example.org": null,
    });
    await expectNoDrift(petition.id);

    const after = withoutTextSeparators(await (await mo.get(location)).text());
    expect(after).toMatch(/Invalidation \d+ took 5 signatures out of the count\./);
    expect(after).toContain("domain throwaway.test");

    const [entry] = await app.db
      .selectFrom("audit_log")
      .selectAll()
      .where("petition_id", "=", petition.id)
      .where("action", "=", "signatures.invalidate")
      .execute();
    expect(entry.actor_id).toBe(moderator.id);
    expect(JSON.parse(entry.details!)).toMatchObject({ criteria: { emailDomain: "throwaway.test" }, matched: 5 });
  });

  test("by email address, in any spelling of it", async () => {
    const petition = await openPetition();
    await sign(petition, { email: "Sam.Jones+petition@gmail.com" });
    await sign(petition, { email: "sam.jones@example.org" });
    const criteria = { petitionId: petition.id, email: "samjones@googlemail.com" };
    expect(await countMatches(app.db, criteria)).toEqual({ matches: 1, confirmed: 1, pending: 0, alreadyHeld: 0 });
    const result = await invalidateSignatures(app.db, { criteria, moderatorId: moderator.id });
    expect(result.matched).toBe(1);
    expect(await holds(petition.id)).toEqual({
      "Sam.Jones+petition@gmail.com": "invalidated",
      "sam.jones@example.org": null,
    });
    expect((await stored(petition.id)).total).toBe(1);
    await expectNoDrift(petition.id);
  });

  test("by country, and by country within one network", async () => {
    const petition = await openPetition();
    await sign(petition, { email: "fr1@example.org", country: "FR", ip: "203.0.113.5" });
    await sign(petition, { email: "fr2@example.org", country: "FR", ip: "192.0.2.9" });
    await sign(petition, { email: "gb1@example.org", country: "GB", ip: "203.0.113.6" });
    await sign(petition, { email: "de1@example.org", country: "DE", ip: "203.0.113.7" });
    const network = hashClientAddress("203.0.113.200", app.config.addressSecret).networkHash!;

    const both = await invalidateSignatures(app.db, {
      criteria: { petitionId: petition.id, country: "fr", networkHash: network },
      moderatorId: moderator.id,
    });
    expect(both.matched).toBe(1);
    expect(await stored(petition.id)).toEqual({ total: 3, byCountry: { FR: 1, GB: 1, DE: 1 } });

    const france = await invalidateSignatures(app.db, {
      criteria: { petitionId: petition.id, country: "FR" },
      moderatorId: moderator.id,
    });
    expect(france.matched).toBe(1);
    expect(await stored(petition.id)).toEqual({ total: 2, byCountry: { GB: 1, DE: 1 } });
    expect(await holds(petition.id)).toMatchObject({
      "fr1@example.org": "invalidated",
      "fr2@example.org": "invalidated",
      "gb1@example.org": null,
      "de1@example.org": null,
    });
    await expectNoDrift(petition.id);
  });

  test("by time window: from is inclusive, the end is not", async () => {
    const petition = await openPetition();
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
    await sign(petition, { email: "early@example.org", at: at(3) });
    await sign(petition, { email: "middle@example.org", at: at(2) });
    await sign(petition, { email: "edge@example.org", at: at(1.5) });
    await sign(petition, { email: "late@example.org", at: at(1) });

    // Over HTTP, as the form's datetime-local fields send it (UTC, to the second here).
    const field = (d: Date) => d.toISOString().slice(0, 19);
    const mo = browser(app, moderator);
    const page = await (
      await mo.post(safety(petition), { intent: "check", from: field(at(2)), to: field(at(1.5)) })
    ).text();
    expect(matchesShown(page)).toBe(1);
    const ran = await mo.post(safety(petition), { intent: "invalidate", from: field(at(2)), to: field(at(1.5)) });
    expect(ran.status).toBe(302);
    expect(await holds(petition.id)).toEqual({
      "early@example.org": null,
      "middle@example.org": "invalidated",
      "edge@example.org": null,
      "late@example.org": null,
    });
    expect((await stored(petition.id)).total).toBe(3);
    await expectNoDrift(petition.id);
  });

  test("it runs in batches (7 at a time over 30), signing carries on between them, and undo reverses it in batches too", async () => {
    const petition = await openPetition();
    for (let i = 0; i < 30; i++)
      await sign(petition, { email: `flood${i}@batch.test`, country: i % 3 === 0 ? "FR" : "GB", confirm: i % 5 !== 0 });
    await sign(petition, { email: "real@example.org", country: "DE" });
    expect(await stored(petition.id)).toEqual({ total: 25, byCountry: { GB: 16, FR: 8, DE: 1 } });
    const criteria: InvalidationCriteria = { petitionId: petition.id, emailDomain: "batch.test" };
    expect(await countMatches(app.db, criteria)).toEqual({ matches: 30, confirmed: 24, pending: 6, alreadyHeld: 0 });

    // Between batches the database is free: a person signs and confirms. (Inside a transaction this would wait forever.)
    const progress: number[] = [];
    const result = await invalidateSignatures(app.db, {
      criteria,
      moderatorId: moderator.id,
      batchSize: 7,
      onBatch: async ({ done }) => {
        progress.push(done);
        await sign(petition, { email: `meanwhile${done}@example.org`, country: "DE" });
      },
    });
    expect(result).toMatchObject({ matched: 30, batches: 5 });
    expect(progress).toEqual([7, 14, 21, 28, 30]);
    expect(await stored(petition.id)).toEqual({ total: 1 + 5, byCountry: { DE: 6 } });
    const row = await app.db
      .selectFrom("invalidations")
      .selectAll()
      .where("id", "=", result.invalidationId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ petition_id: petition.id, matched: 30, created_by: moderator.id, undone_at: null });
    expect(JSON.parse(row.criteria)).toEqual({ emailDomain: "batch.test" });
    await expectNoDrift(petition.id);

    // A pending one confirmed while invalidated is confirmed but does not count...
    const pending = await app.db
      .selectFrom("signatures")
      .select("email")
      .where("email", "=", "flood0@batch.test")
      .executeTakeFirstOrThrow();
    const mails = await outboxTo(app.db, pending.email);
    expect((await confirm(app.db, tokenIn(mails[0].text))).state).toBe("confirmed");
    expect((await stored(petition.id)).total).toBe(6);
    await expectNoDrift(petition.id);

    // ...and counts once the invalidation is undone. Meanwhile the process's timers and requests get their turn
    // between batches (on SQLite, whose driver answers synchronously, only because the batches let them).
    const undoBatches: number[] = [];
    let turns = 0;
    const turn = setInterval(() => turns++, 0);
    const undone = await undoInvalidation(app.db, {
      petitionId: petition.id,
      invalidationId: result.invalidationId,
      moderatorId: moderator.id,
      batchSize: 7,
      onBatch: ({ done }) => void undoBatches.push(done),
    });
    clearInterval(turn);
    expect(turns).toBeGreaterThan(0);
    expect(undone).toEqual({ restored: 30, batches: 5 });
    expect(undoBatches).toEqual([7, 14, 21, 28, 30]);
    expect(await stored(petition.id)).toEqual({ total: 6 + 25, byCountry: { GB: 16, FR: 9, DE: 6 } });
    await expectNoDrift(petition.id);
    expect(
      await undoInvalidation(app.db, {
        petitionId: petition.id,
        invalidationId: result.invalidationId,
        moderatorId: moderator.id,
      }),
    ).toBeNull();
    const actions = await app.db
      .selectFrom("audit_log")
      .select("action")
      .where("petition_id", "=", petition.id)
      .where("action", "like", "signatures.%")
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(["signatures.invalidate", "signatures.invalidate.undo"]);
  });

  test("a moderator undoes an invalidation from the page; a second undo is refused", async () => {
    const petition = await openPetition();
    await sign(petition, { email: "a@undo.test" });
    await sign(petition, { email: "b@undo.test" });
    const { invalidationId } = await invalidateSignatures(app.db, {
      criteria: { petitionId: petition.id, emailDomain: "undo.test" },
      moderatorId: moderator.id,
    });
    expect((await stored(petition.id)).total).toBe(0);

    const mo = browser(app, moderator);
    expect(withoutTextSeparators(await (await mo.get(safety(petition))).text())).toContain(
      `Undo invalidation ${invalidationId}`,
    );
    const undo = await mo.post(safety(petition), { intent: "undo", invalidationId: String(invalidationId) });
    expect(undo.status).toBe(302);
    expect(undo.headers.get("location")).toBe(`${safety(petition)}?undone=${invalidationId}`);
    expect((await stored(petition.id)).total).toBe(2);
    await expectNoDrift(petition.id);
    expect((await mo.post(safety(petition), { intent: "undo", invalidationId: String(invalidationId) })).status).toBe(
      409,
    );
    expect((await stored(petition.id)).total).toBe(2);

    // An invalidation of another petition cannot be undone from this one's page.
    const other = await openPetition();
    await sign(other, { email: "c@undo.test" });
    const elsewhere = await invalidateSignatures(app.db, {
      criteria: { petitionId: other.id, emailDomain: "undo.test" },
      moderatorId: moderator.id,
    });
    expect(
      (await mo.post(safety(petition), { intent: "undo", invalidationId: String(elsewhere.invalidationId) })).status,
    ).toBe(409);
    expect((await stored(other.id)).total).toBe(0);
  });

  test("bad criteria come back with the errors beside their fields, what was typed kept, and nothing run", async () => {
    const petition = await openPetition();
    await sign(petition, { email: "x@bad.test" });
    const mo = browser(app, moderator);

    const none = await mo.post(safety(petition), {
      intent: "invalidate",
      network: "",
      domain: "",
      email: "",
      country: "",
      from: "",
      to: "",
    });
    expect(none.status).toBe(400);
    expect(await none.text()).toMatch(
      /<p class="field-error" id="criteria-error"[^>]*>Give at least one of network, domain, email, country or time/,
    );
    await expect(
      invalidateSignatures(app.db, { criteria: { petitionId: petition.id }, moderatorId: moderator.id }),
    ).rejects.toThrow(NoFilterError);

    const bad = await mo.post(safety(petition), {
      intent: "check",
      network: "not a network",
      domain: "nodot",
      email: "nope",
      country: "XX",
      from: "yesterday",
      to: "",
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(errorBeside(html, "network")).toMatch(/An address such as 203\.0\.113\.7/);
    expect(errorBeside(html, "domain")).toBe("Enter a domain like example.org");
    expect(errorBeside(html, "email")).toBe("Enter an email address like name@example.org");
    expect(errorBeside(html, "country")).toBe("Choose a country from the list");
    expect(errorBeside(html, "from")).toBe("Enter a time like 2026-11-27T14:05 (UTC)");
    expect(valueOf(html, "network")).toBe("not a network");
    expect(valueOf(html, "domain")).toBe("nodot");

    // Looks like an address but is not one; a /16 is wider than any network we can match.
    for (const network of ["999.1.2.3", "203.0.0.0/16"]) {
      const res = await mo.post(safety(petition), { intent: "invalidate", network });
      expect(res.status).toBe(400);
      expect(errorBeside(await res.text(), "network")).toMatch(/An address such as/);
    }
    const backwards = await mo.post(safety(petition), {
      intent: "check",
      from: "2026-11-27T15:00",
      to: "2026-11-27T14:00",
    });
    expect(errorBeside(await backwards.text(), "to")).toBe("The end of the time window must come after its start");

    expect(
      await app.db.selectFrom("invalidations").selectAll().where("petition_id", "=", petition.id).execute(),
    ).toEqual([]);
    expect((await stored(petition.id)).total).toBe(1);
  });

  test("a network can be given as any address in it: the moderator never needs the hash", async () => {
    const petition = await openPetition();
    await sign(petition, { email: "n1@example.org", ip: "203.0.113.10" });
    await sign(petition, { email: "n2@example.org", ip: "203.0.113.250" });
    await sign(petition, { email: "n3@example.org", ip: "2001:db8:aa:1::5" });
    await sign(petition, { email: "n4@example.org", ip: "192.0.2.10" });
    const mo = browser(app, moderator);
    for (const [network, n] of [
      ["203.0.113.77", 2],
      ["203.0.113.0/24", 2],
      ["2001:db8:aa::/48", 1],
      ["2001:db8:aa:ffff::1", 1],
    ] as const) {
      expect(matchesShown(await (await mo.post(safety(petition), { intent: "check", network })).text()), network).toBe(
        n,
      );
    }
  });
});

describe("trending sources", () => {
  test("a network and a domain over the threshold in the last hour are listed with their counts, and the page offers to prepare an invalidation", async () => {
    const petition = await openPetition();
    for (let i = 0; i < 6; i++)
      await sign(petition, {
        email: `t${i}@trend.test`,
        ip: `203.0.113.${i + 1}`,
        suspect: i >= 4 ? "over the limit for one network on this petition" : undefined,
        confirm: i !== 3,
      });
    // Older than an hour: not trending.
    for (let i = 0; i < 6; i++)
      await sign(petition, { email: `old${i}@old.test`, ip: `192.0.2.${i + 1}`, at: new Date(Date.now() - 2 * HOUR) });
    const network = hashClientAddress("203.0.113.1", app.config.addressSecret).networkHash!;

    const trending = await trendingSources(app.db, { petitionId: petition.id, threshold: 5 });
    expect(trending.map((t) => [t.kind, t.label, t.total, t.counted, t.pending, t.suspect])).toEqual([
      ["network", `net ${network.slice(0, 6)}…`, 6, 3, 1, 2],
      ["domain", "trend.test", 6, 3, 1, 2],
    ]);
    expect(trending[0].value).toBe(network);
    expect(trending[0].oldest <= trending[0].newest).toBe(true);
    expect(await trendingSources(app.db, { petitionId: petition.id, threshold: 6 })).toEqual([]);
    // Across the site, the same sources with their petition.
    expect((await trendingSources(app.db, { threshold: 5 })).filter((t) => t.petitionId === petition.id)).toHaveLength(
      2,
    );

    const mo = browser(app, moderator);
    const page = withoutTextSeparators(await (await mo.get(`${safety(petition)}?threshold=5`)).text());
    expect(page).toContain(`net ${network.slice(0, 6)}…`);
    const prepare = `${safety(petition)}?network=${network}#invalidate`;
    expect(page).toContain(`href="${prepare}"`);
    const prepared = await (await mo.get(prepare)).text();
    expect(valueOf(prepared, "network")).toBe(network);
    expect(matchesShown(await (await mo.post(safety(petition), { intent: "check", network })).text())).toBe(4);

    const site = withoutTextSeparators(await (await mo.get("/moderate/safety?threshold=5")).text());
    expect(site).toContain(`net ${network.slice(0, 6)}…`);
    expect(site).toContain(petition.title);
  });
});

describe("suspects", () => {
  test("a moderator releases all suspects: the confirmed ones count at once, the pending ones when confirmed", async () => {
    const petition = await openPetition();
    const reason = "over the limit for one address on this petition";
    for (let i = 0; i < 3; i++) await sign(petition, { email: `s${i}@example.org`, suspect: reason });
    const waiting = await sign(petition, { email: "s-pending@example.org", suspect: reason, confirm: false });
    await sign(petition, { email: "fine@example.org" });
    expect((await stored(petition.id)).total).toBe(1);

    const mo = browser(app, moderator);
    const page = withoutTextSeparators(await (await mo.get(safety(petition))).text());
    expect(page).toContain(`4: ${reason}`);
    expect(page).toContain("Release all 4 suspect signatures");

    const released = await mo.post(safety(petition), { intent: "release", scope: "all" });
    expect(released.status).toBe(302);
    expect(released.headers.get("location")).toBe(`${safety(petition)}?released=4`);
    expect((await stored(petition.id)).total).toBe(4);
    await expectNoDrift(petition.id);
    expect((await confirm(app.db, waiting.token)).state).toBe("confirmed");
    expect((await stored(petition.id)).total).toBe(5);
    await expectNoDrift(petition.id);
    const [entry] = await app.db
      .selectFrom("audit_log")
      .selectAll()
      .where("petition_id", "=", petition.id)
      .where("action", "=", "signatures.release")
      .execute();
    expect(JSON.parse(entry.details!)).toEqual({ released: 4, counted: 3, ids: "all" });
  });

  test("a moderator releases only the ticked suspects", async () => {
    const petition = await openPetition();
    for (let i = 0; i < 3; i++)
      await sign(petition, {
        email: `pick${i}@example.org`,
        suspect: "over the limit for one network on this petition",
      });
    const rows = await app.db
      .selectFrom("signatures")
      .select(["id", "email"])
      .where("petition_id", "=", petition.id)
      .orderBy("id")
      .execute();
    const mo = browser(app, moderator);
    const body = new URLSearchParams([
      ["intent", "release"],
      ["scope", "selected"],
      ["id", String(rows[0].id)],
      ["id", String(rows[2].id)],
    ]);
    const res = await fetch(new URL(safety(petition), app.url), {
      method: "POST",
      body,
      headers: { cookie: moderator.cookie },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(await holds(petition.id)).toEqual({
      "pick0@example.org": null,
      "pick1@example.org": "suspect",
      "pick2@example.org": null,
    });
    expect((await stored(petition.id)).total).toBe(2);
    await expectNoDrift(petition.id);

    // Ticking nothing is a mistake to point out; ids of another petition's suspects release nothing.
    const none = await mo.post(safety(petition), { intent: "release", scope: "selected" });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Tick the suspects to release");
    const other = await openPetition();
    expect(
      await releaseSuspects(app.db, { petitionId: other.id, moderatorId: moderator.id, ids: [rows[1].id] }),
    ).toEqual({ released: 0, counted: 0 });
    expect(await holds(petition.id)).toMatchObject({ "pick1@example.org": "suspect" });
  });
});

describe("pausing signing", () => {
  test("a moderator pauses one petition: its page shows the message, signing is refused and stores nothing, and pending signers can still confirm", async () => {
    const petition = await openPetition();
    const before = await sign(petition, { email: "early-bird@example.org", confirm: false });
    const mo = browser(app, moderator);
    const message = "Signing is paused while we check a surge of signatures.";
    const paused = await mo.post(safety(petition), { intent: "pause", message });
    expect(paused.status).toBe(302);

    const page = await (await fetch(new URL(`/petitions/${petition.slug}`, app.url))).text();
    expect(page).toContain(message);
    expect(page).not.toContain('id="sign-heading"');
    const written = await rowCounts(app.db);
    const refused = await browser(app).post(
      `/petitions/${petition.slug}`,
      signingForm({ email: "during-pause@example.org" }),
    );
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(message);
    expect(await rowCounts(app.db)).toEqual(written);

    // Someone who signed before the pause confirms during it.
    const confirmed = await browser(app).post(`/confirm/${before.token}`, { intent: "confirm" });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe(`/petitions/${petition.slug}/thank-you`);
    expect((await stored(petition.id)).total).toBe(1);

    // Other petitions are not affected.
    const other = await openPetition();
    expect(await (await fetch(new URL(`/petitions/${other.slug}`, app.url))).text()).toContain('id="sign-heading"');

    expect(withoutTextSeparators(await (await mo.get(safety(petition))).text())).toContain(
      // The moderator's own words, marked as not for translating.
      `Its page shows: “<span translate="no">${message}</span>”`,
    );
    expect((await mo.post(safety(petition), { intent: "resume" })).status).toBe(302);
    expect(await (await fetch(new URL(`/petitions/${petition.slug}`, app.url))).text()).toContain('id="sign-heading"');
    const actions = await app.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("petition_id", "=", petition.id)
      .where("action", "like", "signing.%")
      .orderBy("id")
      .execute();
    expect(actions).toEqual([
      { action: "signing.pause", details: JSON.stringify({ message }) },
      { action: "signing.resume", details: null },
    ]);

    const empty = await mo.post(safety(petition), { intent: "pause", message: "   " });
    expect(empty.status).toBe(400);
    expect(errorBeside(await empty.text(), "pause-message")).toBe(
      "Write the message signers will see instead of the form",
    );
  });

  test("a moderator pauses signing across the site, then resumes it", async () => {
    const a = await openPetition();
    const b = await openPetition();
    const mo = browser(app, moderator);
    const message = "Signing is paused across the site for a few minutes.";
    expect((await mo.post("/moderate/safety", { intent: "pause", message })).status).toBe(302);
    try {
      for (const p of [a, b]) {
        const page = await (await fetch(new URL(`/petitions/${p.slug}`, app.url))).text();
        expect(page).toContain(message);
        expect(page).not.toContain('id="sign-heading"');
      }
      const written = await rowCounts(app.db);
      expect(
        (await browser(app).post(`/petitions/${a.slug}`, signingForm({ email: "site-pause@example.org" }))).status,
      ).toBe(409);
      expect(await rowCounts(app.db)).toEqual(written);
      expect(withoutTextSeparators(await (await mo.get(safety(a))).text())).toContain(
        "Signing is paused across the whole site",
      );
    } finally {
      expect((await mo.post("/moderate/safety", { intent: "resume" })).status).toBe(302);
    }
    expect(await (await fetch(new URL(`/petitions/${a.slug}`, app.url))).text()).toContain('id="sign-heading"');
    const actions = await app.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "like", "signing.%_site")
      .orderBy("id")
      .execute();
    expect(actions.map((x) => x.action)).toEqual(["signing.pause_site", "signing.resume_site"]);
  });
});

describe("who may use the fraud tools", () => {
  test("anonymous visitors are sent to sign in, organizers are refused, moderators and admins get in; refused requests change nothing", async () => {
    const petition = await openPetition();
    await sign(petition, { email: "someone@authz.test" });
    const pages = [safety(petition), "/moderate/safety"];
    for (const path of pages) {
      const anonymous = await browser(app).get(path);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent(path)}`);
      expect((await browser(app, organizer).get(path)).status).toBe(403);
      for (const person of [moderator, admin]) expect((await browser(app, person).get(path)).status).toBe(200);
    }

    const writes: [string, Record<string, string>][] = [
      [safety(petition), { intent: "invalidate", domain: "authz.test" }],
      [safety(petition), { intent: "pause", message: "Paused by someone who may not." }],
      [safety(petition), { intent: "release", scope: "all" }],
      ["/moderate/safety", { intent: "pause", message: "Paused by someone who may not." }],
    ];
    for (const [path, fields] of writes) {
      const anonymous = await browser(app).post(path, fields);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?redirectTo=/);
      // The petition's own organizer is no moderator.
      expect((await browser(app, organizer).post(path, fields)).status).toBe(403);
    }
    expect(await holds(petition.id)).toEqual({ "someone@authz.test": null });
    expect(
      (
        await app.db
          .selectFrom("petitions")
          .select("signing_paused_message")
          .where("id", "=", petition.id)
          .executeTakeFirstOrThrow()
      ).signing_paused_message,
    ).toBeNull();
    expect(await app.db.selectFrom("settings").selectAll().execute()).toEqual([]);

    // A draft has no safety page; an unknown number neither.
    const draft = await makePetition(app, { state: "draft", owner: organizer });
    expect((await browser(app, moderator).get(safety(draft))).status).toBe(404);
    expect((await browser(app, moderator).get("/moderate/petitions/999999/safety")).status).toBe(404);
  });

  test("the moderation pages link to the fraud tools, and a moderator can open a petition's page by its address", async () => {
    const petition = await openPetition();
    const mo = browser(app, moderator);
    expect(await (await mo.get("/moderate")).text()).toContain('href="/moderate/safety"');
    const found = await mo.get(
      `/moderate/safety?petition=${encodeURIComponent(`${app.url}/petitions/${petition.slug}`)}`,
    );
    expect(found.status).toBe(302);
    expect(found.headers.get("location")).toBe(safety(petition));
    expect((await mo.get(`/moderate/safety?petition=${petition.id}`)).headers.get("location")).toBe(safety(petition));
    const missing = await mo.get("/moderate/safety?petition=no-such-petition");
    expect(missing.status).toBe(200);
    expect(errorBeside(await missing.text(), "petition")).toContain("No petition matches");
    const review = await makePetition(app, { state: "in_review", owner: organizer });
    expect(await (await mo.get(`/moderate/${review.id}`)).text()).toContain(`href="${safety(review)}"`);
  });
});
