/**
 * An organizer's campaign pages read in Welsh and Spanish on a phone, in Chromium: editing the text (with a cover
 * image), managing the campaign (with a refused form), the dashboard's chart and the API tokens page. Each is clean
 * under axe and nothing is wider than the phone; screenshots in tests/.artifacts/screenshots.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import {
  expectNoSeriousA11yViolations,
  PHONE,
  saveScreenshot,
  useBrowser,
  watchForProblems,
  type PageProblem,
} from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/app";
import { makePetition, signedIn, type Person } from "../helpers/session";
import { seedSigners } from "../helpers/signers";
import { processCoverImage, saveCoverImage } from "../../app/models/image.server";
import { recountAll } from "../../app/models/counts.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { inviteOrganizer } from "../../app/models/organizer-team.server";

const browser = useBrowser();
let app: TestApp;
let organizer: Person;
let petitionId: number;

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  organizer = await signedIn(app, "phone-organizer@example.org");
  const petition = await makePetition(app, { state: "open", owner: organizer });
  petitionId = petition.id;
  await inviteOrganizer(app.db, {
    petitionId,
    ownerId: organizer.id,
    ownerEmail: organizer.email,
    email: "a-rather-long-address-for-a-co-organizer@example.org",
    site: { appUrl: app.config.appUrl },
  });
  const picture = await sharp({ create: { width: 1200, height: 630, channels: 3, background: "#1d7a3a" } })
    .png()
    .toBuffer();
  const processed = await processCoverImage(picture);
  if (!processed.ok) throw new Error(processed.error);
  await saveCoverImage(app.db, { petitionId, userId: organizer.id, image: processed.image, moderation: false });
  await seedSigners(app.db, petitionId, 4, { prefix: "phone-chart", consent: true });
  await recountAll(app.db);
  await createApiToken(app.db, organizer.id, "Our CRM");
});
afterAll(() => app?.stop());

const watched = new WeakMap<Page, PageProblem[]>();

async function asOrganizer(lang: string) {
  const page = await browser.newPage({ viewport: PHONE });
  watched.set(page, await watchForProblems(page));
  const [name, value] = organizer.cookie.split(/=(.*)/s);
  await page.context().addCookies([
    { name, value, url: app.url },
    { name: "lang", value: lang, url: app.url },
  ]);
  return page;
}

/**
 * The page took over from the server's HTML without a mismatch (a date the browser writes otherwise than the server
 * did makes React render the whole page again, without the styles the server put in it), and fits the phone.
 */
async function fitsThePhone(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
  await page.waitForLoadState("networkidle");
  expect(watched.get(page), "the browser reports no problem").toEqual([]);
  const styles = await page.evaluate(() => document.getElementById("site-styles")?.textContent?.length ?? 0);
  expect(styles, "the page keeps its styles").toBeGreaterThan(0);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "nothing overflows the phone's width").toBeLessThanOrEqual(PHONE.width);
}

describe.each(["cy", "es"])("an organizer reading in %s on a phone", (lang) => {
  test("edits the campaign's text beside its cover image", async () => {
    const page = await asOrganizer(lang);
    await page.goto(`${app.url}/organize/${petitionId}/edit`);
    await page.locator("h1").waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe(lang);
    await expectNoSeriousA11yViolations(page);
    await fitsThePhone(page);
    await saveScreenshot(page, `campaign-edit-${lang}-phone`);
  });

  test("manages the campaign, and is told beside the field what a refused form lacks", async () => {
    const page = await asOrganizer(lang);
    await page.goto(`${app.url}/organize/${petitionId}/manage`);
    await page.locator("h1").waitFor();
    await expectNoSeriousA11yViolations(page);
    await fitsThePhone(page);
    await saveScreenshot(page, `campaign-manage-${lang}-phone`);
    // Declaring victory without saying what was won.
    await page.locator('button[value="victory"]').click();
    await page.locator("#message-error").waitFor();
    expect(await page.locator("#message-error").textContent()).not.toContain("Tell signers");
    await expectNoSeriousA11yViolations(page);
    await fitsThePhone(page);
    await saveScreenshot(page, `campaign-manage-${lang}-errors-phone`);
  });

  test("reads the dashboard's chart and the API tokens page", async () => {
    const page = await asOrganizer(lang);
    await page.goto(`${app.url}/organize/${petitionId}`);
    await page.locator(".chart-svg").waitFor();
    await expectNoSeriousA11yViolations(page);
    await fitsThePhone(page);
    await saveScreenshot(page, `campaign-dashboard-${lang}-phone`);
    await page.goto(`${app.url}/organize/api-tokens`);
    await page.locator("h1").waitFor();
    await expectNoSeriousA11yViolations(page);
    await fitsThePhone(page);
    await saveScreenshot(page, `api-tokens-${lang}-phone`);
  });
});
