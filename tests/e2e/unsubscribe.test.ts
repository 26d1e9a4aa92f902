/**
 * A signer follows an unsubscribe link from an update email in a real
 * browser, with JavaScript on and off: the pages work either way, and a
 * screen reader user meets no serious accessibility problems on them.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { unsubscribeToken } from "../../app/lib/unsubscribe.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { expectNoSeriousA11yViolations, useBrowser, watchForProblems } from "../helpers/browser";
import { getPetition, OPEN_SLUG } from "../helpers/signing";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app.stop();
});
const browser = useBrowser();

let signers = 0;
/** A confirmed signature that asked for updates, as signing and confirming leave it. */
async function subscriber(): Promise<number> {
  const petition = await getPetition(app.db, OPEN_SLUG);
  const now = new Date().toISOString();
  const email = `reader${++signers}@example.org`;
  const { id } = await app.db
    .insertInto("signatures")
    .values({
      petition_id: petition.id,
      name: "Robin Reader",
      email,
      canonical_email: email,
      country: "GB",
      postcode: null,
      name_display: "full",
      updates_consent: 1,
      consent_wording_version: UPDATES_CONSENT.version,
      status: "confirmed",
      token_hash: null,
      token_expires_at: null,
      created_at: now,
      updated_at: now,
      confirmed_at: now,
      hold: null,
      hold_reason: null,
      invalidation_id: null,
      ip_hash: null,
      network_hash: null,
      email_domain: "example.org",
      manage_token_hash: null,
      manage_token_expires_at: null,
      anonymised_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

const link = (id: number, scope: "petition" | "all") =>
  `${app.url}/unsubscribe/${unsubscribeToken(app.config.unsubscribeSecret, id, scope)}`;
const consent = async (id: number) =>
  (await app.db.selectFrom("signatures").select("updates_consent").where("id", "=", id).executeTakeFirstOrThrow())
    .updates_consent;
/**
 * The page's heading is there and, with JavaScript on, Remix has taken the page over and finished
 * loading: a press before then is sent twice, by the browser and again by React replaying it.
 */
async function heading(page: Page, name: string, javaScriptEnabled: boolean) {
  await page.getByRole("heading", { level: 1, name }).waitFor();
  if (!javaScriptEnabled) return;
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
  await page.waitForLoadState("networkidle");
}

describe.each([
  ["on", true],
  ["off", false],
] as const)("a signer unsubscribes with JavaScript %s", (_label, javaScriptEnabled) => {
  test("stops this campaign's updates from the link's page", async () => {
    const id = await subscriber();
    const page = await browser.newPage({ javaScriptEnabled });
    // The watcher works through page scripts, so it only has something to say with JavaScript on.
    const problems = javaScriptEnabled ? await watchForProblems(page) : [];
    await page.goto(link(id, "petition"));
    await heading(page, "Stop updates about this campaign", javaScriptEnabled);
    if (javaScriptEnabled) await expectNoSeriousA11yViolations(page); // axe runs as a script in the page
    expect(await consent(id)).toBe(1);
    await page.getByRole("button", { name: "Stop updates" }).click();
    await heading(page, "You are unsubscribed", javaScriptEnabled);
    if (javaScriptEnabled) await expectNoSeriousA11yViolations(page); // axe runs as a script in the page
    expect(await consent(id)).toBe(0);
    expect(problems).toEqual([]); // aborted requests are not counted (tests/helpers/browser.ts)
  });

  test("stops all email, then changes their mind", async () => {
    const id = await subscriber();
    const page = await browser.newPage({ javaScriptEnabled });
    // The watcher works through page scripts, so it only has something to say with JavaScript on.
    const problems = javaScriptEnabled ? await watchForProblems(page) : [];
    await page.goto(link(id, "all"));
    await heading(page, "Stop all email from this site", javaScriptEnabled);
    await page.getByRole("button", { name: "Stop all email" }).click();
    await heading(page, "We will send you no more email", javaScriptEnabled);
    if (javaScriptEnabled) await expectNoSeriousA11yViolations(page); // axe runs as a script in the page
    expect(
      await app.db
        .selectFrom("suppressions")
        .select("reason")
        .where("canonical_email", "=", `reader${signers}@example.org`)
        .execute(),
    ).toEqual([{ reason: "unsubscribe_all" }]);
    await page.getByRole("button", { name: "Start receiving email again" }).click();
    await heading(page, "Email from this site can reach you again", javaScriptEnabled);
    expect(
      await app.db
        .selectFrom("suppressions")
        .selectAll()
        .where("canonical_email", "=", `reader${signers}@example.org`)
        .execute(),
    ).toEqual([]);
    expect(problems).toEqual([]); // aborted requests are not counted (tests/helpers/browser.ts)
  });

  test("a link that is not valid says so and points to the manage links", async () => {
    const page = await browser.newPage({ javaScriptEnabled });
    const res = await page.goto(`${app.url}/unsubscribe/p1.not-a-real-mac`);
    expect(res?.status()).toBe(404);
    await heading(page, "This link is not valid", javaScriptEnabled);
    if (javaScriptEnabled) await expectNoSeriousA11yViolations(page); // axe runs as a script in the page
    await page.getByRole("link", { name: "Manage my signatures" }).click();
    await heading(page, "Manage a signature", javaScriptEnabled);
  });
});
