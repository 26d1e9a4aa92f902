import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_SIGNING_LIMITS, type Limit } from "../../app/lib/signing-limits";
import { startTestApp, type TestApp } from "../helpers/app";
import { errorBeside } from "../helpers/html";
import { browser } from "../helpers/session";
import { countsFor, OPEN_SLUG, signingForm } from "../helpers/signing";
import { confirmLinkIn, TestSmtpServer } from "../helpers/smtp";

/*
 * Real people who look like a flood to a simple rule: several people on one device, one network shared by
 * hundreds, fast hands. Each signs with their own mailbox and confirms by email, and each must be counted,
 * and told so only once the public count includes them. The production limits and fill time are on.
 */

const asEnv = (l: Limit) => `${l.points}/${l.seconds}`;
const PRODUCTION = {
  LIMIT_ADDRESS_BURST: asEnv(DEFAULT_SIGNING_LIMITS.addressPerPetitionBurst),
  LIMIT_ADDRESS: asEnv(DEFAULT_SIGNING_LIMITS.addressPerPetition),
  LIMIT_NETWORK: asEnv(DEFAULT_SIGNING_LIMITS.networkPerPetition),
  LIMIT_DOMAIN: asEnv(DEFAULT_SIGNING_LIMITS.domainPerPetition),
  LIMIT_ADDRESS_SITE: asEnv(DEFAULT_SIGNING_LIMITS.addressSiteWide),
  MIN_FILL_SECONDS: "2",
};

let smtp: TestSmtpServer;
let app: TestApp;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url, env: PRODUCTION });
});
afterAll(async () => {
  await app.stop();
  await smtp.stop();
});

/** The campaign page as a browser without JavaScript gets it, from `ip`, and the form's time stamp in it. */
async function openForm(ip: string): Promise<string> {
  const html = await (await browser(app).get(`/petitions/${OPEN_SLUG}`, { "x-forwarded-for": ip })).text();
  const stamp = html.match(/name="started" value="([^"]+)"/)?.[1];
  if (!stamp) throw new Error("The signing form has no time stamp");
  return stamp;
}

/** Sends the signing form from `ip` with the stamp the page gave, at once (as fast as autofill). */
function send(ip: string, started: string, fields: Record<string, string>) {
  return browser(app).post(`/petitions/${OPEN_SLUG}`, { ...signingForm(fields), started }, { "x-forwarded-for": ip });
}

/**
 * The person opens their confirmation email and presses the button; returns the page they end on and the
 * count it shows.
 */
async function confirmByEmail(email: string): Promise<{ page: string; shownCount: number }> {
  const mail = await smtp.waitFor(email, (m) => /confirm/i.test(m.subject ?? ""));
  const link = new URL(confirmLinkIn(mail));
  const pressed = await browser(app).post(link.pathname, { intent: "confirm" });
  expect(pressed.status).toBe(302);
  const thanks = await browser(app).get(pressed.headers.get("location")!);
  const page = await thanks.text();
  const shown = page.match(/class="progress-count"><strong>([\d,]+)<\/strong>/)?.[1];
  if (shown === undefined) throw new Error("The page shows no count");
  return { page, shownCount: Number(shown.replace(/,/g, "")) };
}

async function signAndConfirm(ip: string, email: string, name: string) {
  const before = (await countsFor(app.db, OPEN_SLUG)).total;
  const res = await send(ip, await openForm(ip), { email, name, nameDisplay: "hidden" });
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/check-email`);
  const { page, shownCount } = await confirmByEmail(email);
  expect(page).toContain("is confirmed and counted");
  expect((await countsFor(app.db, OPEN_SLUG)).total).toBe(before + 1);
  // The count under "counted" includes this signature at that moment.
  expect(shownCount).toBe(before + 1);
}

describe("real people who share a device, a network or fast hands are counted", () => {
  test("five people sign one campaign from one tablet at a street stall within a minute, and all five count", async () => {
    const tablet = "198.51.100.23";
    for (let i = 1; i <= 5; i++) await signAndConfirm(tablet, `stall-visitor-${i}@example.net`, `Visitor ${i}`);
    const rows = await app.db
      .selectFrom("signatures")
      .select(["hold", "review_reason"])
      .where("email", "like", "stall-visitor-%")
      .execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.hold === null)).toBe(true);
    // Past the burst limit of three a minute, moderators can see them; they count all the same.
    expect(rows.filter((r) => r.review_reason?.includes("address burst"))).toHaveLength(2);
  });

  test("a person whose browser fills the form in and who presses Sign within two seconds is counted", async () => {
    await signAndConfirm("203.0.113.77", "autofill@example.net", "Quick Hands");
    const row = await app.db
      .selectFrom("signatures")
      .select(["hold", "review_reason"])
      .where("email", "=", "autofill@example.net")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ hold: null });
    expect(row.review_reason).toMatch(/came back after/);
  });

  test("a person without JavaScript corrects a mistake quickly on the error page and is counted", async () => {
    const ip = "192.0.2.55";
    const email = "corrects@example.net";
    const first = await send(ip, await openForm(ip), { email: "corrects-at-example.net", name: "Fixes It" });
    expect(first.status).toBe(400);
    const errorPage = await first.text();
    expect(errorBeside(errorPage, "sign-email")).toMatch(/email address like/);
    // The error page hands out a fresh stamp; the corrected form goes back straight away.
    const restarted = errorPage.match(/name="started" value="([^"]+)"/)?.[1];
    expect(restarted).toBeDefined();
    const before = (await countsFor(app.db, OPEN_SLUG)).total;
    const second = await send(ip, restarted!, { email, name: "Fixes It" });
    expect(second.status).toBe(302);
    const { page } = await confirmByEmail(email);
    expect(page).toContain("is confirmed and counted");
    expect((await countsFor(app.db, OPEN_SLUG)).total).toBe(before + 1);
  });

  test("the 51st person in an hour from one mobile carrier's network is counted", async () => {
    const limit = DEFAULT_SIGNING_LIMITS.networkPerPetition.points;
    // 50 neighbours on the carrier's /24 sign first (each from their own address, so only the network limit applies).
    for (let i = 0; i < limit; i++) {
      const ip = `100.64.7.${i + 2}`;
      const res = await send(ip, await openForm(ip), { email: `neighbour-${i}@example.net`, name: `Neighbour ${i}` });
      expect(res.status).toBe(302);
    }
    await signAndConfirm("100.64.7.200", "fifty-first@example.net", "Fifty First");
    const row = await app.db
      .selectFrom("signatures")
      .select(["hold", "review_reason"])
      .where("email", "=", "fifty-first@example.net")
      .executeTakeFirstOrThrow();
    expect(row.hold).toBeNull();
    expect(row.review_reason).toMatch(/network on this petition/);
  });
});

describe("a signature held by a quiet check is never called counted", () => {
  test("a form that did not come from our page is confirmed, and the page says it is not counted yet", async () => {
    const email = "no-stamp@example.net";
    const before = (await countsFor(app.db, OPEN_SLUG)).total;
    const res = await browser(app).post(`/petitions/${OPEN_SLUG}`, signingForm({ email }), {
      "x-forwarded-for": "198.18.0.9",
    });
    expect(res.status).toBe(302);
    const { page } = await confirmByEmail(email);
    expect(page).not.toContain("confirmed and counted");
    expect(page).toContain("It is not in the count yet");
    expect((await countsFor(app.db, OPEN_SLUG)).total).toBe(before);
  });
});
