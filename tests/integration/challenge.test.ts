import type { Challenge } from "altcha-lib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHALLENGE_REASONS, CHALLENGE_TTL_MS, newChallenge } from "../../app/lib/challenge-puzzle.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { solvedField, tampered } from "../helpers/challenge";
import { withoutStylesheet, withoutTextSeparators } from "../helpers/html";
import { browser, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { outboxTo, signingForm, tokenIn, withoutNonces } from "../helpers/signing";
import { signatureCount } from "../../app/models/counts.server";

/*
 * The optional proof-of-work challenge (docs/decisions/0013-optional-challenge.md),
 * switched by a moderator and met by signers as they meet it: the campaign
 * page, its challenge address, and the signing form. Solutions are solved
 * with altcha-lib's own solver, as the widget solves them in a browser.
 */

let app: TestApp;
let moderator: Person;
let organizer: Person;
let signer: Person;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  moderator = await signedIn(app, "mo@example.org", ["moderator"]);
  organizer = await signedIn(app, "olivia@example.org");
  signer = await signedIn(app, "sid@example.org");
});
afterAll(async () => {
  await app.stop();
});

const safety = (p: { id: number }) => `/moderate/petitions/${p.id}/safety`;
const HINT = "Before your signature is sent, your browser does a short check by itself";

async function openPetition() {
  return makePetition(app, { state: "open", owner: organizer });
}

async function switchChallenge(petition: MadePetition, on: boolean) {
  const res = await browser(app, moderator).post(
    safety(petition),
    { intent: on ? "challenge-on" : "challenge-off" },
    { origin: app.url },
  );
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe(`${safety(petition)}?challenge=${on ? "on" : "off"}`);
}

/** A challenge from the petition's challenge address, as the widget fetches it. */
async function fetchChallenge(petition: MadePetition): Promise<Challenge> {
  const res = await browser(app).get(`/petitions/${petition.slug}/challenge`);
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return (await res.json()) as Challenge;
}

