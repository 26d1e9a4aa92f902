import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type FrameLocator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { CHROMIUM_PATH, expectNoSeriousA11yViolations, saveScreenshot, watchForProblems } from "../helpers/browser";
import { TestSmtpServer } from "../helpers/smtp";
import { isConfirmationMail, MERSEYSIDE } from "./signer";

/** Waits for what the browser shows, with room for a busy machine (a cold card render takes seconds). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

/**
 * The widget on an organisation's own site: a page on another origin (localhost, where the app is on
 * 127.0.0.1: another site, so the widget is a third party there) frames it, in a Chromium that blocks
 * third-party cookies.
 */
let app: TestApp;
let smtp: TestSmtpServer;
let browser: Browser;
let host: http.Server;
let hostUrl: string;

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  host = http.createServer((_req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Friends of Merseyside</title></head>
<body style="font-family: sans-serif; background: #eef3ee; margin: 2rem">
<h1>Friends of Merseyside</h1>
<p>We back this campaign. Add your name below.</p>
<iframe src="${app.url}/embed/${MERSEYSIDE.slug}" title="Sign the petition: ${MERSEYSIDE.title}"
  width="100%" height="760" loading="lazy" style="border: 0; max-width: 28rem;"></iframe>
<script src="${app.url}/widget.js" async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", () => resolve()));
  hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      // Chromium's own switch for blocking third-party cookies, as browsers increasingly do by default.
      "--test-third-party-cookie-phaseout",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  host?.closeAllConnections();
  await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
  await app?.stop();
  await smtp?.stop();
});

async function fill(frame: FrameLocator, name: string, email: string) {
  await frame.getByLabel("Name", { exact: true }).fill(name);
  await frame.getByLabel("Email address", { exact: true }).fill(email);
  await frame.getByLabel("Country", { exact: true }).selectOption({ label: "United Kingdom" });
}

describe("a supporter on an organisation's own site", () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`signs inside the widget with third-party cookies blocked, and is told to check their email there (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
      context.setDefaultTimeout(15_000);
      try {
        const page = await context.newPage();
        const problems = await watchForProblems(page, { javaScriptEnabled });
        await page.goto(hostUrl);
        const frame = page.frameLocator("iframe");
        await poll(() => frame.getByRole("heading", { name: MERSEYSIDE.title }).count()).toBe(1);

        if (javaScriptEnabled) {
          // The frame really is a third party whose cookies are blocked: one it tries to set does not stick.
          const widget = page.frames().find((f) => f.url().startsWith(app.url))!;
          expect(await widget.evaluate(() => ((document.cookie = "probe=1"), document.cookie))).toBe("");
          // The resizer on the host page sized the frame to what the widget shows.
          await poll(async () => {
            const frameHeight = await page.locator("iframe").evaluate((f: HTMLIFrameElement) => f.offsetHeight);
            const contentHeight = await widget.evaluate(() => document.body.getBoundingClientRect().height);
            return Math.abs(frameHeight - contentHeight);
          }).toBeLessThanOrEqual(1);
        }

        const email = `widget-${javaScriptEnabled ? "js" : "nojs"}@example.org`;
        await fill(frame, "Wren Widget", email);
        await frame.getByRole("button", { name: "Sign this petition" }).click();
        await poll(() => frame.getByRole("heading", { name: "Check your email" }).count()).toBe(1);
        // Still on the organisation's page: only the frame moved on.
        expect(page.url()).toBe(hostUrl);
        if (javaScriptEnabled) {
          // The frame shrank to the shorter answer.
          await poll(() => page.locator("iframe").evaluate((f: HTMLIFrameElement) => f.offsetHeight)).toBeLessThan(700);
        }

        const mail = await smtp.waitFor(email, isConfirmationMail);
        expect(mail.subject).toBeTruthy();
        const stored = await app.db
          .selectFrom("signatures")
          .select(["name", "hold_reason"])
          .where("email", "=", email)
          .execute();
        // Stored as from the campaign page: its signed time stamp came back in the form, not in a cookie.
        expect(stored).toEqual([{ name: "Wren Widget", hold_reason: null }]);
        // No cookie anywhere: the widget needed none.
        expect(await context.cookies()).toEqual([]);

        await saveScreenshot(page, `widget-on-another-site-after-signing-js-${javaScriptEnabled ? "on" : "off"}`);
        if (javaScriptEnabled) await expectNoSeriousA11yViolations(page);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  test("sees what is wrong beside the field inside the widget, with what they typed kept", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(hostUrl);
      const frame = page.frameLocator("iframe");
      await fill(frame, "Wren Widget", "not-an-address");
      await frame.getByRole("button", { name: "Sign this petition" }).click();
      await poll(() => frame.locator("#sign-email-error").count()).toBe(1);
      expect(await frame.getByLabel("Name", { exact: true }).inputValue()).toBe("Wren Widget");
      await saveScreenshot(page, "widget-on-another-site-phone-refused");
      await expectNoSeriousA11yViolations(page);
    } finally {
      await context.close();
    }
  });

  test("before signing, the widget inside the organisation's page", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(hostUrl);
      await poll(() => page.frameLocator("iframe").getByRole("button", { name: "Sign this petition" }).count()).toBe(1);
      await saveScreenshot(page, "widget-on-another-site");
      await expectNoSeriousA11yViolations(page);
    } finally {
      await context.close();
    }
  });
});
