/**
 * A refused form in a real browser: wherever the button was, the list of
 * problems comes into view and takes the focus, on a phone and on a desktop,
 * with JavaScript on (Remix sends the form) and off (a page load). The console
 * stays clean on the way, and after a signer withdraws or erases a signature.
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
  type PageProblem,
} from "../helpers/browser";
import { makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { OPEN_SLUG, signingForm } from "../helpers/signing";
import { postForm } from "../helpers/app";
import { TestSmtpServer } from "../helpers/smtp";

let app: TestApp;
let smtp: TestSmtpServer;
let organizer: Person;
let petition: MadePetition;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  organizer = await signedIn(app, "olu.organizer@example.org");
  petition = await makePetition(app, { state: "open", owner: organizer });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});
const browser = useBrowser();

const SCREENS = [
  { name: "phone", viewport: PHONE },
  { name: "desktop", viewport: DESKTOP },
] as const;
const WAYS = [
  { name: "JavaScript on", javaScriptEnabled: true },
  { name: "JavaScript off", javaScriptEnabled: false },
] as const;

type Visit = { page: Page; problems: PageProblem[]; javaScriptEnabled: boolean };

/** A fresh browser at `path`, as the person (with their session if given), with the console watched. */
async function open(
  path: string,
  opts: { viewport: { width: number; height: number }; javaScriptEnabled: boolean; as?: Person },
): Promise<Visit> {
  const page = await browser.newPage({ viewport: opts.viewport, javaScriptEnabled: opts.javaScriptEnabled });
  if (opts.as) {
    const [name, value] = opts.as.cookie.split(/=(.*)/s);
    await page.context().addCookies([{ name, value, url: app.url }]);
  }
  const problems = await watchForProblems(page, { javaScriptEnabled: opts.javaScriptEnabled });
  const res = await page.goto(`${app.url}${path}`);
  expect(res?.status()).toBe(200);
  // Remix has taken the page over, so the press below is sent by Remix rather than as a page load.
  if (opts.javaScriptEnabled)
    await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
  return { page, problems, javaScriptEnabled: opts.javaScriptEnabled };
}

/** Presses the button and waits for the answer: Remix's data request, or the refused page's load. */
async function press(visit: Visit, button: string, expectedStatus = 400): Promise<void> {
  const { page } = visit;
  const answer = page.waitForResponse((res) => res.request().method() === "POST");
  await page.getByRole("button", { name: button, exact: true }).click();
  const res = await answer;
  if (visit.javaScriptEnabled) {
    expect(new URL(res.url()).pathname).toMatch(/\.data$/);
  } else {
    expect(res.status()).toBe(expectedStatus);
  }
}

/** Where the focus is, and whether the summary it should be on is fully on the screen. */
function summaryState(page: Page) {
  return page.evaluate(() => {
    const summary = document.querySelector(".error-summary");
    if (!summary) return "no summary";
    const box = summary.getBoundingClientRect();
    const focused = document.activeElement === summary;
    // Layout works in fractions of a pixel: a box scrolled to the top edge may start at -0.02.
    const inView = box.top > -1 && box.bottom < window.innerHeight + 1;
    return focused && inView
      ? "focused and in view"
      : `focused: ${focused ? "the summary" : `${document.activeElement?.tagName} ${document.activeElement?.id}`}, top ${Math.round(box.top)}, bottom ${Math.round(box.bottom)} of ${window.innerHeight}`;
  });
}

async function expectSummaryFocusedInView(page: Page, problems: string[] = []): Promise<void> {
  await page.locator(".error-summary").waitFor();
  await expect.poll(() => summaryState(page), { timeout: 3_000 }).toBe("focused and in view");
  expect(await page.locator(".error-summary").getByRole("heading").innerText()).toBe("Please check your answers");
  const links = await page.locator(".error-summary").locator("li").allInnerTexts();
  for (const problem of problems) expect(links).toContain(problem);
}

function expectCleanConsole(problems: PageProblem[]): void {
  expect(problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);
}

/** Once per form (on a desktop, with JavaScript): the refused page, summary and all, reads well to a screen reader. */
async function checkAccessibility(visit: Visit, screen: string): Promise<void> {
  if (screen === "desktop" && visit.javaScriptEnabled) await expectNoSeriousA11yViolations(visit.page);
}

