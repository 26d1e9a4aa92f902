/**
 * A new cover image on a published campaign, in a real browser: the organizer
 * uploads it and is told it waits for a moderator; the moderator finds it,
 * sees it beside the one on the page, and approves it; only then does the
 * campaign page show it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import sharp from "sharp";
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
import { makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";

let app: TestApp;
let olu: Person;
let mo: Person;
let petition: MadePetition;
let tmpDir: string;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  olu = await signedIn(app, "olu.organizer@example.org");
  mo = await signedIn(app, "mo.moderator@example.org", ["moderator"]);
  petition = await makePetition(app, { state: "open", owner: olu });
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "undersigned-cover-review-"));
});
afterAll(async () => {
  await app?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});
const browser = useBrowser();

async function pageAs(person: Person, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const [name, value] = person.cookie.split(/=(.*)/s);
  await page.context().addCookies([{ name, value, url: app.url }]);
  return page;
}

describe("a new cover image on a published campaign", () => {
  test(
    "the organizer is told it waits; the moderator sees it and approves it; then the page shows it",
    { timeout: 180_000 },
    async () => {
      const file = path.join(tmpDir, "cover.png");
      await sharp({ create: { width: 1600, height: 900, channels: 3, background: "#1d7a3a" } })
        .png()
        .toFile(file);

      const organizer = await pageAs(olu, PHONE);
      const problems = await watchForProblems(organizer);
      await organizer.goto(`${app.url}/organize/${petition.id}/edit`);
      await organizer.getByText("A new image shows once a moderator has looked at it").waitFor();
      await organizer.getByLabel("Choose an image").setInputFiles(file);
      await organizer.getByRole("button", { name: "Upload the image" }).click();
      await organizer
        .getByText(
          "Your new image was saved. It will show on the petition’s page, and when people share it, once a moderator has looked at it.",
        )
        .waitFor();
      await organizer.getByRole("heading", { name: "Waiting for a moderator" }).waitFor();
      await expectNoSeriousA11yViolations(organizer);
      await saveScreenshot(organizer, "cover-image-waiting-phone");
      expect(problems).toEqual([]);

      // Not on the campaign page yet.
      const visitor = await browser.newPage({ viewport: PHONE });
      await visitor.goto(`${app.url}/petitions/${petition.slug}`);
      expect(await visitor.locator("img.cover-image").count()).toBe(0);

      for (const [name, viewport] of [
        ["desktop", DESKTOP],
        ["phone", PHONE],
      ] as const) {
        const moderator = await pageAs(mo, viewport);
        await moderator.goto(`${app.url}/moderate`);
        await moderator.getByRole("link", { name: petition.title }).last().click();
        await moderator.getByRole("heading", { name: "New cover image, waiting for you" }).waitFor();
        expect(await moderator.getByRole("img", { name: "The new cover the organizer uploaded" }).isVisible()).toBe(
          true,
        );
        await expectNoSeriousA11yViolations(moderator);
        await saveScreenshot(moderator, `cover-image-review-${name}`);
        if (name === "phone") {
          await moderator.getByRole("button", { name: "Approve the image" }).click();
          await moderator.waitForURL(/\/moderate\?image=/);
        }
      }

      await visitor.reload();
      const src = await visitor.locator("img.cover-image").getAttribute("src");
      expect(src).toMatch(/^\/images\/\d+$/);
      // Shares show the generated card, which now draws the approved cover.
      expect(await visitor.locator('meta[property="og:image"]').getAttribute("content")).toBe(
        `${app.url}/petitions/${petition.slug}/card.png`,
      );
    },
  );
});