/** Posts the signing form as a browser would, with the widget's field when given; returns what the person gets. */
async function sign(petition: MadePetition, email: string, altcha?: string) {
  const res = await browser(app).post(`/petitions/${petition.slug}`, {
    ...signingForm({ email }),
    ...(altcha === undefined ? {} : { altcha }),
  });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

async function holdOf(email: string) {
  return app.db
    .selectFrom("signatures")
    .select(["hold", "hold_reason"])
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
}

/** The petition's count as the public sees it. */
function countOf(petition: MadePetition) {
  return signatureCount(app.db, petition.id);
}

/** Confirms by the emailed link, as the signer would. */
async function confirm(email: string) {
  const [mail] = await outboxTo(app.db, email);
  const res = await browser(app).post(`/confirm/${tokenIn(mail.text)}`);
  expect(res.status).toBe(302);
}

async function pageHtml(petition: MadePetition) {
  return withoutTextSeparators(await (await browser(app).get(`/petitions/${petition.slug}`)).text());
}

describe("with the challenge off (the default)", () => {
  test("the page has no challenge, there is none to fetch, and signatures count as before, whatever the form carries", async () => {
    const petition = await openPetition();
    const html = await pageHtml(petition);
    expect(html).not.toContain(HINT);
    expect(withoutStylesheet(html)).not.toContain("altcha");
    expect((await browser(app).get(`/petitions/${petition.slug}/challenge`)).status).toBe(404);

    await sign(petition, "plain@example.org");
    await sign(petition, "junk-field@example.org", "not a solution");
    for (const email of ["plain@example.org", "junk-field@example.org"]) {
      expect(await holdOf(email)).toEqual({ hold: null, hold_reason: null });
      await confirm(email);
    }
    expect(await countOf(petition)).toBe(2);
  });
});

describe("with the challenge on", () => {
  let petition: MadePetition;
  beforeAll(async () => {
    petition = await openPetition();
    await switchChallenge(petition, true);
  });

  test("the page tells people what happens, and hands out fresh, signed challenges that are never cached", async () => {
    const html = await pageHtml(petition);
    expect(html).toContain(HINT);
    expect(html).toContain("you can still sign, and a moderator will look at your signature before it counts");
    const [a, b] = [await fetchChallenge(petition), await fetchChallenge(petition)];
    expect(a.parameters.algorithm).toBe("PBKDF2/SHA-256");
    expect(a.parameters.data).toEqual({ petition: petition.id });
    expect(a.signature).not.toBe(b.signature);
    // Other petitions are not affected.
    expect(await pageHtml(await openPetition())).not.toContain(HINT);
  });

  test("a signer whose browser solved the challenge signs and is counted", async () => {
    const before = await countOf(petition);
    const res = await sign(petition, "solver@example.org", await solvedField(await fetchChallenge(petition)));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/petitions/${petition.slug}/check-email`);
    expect(await holdOf("solver@example.org")).toEqual({ hold: null, hold_reason: null });
    await confirm("solver@example.org");
    expect(await countOf(petition)).toBe(before + 1);
  });

  test("without a valid, unexpired, unused solution the signature is kept but held, and the person sees exactly the same", async () => {
    const good = await sign(petition, "reference@example.org", await solvedField(await fetchChallenge(petition)));
    const used = await solvedField(await fetchChallenge(petition));
    expect((await sign(petition, "first-use@example.org", used)).status).toBe(302);
    const expired = await solvedField(
      await newChallenge(app.config.challengeSecret, petition.id, Date.now() - CHALLENGE_TTL_MS - 1000),
    );
    const forOther = await solvedField(await newChallenge(app.config.challengeSecret, petition.id + 1000));

    const cases: [string, string | undefined, string][] = [
      ["no-js@example.org", undefined, CHALLENGE_REASONS.missing],
      ["junk@example.org", "bm90IGEgc29sdXRpb24=", CHALLENGE_REASONS.invalid],
      [
        "forged@example.org",
        tampered(used, (p) => void (p.solution.derivedKey = "00".repeat(32))),
        CHALLENGE_REASONS.invalid,
      ],
      ["other-petition@example.org", forOther, CHALLENGE_REASONS.invalid],
      ["expired@example.org", expired, CHALLENGE_REASONS.expired],
      ["replay@example.org", used, CHALLENGE_REASONS.replayed],
    ];
    const before = await countOf(petition);
    for (const [email, altcha, reason] of cases) {
      const res = await sign(petition, email, altcha);
      expect({ status: res.status, location: res.location, body: withoutNonces(res.body) }).toEqual({
        ...good,
        body: withoutNonces(good.body),
      });
      expect(await holdOf(email)).toEqual({ hold: "suspect", hold_reason: reason });
      // Confirmed or not, a held signature never counts until a moderator releases it.
      await confirm(email);
    }
    expect(await countOf(petition)).toBe(before);
    // The moderators' page shows why they are held.
    const page = withoutTextSeparators(await (await browser(app, moderator).get(safety(petition))).text());
    for (const [, , reason] of cases) expect(page).toContain(reason);
  });

  test("two forms sent at once with one solution: one signs, the other is held", async () => {
    const field = await solvedField(await fetchChallenge(petition));
    await Promise.all([sign(petition, "race-a@example.org", field), sign(petition, "race-b@example.org", field)]);
    const holds = [await holdOf("race-a@example.org"), await holdOf("race-b@example.org")].map((h) => h.hold);
    expect(holds.sort()).toEqual([null, "suspect"].sort());
  });

  test("a solution signs once; a form caught by the honeypot spends nothing", async () => {
    const field = await solvedField(await fetchChallenge(petition));
    // A bot that fills the honeypot is told what a person is told, and nothing is kept: not even the spending.
    await browser(app).post(`/petitions/${petition.slug}`, {
      ...signingForm({ email: "honeypot@example.org" }),
      website: "http://spam.example",
      altcha: field,
    });
    expect(
      await app.db.selectFrom("signatures").select("id").where("email", "=", "honeypot@example.org").execute(),
    ).toEqual([]);
    await sign(petition, "spender@example.org", field);
    await sign(petition, "second-spender@example.org", field);
    expect((await holdOf("spender@example.org")).hold).toBeNull();
    expect(await holdOf("second-spender@example.org")).toEqual({
      hold: "suspect",
      hold_reason: CHALLENGE_REASONS.replayed,
    });
  });
});

describe("the moderators' switch", () => {
  test("turning it on and off is audited once per change, and the page says where it stands", async () => {
    const petition = await openPetition();
    const mo = browser(app, moderator);
    expect(withoutTextSeparators(await (await mo.get(safety(petition))).text())).toContain("The browser check is off.");
    await switchChallenge(petition, true);
    // A second press (another moderator, a double click) changes nothing and logs nothing.
    await switchChallenge(petition, true);
    const on = withoutTextSeparators(await (await mo.get(`${safety(petition)}?challenge=on`)).text());
    expect(on).toContain("The browser check is on: signatures without a solved check are held as suspect.");
    expect(on).toMatch(/The browser check has been on since \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
    await switchChallenge(petition, false);
    expect((await browser(app).get(`/petitions/${petition.slug}/challenge`)).status).toBe(404);
    expect(await pageHtml(petition)).not.toContain(HINT);

    const actions = await app.db
      .selectFrom("audit_log")
      .select(["action", "actor_id"])
      .where("petition_id", "=", petition.id)
      .where("action", "like", "signing.challenge%")
      .orderBy("id")
      .execute();
    expect(actions).toEqual([
      { action: "signing.challenge_on", actor_id: moderator.id },
      { action: "signing.challenge_off", actor_id: moderator.id },
    ]);
  });

  test("only moderators may switch it: signers and organizers are refused, anonymous visitors sent to sign in, other sites refused", async () => {
    const petition = await openPetition();
    const fields = { intent: "challenge-on" };
    const anonymous = await browser(app).post(safety(petition), fields);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?redirectTo=/);
    for (const person of [signer, organizer])
      expect((await browser(app, person).post(safety(petition), fields)).status).toBe(403);
    // A moderator's browser tricked into posting from another site.
    const crossSite = await browser(app, moderator).post(safety(petition), fields, {
      origin: "https://attacker.example",
    });
    expect(crossSite.status).toBe(403);
    // Nonsense is a 400 with the page, not a 500.
    expect((await browser(app, moderator).post(safety(petition), { intent: "challenge-maybe" })).status).toBe(400);

    const row = await app.db
      .selectFrom("petitions")
      .select("challenge_required_since")
      .where("id", "=", petition.id)
      .executeTakeFirstOrThrow();
    expect(row.challenge_required_since).toBeNull();
    expect(
      await app.db
        .selectFrom("audit_log")
        .select("id")
        .where("petition_id", "=", petition.id)
        .where("action", "like", "signing.challenge%")
        .execute(),
    ).toEqual([]);
  });
});