describe("a person whose form is refused is taken to the list of problems", () => {
  for (const screen of SCREENS) {
    for (const way of WAYS) {
      const how = { viewport: screen.viewport, javaScriptEnabled: way.javaScriptEnabled };
      const label = `(${screen.name}, ${way.name})`;

      test(`a signer who presses Sign with the form empty ${label}`, { timeout: 60_000 }, async () => {
        const visit = await open(`/petitions/${OPEN_SLUG}`, how);
        await press(visit, "Sign this petition");
        await expectSummaryFocusedInView(visit.page, ["Enter your name", "Enter your email address"]);
        await checkAccessibility(visit, screen.name);
        await saveScreenshot(visit.page, `refused-sign-form-${screen.name}-${way.javaScriptEnabled ? "js" : "no-js"}`);

        // They fix one thing and press again: the list, now shorter, takes the focus again.
        await visit.page.getByLabel("Name", { exact: true }).fill("Sam Taylor");
        await press(visit, "Sign this petition");
        await expectSummaryFocusedInView(visit.page, ["Enter your email address"]);
        expect(await visit.page.getByLabel("Name", { exact: true }).inputValue()).toBe("Sam Taylor");
        expectCleanConsole(visit.problems);
      });

      test(`someone who asks for a sign-in link without an address ${label}`, { timeout: 60_000 }, async () => {
        const visit = await open("/sign-in", how);
        await press(visit, "Email me a sign-in link");
        await expectSummaryFocusedInView(visit.page, ["Enter your email address"]);
        await checkAccessibility(visit, screen.name);
        expectCleanConsole(visit.problems);
      });

      test(`an organizer who declares victory without saying what was won ${label}`, { timeout: 60_000 }, async () => {
        const visit = await open(`/organize/${petition.id}/manage`, { ...how, as: organizer });
        await visit.page.getByLabel("What was won").fill("   ");
        await press(visit, "Declare victory");
        await expectSummaryFocusedInView(visit.page, ["Tell signers what was won"]);
        await checkAccessibility(visit, screen.name);
        await saveScreenshot(visit.page, `refused-victory-${screen.name}-${way.javaScriptEnabled ? "js" : "no-js"}`);
        expectCleanConsole(visit.problems);
      });

      test(
        `a signer who presses Withdraw without ticking the box, then withdraws ${label}`,
        { timeout: 60_000 },
        async () => {
          const visit = await open(await manageLink(), how);
          await press(visit, "Withdraw my signature");
          await expectSummaryFocusedInView(visit.page, [
            "Tick the box to confirm that you want to withdraw your signature",
          ]);
          await checkAccessibility(visit, screen.name);
          await visit.page.getByLabel("I want to withdraw my signature").check();
          await press(visit, "Withdraw my signature", 200);
          await visit.page.getByRole("heading", { level: 1, name: "Your signature has been withdrawn" }).waitFor();
          expectCleanConsole(visit.problems);
        },
      );
    }
  }
});

describe("a signer erases their details", () => {
  for (const way of WAYS) {
    test(`the page after erasing is clean (${way.name})`, { timeout: 60_000 }, async () => {
      const visit = await open(await manageLink(), { viewport: PHONE, javaScriptEnabled: way.javaScriptEnabled });
      await press(visit, "Erase my details");
      await expectSummaryFocusedInView(visit.page, ["Tick the box to confirm that you want your details erased"]);
      await visit.page.getByLabel("I understand that this cannot be undone").check();
      await press(visit, "Erase my details", 200);
      await visit.page.getByRole("heading", { level: 1, name: "Your details have been erased" }).waitFor();
      expectCleanConsole(visit.problems);
    });
  }
});

let signers = 0;
/** A new signature's manage page, from the link in its confirmation email. */
async function manageLink(): Promise<string> {
  const email = `refused.${++signers}@example.org`;
  const res = await postForm(`${app.url}/petitions/${OPEN_SLUG}`, signingForm({ email }));
  expect(res.status).toBe(302);
  const mail = await smtp.waitFor(email);
  const link = mail.text?.match(/https?:\/\/\S+(\/signature\/[A-Za-z0-9_-]{43})/)?.[1];
  if (!link) throw new Error(`No manage link in: ${mail.text?.slice(0, 300)}`);
  return link;
}
