import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  PHONE,
  saveScreenshot,
  watchForProblems,
} from "../helpers/browser";
import { MERSEYSIDE } from "./signer";

/** Waits for what the browser shows, with room for a busy machine (a cold card render takes seconds). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const DESKTOP_SCREEN = { width: 1280, height: 800 } as const;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function open(viewport: { width: number; height: number }, opts: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport, locale: "en-GB", ...opts });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = await watchForProblems(page);
  await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
  return { context, page, problems };
}

describe("a new visitor to a campaign", () => {
  test("on a desktop sees the Sign button within the first screenful, and a bold progress bar", async () => {
    const { context, page, problems } = await open(DESKTOP_SCREEN);
    try {
      const button = page.getByRole("button", { name: "Sign this petition" });
      const box = (await button.boundingBox())!;
      console.log(`desktop 1280×800: the Sign button's bottom edge is ${Math.round(box.y + box.height)} px down`);
      await page.screenshot({ path: "tests/.artifacts/screenshots/campaign-page-desktop-first-screen.png" });
      expect(box.y + box.height).toBeLessThanOrEqual(DESKTOP_SCREEN.height);

      const bar = page.getByRole("progressbar");
      const barBox = (await bar.boundingBox())!;
      expect(barBox.height).toBeGreaterThanOrEqual(12);
      const fill = (await page.locator(".progress-fill").boundingBox())!;
      expect(fill.width).toBeGreaterThan(0);
      await poll(() => page.locator(".progress-goal").innerText()).toMatch(/^[\d,]+ more to reach [\d,]+$/);

      await saveScreenshot(page, "campaign-page-desktop-after");
      await expectNoSeriousA11yViolations(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("on a phone meets the form right after the title and summary", async () => {
    const { context, page, problems } = await open(PHONE);
    try {
      const name = (await page.getByLabel("Name", { exact: true }).boundingBox())!;
      const button = (await page.getByRole("button", { name: "Sign this petition" }).boundingBox())!;
      console.log(
        `phone 390×844: the Name field starts ${Math.round(name.y)} px down, the Sign button ends ${Math.round(button.y + button.height)} px down`,
      );
      // The title, who it is addressed to and the summary come first; the form right after, before the text.
      const text = (await page.getByRole("heading", { name: "Why this matters" }).boundingBox())!;
      expect(button.y).toBeLessThan(text.y);
      expect(name.y).toBeLessThan(2 * PHONE.height);

      // The promises in full are one press away, also without JavaScript (a <details>).
      await page.getByText("Who sees what").click();
      await poll(() =>
        page.getByText("never your email address unless you ask for updates", { exact: false }).isVisible(),
      ).toBe(true);
      await saveScreenshot(page, "campaign-page-phone-after");
      await expectNoSeriousA11yViolations(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("copies the campaign's link with the Copy link button", async () => {
    const { context, page } = await open(DESKTOP_SCREEN, { permissions: ["clipboard-read", "clipboard-write"] });
    try {
      await page.getByRole("button", { name: "Copy link" }).click();
      await poll(() => page.getByRole("status").filter({ hasText: "Link copied" }).count()).toBe(1);
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      await poll(() =>
        page.getByRole("link", { name: "WhatsApp (opens in a new tab)" }).getAttribute("href"),
      ).toContain(encodeURIComponent(`${app.url}/petitions/${MERSEYSIDE.slug}`));
    } finally {
      await context.close();
    }
  });

  test("shares through the browser's own share sheet where the browser has one", async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: "en-GB" });
    try {
      const page = await context.newPage();
      // Desktop Chromium on Linux has no share sheet; this stands in for a phone's, and records what it was given.
      await page.addInitScript(() => {
        const shared: ShareData[] = [];
        (window as unknown as { shared: ShareData[] }).shared = shared;
        Object.defineProperty(navigator, "share", { value: async (data: ShareData) => void shared.push(data) });
      });
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      await page.getByRole("button", { name: "Share…" }).click();
      await poll(() => page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared)).toEqual([
        expect.objectContaining({ url: `${app.url}/petitions/${MERSEYSIDE.slug}` }),
      ]);
    } finally {
      await context.close();
    }
  });

  test("without JavaScript still finds the share links and the link to copy by hand", async () => {
    const { context, page } = await open(PHONE, { javaScriptEnabled: false });
    try {
      expect(await page.getByRole("link", { name: "Email (opens in a new tab)" }).count()).toBe(1);
      expect(await page.getByLabel("Link to this campaign").inputValue()).toBe(
        `${app.url}/petitions/${MERSEYSIDE.slug}`,
      );
      // Buttons that could not work without JavaScript are not shown.
      expect(await page.getByRole("button", { name: "Copy link" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe("a visitor to the home page", () => {
  test("sees each campaign with its picture", async () => {
    const { context, page } = await open(DESKTOP_SCREEN);
    try {
      await page.goto(`${app.url}/`);
      const images = page.locator(".petition-card img");
      expect(await images.count()).toBeGreaterThan(0);
      await poll(() => images.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);
      await saveScreenshot(page, "home-page-desktop");
      await expectNoSeriousA11yViolations(page);
    } finally {
      await context.close();
    }
  });
});
