import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import {
  DESKTOP,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  useBrowser,
  watchForProblems,
} from "../helpers/browser";
import { browser as httpClient } from "../helpers/session";
import { signatureCount } from "../../app/models/counts.server";
import { OPEN_SLUG, getPetition, outboxTo, signingForm, tokenIn } from "../helpers/signing";
import { shownCount } from "./signer";

const chromium = useBrowser();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.stop());

async function someoneSignsAndConfirms(email: string) {
  await httpClient(app).post(`/petitions/${OPEN_SLUG}`, signingForm({ email, name: "Rosa Vell" }));
  const [mail] = await outboxTo(app.db, email);
  expect((await httpClient(app).post(`/confirm/${tokenIn(mail.text)}`, { intent: "confirm" })).status).toBe(302);
}

describe("a campaign's count, live", () => {
  test("Omar keeps the campaign open and sees the count rise when someone else confirms, without reloading", async () => {
    const page = await chromium.newPage({ viewport: DESKTOP });
    const problems = await watchForProblems(page);
    await page.goto(`${app.url}/petitions/${OPEN_SLUG}`);
    const before = await shownCount(page);
    const bar = page.locator('main [role="progressbar"]').first();
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBe(before);
    await expect.poll(() => page.locator("[data-live-count]").count()).toBe(1);
    expect(await page.locator("[data-live-count]").innerText()).toBe("");

    await someoneSignsAndConfirms("rosa.vell@example.org");
    // The page polls every 10 s: the new count arrives within one poll and the count endpoint's 2 s.
    await expect.poll(() => shownCount(page), { timeout: 30_000, interval: 500 }).toBe(before + 1);
    expect(Number(await bar.getAttribute("aria-valuenow"))).toBe(before + 1);
    // Said once, politely, to a screen reader.
    expect(await page.locator("[data-live-count]").getAttribute("aria-live")).toBe("polite");
    expect(await page.locator("[data-live-count]").innerText()).toBe(
      `${before + 1} ${before + 1 === 1 ? "signature" : "signatures"} now.`,
    );
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "live-count-desktop");
    expect(problems).toEqual([]);
  }, 60_000);

  test("without JavaScript the page still shows the count", async () => {
    const page = await chromium.newPage({ javaScriptEnabled: false });
    await page.goto(`${app.url}/petitions/${OPEN_SLUG}`);
    const petition = await getPetition(app.db, OPEN_SLUG);
    expect(await shownCount(page)).toBe(await signatureCount(app.db, petition.id));
    expect(await page.locator("[data-live-count]").innerText()).toBe("");
  });
});
