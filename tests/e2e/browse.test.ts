import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import {
  DESKTOP,
  PHONE,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  useBrowser,
  watchForProblems,
} from "../helpers/browser";
import { makePetition, signedIn } from "../helpers/session";
import { CLOSED_SLUG, OPEN_SLUG } from "../helpers/signing";

const chromium = useBrowser();
let app: TestApp;
let draftTitle: string;

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  const owner = await signedIn(app, "owner@example.org");
  const draft = await makePetition(app, { state: "draft", owner });
  draftTitle = draft.title;
});
afterAll(() => app?.stop());

const titlesOn = (page: Page) => page.locator(".petition-card h2").allInnerTexts();

describe("browsing campaigns", () => {
  test("Lena finds the browse page from the header and searches by a word, without JavaScript", async () => {
    const page = await chromium.newPage({ javaScriptEnabled: false, viewport: PHONE });
    await page.goto(app.url);
    await page.getByRole("link", { name: "Browse", exact: true }).click();
    expect(new URL(page.url()).pathname).toBe("/petitions");
    const all = await titlesOn(page);
    expect(all.length).toBe(3);
    expect(all).not.toContain(draftTitle);
    await saveScreenshot(page, "browse-phone");
    await page.getByLabel("Search").fill("merseyside");
    await page.getByRole("button", { name: "Search" }).click();
    expect(new URL(page.url()).searchParams.get("q")).toBe("merseyside");
    expect(await page.locator(".petition-card h2 a").getAttribute("href")).toBe(`/petitions/${OPEN_SLUG}`);
    expect(await titlesOn(page)).toHaveLength(1);
    // Axe runs in the page's JavaScript: the next test checks these pages with it.
  }, 90_000);

  test("Lena narrows to closed campaigns and pages through them with links; nothing found says so", async () => {
    const page = await chromium.newPage({ viewport: DESKTOP });
    const problems = await watchForProblems(page);
    await page.goto(`${app.url}/petitions`);
    await page.getByLabel("Show").selectOption("closed");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/state=closed/);
    // The address changes as the navigation commits; the list is drawn just after it.
    await expect.poll(() => page.locator(".petition-card h2 a").count()).toBe(1);
    expect(await page.locator(".petition-card h2 a").getAttribute("href")).toBe(`/petitions/${CLOSED_SLUG}`);
    await saveScreenshot(page, "browse-desktop");
    await expectNoSeriousA11yViolations(page);

    await page.goto(`${app.url}/petitions?q=merseyside`);
    await expectNoSeriousA11yViolations(page);
    await page.goto(`${app.url}/petitions?q=${encodeURIComponent('zebra crossings "NEAR(*')}`);
    await expect.poll(() => page.locator(".notice h2").innerText()).toBe("Nothing here");
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "browse-nothing-found");
    expect(problems).toEqual([]);
  }, 90_000);

  test("page links: a page at a time, with the page Lena is on marked", async () => {
    const page = await chromium.newPage({ javaScriptEnabled: false });
    // Three campaigns, twenty a page: one page, no page links.
    await page.goto(`${app.url}/petitions`);
    expect(await page.locator("nav.pager").count()).toBe(0);
    await page.goto(`${app.url}/petitions?page=5`);
    expect(await page.locator(".notice").innerText()).toContain("past the last one");
    const res = await fetch(`${app.url}/petitions?state=nonsense&page=-1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("were not understood");
  });
});
