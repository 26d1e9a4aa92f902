/**
 * An organizer's API tokens in a real browser: making one (shown once, copied), using it, revoking it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import {
  DESKTOP,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  useBrowser,
  watchForProblems,
} from "../helpers/browser";
import { makePetition, signedIn, type Person } from "../helpers/session";

let app: TestApp;
let organizer: Person;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  organizer = await signedIn(app, "token.maker@example.org");
  await makePetition(app, { state: "open", owner: organizer });
});
afterAll(async () => {
  await app?.stop();
});
const browser = useBrowser();

async function asOrganizer(page: Page) {
  const [name, value] = organizer.cookie.split(/=(.*)/s);
  await page.context().addCookies([{ name, value, url: app.url }]);
}

const petitionsWith = (token: string) =>
  fetch(`${app.url}/api/osdi/v1/petitions`, { headers: { "OSDI-API-Token": token } });

describe("an organizer connects a CRM", () => {
  test("an organizer makes a token, sees it once, copies it, and revokes it", { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    const problems = await watchForProblems(page);
    await asOrganizer(page);
    await page.goto(`${app.url}/account`);
    await page.getByRole("link", { name: "API tokens" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("API tokens");
    await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
    await expectNoSeriousA11yViolations(page);

    // A nameless token is refused, with the problem beside the field.
    await page.getByRole("button", { name: "Make a token" }).click();
    await expect.poll(() => page.locator("#name-error").textContent()).toContain("Give the token a name");

    await page.getByLabel("Name").fill("Action Network");
    await page.getByRole("button", { name: "Make a token" }).click();
    const shown = page.getByRole("textbox", { name: "Token", exact: true });
    await shown.waitFor();
    const token = await shown.inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.getByRole("button", { name: "Copy the token" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "api-tokens-new-token");
    expect((await petitionsWith(token)).status).toBe(200);

    // Shown once: the page, opened again, lists the token by name only.
    await page.goto(`${app.url}/organize/api-tokens`);
    expect(await page.content()).not.toContain(token);
    await expect.poll(() => page.getByRole("cell", { name: "Action Network", exact: true }).count()).toBe(1);

    await page.getByRole("button", { name: "Revoke the token “Action Network”" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("The token was revoked");
    await expect.poll(() => page.getByText(/^Revoked on/).count()).toBe(1);
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "api-tokens-revoked");
    expect((await petitionsWith(token)).status).toBe(401);
    expect(problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);
  });

  test("an organizer without JavaScript makes a token on a phone and can still select it", async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await asOrganizer(page);
    await page.goto(`${app.url}/organize/api-tokens`);
    await page.getByLabel("Name").fill("Spreadsheet sync");
    await page.getByRole("button", { name: "Make a token" }).click();
    const token = await page.getByRole("textbox", { name: "Token", exact: true }).inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // No copy button that would do nothing without a script.
    expect(await page.getByRole("button", { name: "Copy the token" }).count()).toBe(0);
    await saveScreenshot(page, "api-tokens-phone-no-js");
    expect((await petitionsWith(token)).status).toBe(200);
  });
});
