import type { Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { CHALLENGE_REASONS } from "../../app/lib/challenge-puzzle.server";
import { setChallengeRequired } from "../../app/models/challenges.server";
import {
  DESKTOP,
  expectNoSeriousA11yViolations,
  saveScreenshot,
  useBrowser,
  watchForProblems,
} from "../helpers/browser";
import {
  expectHeading,
  fillSignForm,
  MERSEYSIDE,
  openConfirmationLink,
  pressSign,
  shownCount,
  useSigningApp,
} from "./signer";

/*
 * A campaign under attack, with the moderators' browser check switched on
 * (docs/decisions/0013-optional-challenge.md): the widget solves its
 * challenge in Chromium under the site's strict CSP, and a person signs as usual.
 */

const env = useSigningApp();
const browser = useBrowser();

const HINT = "Before your signature is sent, your browser does a short check by itself";

beforeAll(async () => {
  const { id } = await env.app.db
    .selectFrom("petitions")
    .select("id")
    .where("slug", "=", MERSEYSIDE.slug)
    .executeTakeFirstOrThrow();
  expect(await setChallengeRequired(env.app.db, { petitionId: id, required: true, moderatorId: null })).toBe(true);
});

/** The widget's own checkbox, by the words beside it once the browser has solved its challenge. */
const solvedCheck = (page: Page) => page.getByRole("checkbox", { name: "Browser checked" });

async function holdOf(email: string) {
  return env.app.db
    .selectFrom("signatures")
    .select(["hold", "hold_reason"])
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
}

describe("a signer on a campaign with the browser check on", () => {
  test(
    "Mei's browser solves the check by itself; she signs, confirms, and the count rises, with no CSP violation",
    { timeout: 90_000 },
    async () => {
      const { app, smtp } = env;
      const page = await browser.newPage();
      const problems = await watchForProblems(page);
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      await expectHeading(page, MERSEYSIDE.title);
      const before = await shownCount(page);
      await page.getByText(HINT).waitFor();

      // The check runs as soon as the page has loaded, and says when it is done.
      await solvedCheck(page).waitFor({ timeout: 30_000 });
      expect(await solvedCheck(page).isChecked()).toBe(true);
      const field = await page.locator('.sign-form input[type="hidden"][name="altcha"]').inputValue();
      expect(field.length).toBeGreaterThan(100);
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, "challenge-campaign-phone");
      await page.setViewportSize(DESKTOP);
      await saveScreenshot(page, "challenge-campaign-desktop");

      // It is a tab stop of its own, after the last question, before the button.
      await page.getByRole("checkbox", { name: "Email me updates about this campaign" }).focus();
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.closest("altcha-widget") !== null)).toBe(true);

      const email = "mei.chen@example.org";
      await fillSignForm(page, { name: "Mei Chen", email, nameDisplay: "full" });
      await pressSign(page);
      await expectHeading(page, "Check your email");
      expect(await holdOf(email)).toEqual({ hold: null, hold_reason: null });

      await openConfirmationLink(page, smtp, email);
      await page.getByRole("button", { name: "Confirm my signature" }).click();
      await expectHeading(page, "Thank you for signing");
      expect(await shownCount(page)).toBe(before + 1);

      // The widget, its stylesheet and its worker all came from this site, within the policy.
      expect(problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);
    },
  );

  test(
    "Carys, reading in Welsh, and Lucía, in Spanish, see the check's own words in their language",
    { timeout: 60_000 },
    async () => {
      for (const [lang, label] of [
        ["cy", "Porwr wedi’i wirio"],
        ["es", "Navegador verificado"],
      ] as const) {
        const page = await browser.newPage();
        await page.context().addCookies([{ name: "lang", value: lang, url: env.app.url }]);
        await page.goto(`${env.app.url}/petitions/${MERSEYSIDE.slug}`);
        const solved = page.getByRole("checkbox", { name: label });
        await solved.waitFor({ timeout: 30_000 });
        expect(await solved.isChecked()).toBe(true);
        // Nothing of altcha's English (or ours) is left in the widget.
        const words = await page.locator("altcha-widget").innerText();
        expect(words).not.toMatch(/Browser checked|Verified|robot/);
        await saveScreenshot(page, `challenge-campaign-phone-${lang}`);
        await page.close();
      }
    },
  );

  test(
    "Jo, without JavaScript, is told what happens, signs, and sees the usual page; the signature waits for a moderator",
    { timeout: 60_000 },
    async () => {
      const { app } = env;
      const page = await browser.newPage({ javaScriptEnabled: false });
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      await page.getByText(HINT).waitFor();
      expect(await page.locator("altcha-widget").count()).toBe(0);
      const before = await shownCount(page);

      const email = "jo.nojs@example.org";
      await fillSignForm(page, { name: "Jo Brennan", email, nameDisplay: "hidden" });
      await pressSign(page);
      await expectHeading(page, "Check your email");
      expect(await holdOf(email)).toEqual({ hold: "suspect", hold_reason: CHALLENGE_REASONS.missing });
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      expect(await shownCount(page)).toBe(before);
    },
  );
});
