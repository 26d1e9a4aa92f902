/**
 * An organizer types a title on /start and, a moment later, sees the campaigns that already ask something
 * like it, each a link, announced politely; the page stays clean under axe on a phone and a desktop.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import {
  DESKTOP,
  expectNoSeriousA11yViolations,
  PHONE,
  saveScreenshot,
  useBrowser,
  watchForProblems,
} from "../helpers/browser";
import { signedIn, type Person } from "../helpers/session";
import { OPEN_SLUG } from "../helpers/signing";

let app: TestApp;
let olu: Person;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  olu = await signedIn(app, "olu.organizer@example.org");
});
afterAll(async () => {
  await app?.stop();
});
const browser = useBrowser();

async function startPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const [name, value] = olu.cookie.split(/=(.*)/s);
  await page.context().addCookies([{ name, value, url: app.url }]);
  return page;
}

describe("similar campaigns on the start form", () => {
  for (const [label, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    test(`on a ${label}, typing a title shows the campaigns like it`, { timeout: 90_000 }, async () => {
      const page = await startPage(viewport);
      const problems = await watchForProblems(page);
      await page.goto(`${app.url}/start`);
      await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 10_000 });
      expect(await page.getByRole("heading", { name: "Similar campaigns" }).count()).toBe(0);

      await page
        .getByLabel("Title: what do you want to happen?")
        .fill("Bring the Merseyside model of policing to Wales");
      const heading = page.getByRole("heading", { name: "Similar campaigns" });
      await heading.waitFor({ timeout: 15_000 });
      const link = page.getByRole("link", { name: /Make the Merseyside model of policing UK-wide/ });
      expect(await link.getAttribute("href")).toBe(`/petitions/${OPEN_SLUG}`);
      // Inside a polite live region, so a screen reader hears of it without losing its place.
      expect(await page.locator('[aria-live="polite"]').filter({ has: heading }).count()).toBe(1);

      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, `similar-campaigns-${label}`);

      // A title of its own clears the list again.
      await page.getByLabel("Title: what do you want to happen?").fill("Plant apple trees along Quayside");
      await heading.waitFor({ state: "detached", timeout: 15_000 });
      expect(problems).toEqual([]);
    });
  }
});
