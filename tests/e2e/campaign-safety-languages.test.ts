import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CHALLENGE_REASONS } from "../../app/lib/challenge-puzzle.server";
import { setChallengeRequired } from "../../app/models/challenges.server";
import { invalidateSignatures } from "../../app/models/fraud.server";
import { SignatureForm } from "../../app/schemas/signature.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { expectNoSeriousA11yViolations, PHONE, saveScreenshot, useBrowser, watchForProblems } from "../helpers/browser";
import { makePetition, signedIn, type Person } from "../helpers/session";
import { getPetition, signingForm, storeSignature } from "../helpers/signing";

/*
 * A moderator who reads the site in Welsh or Spanish looks after a campaign under attack from a phone: the
 * signatures and fraud page, with suspects held by the browser check, is in their language and fits the screen.
 */

let app: TestApp;
let moderator: Person;
let petitionId = 0;
const browser = useBrowser();

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  moderator = await signedIn(app, "safety-languages@example.org", ["moderator"]);
  const owner = await signedIn(app, "safety-languages-owner@example.org");
  const petition = await makePetition(app, { state: "open", owner });
  petitionId = petition.id;
  const row = await getPetition(app.db, petition.slug);
  await setChallengeRequired(app.db, { petitionId, required: true, moderatorId: moderator.id });
  for (let i = 0; i < 3; i++) {
    await storeSignature(app.db, {
      petition: row,
      input: SignatureForm.parse(signingForm({ email: `held-${i}@example.net` })),
      site: { appUrl: app.config.appUrl },
      holdReason: i === 0 ? CHALLENGE_REASONS.expired : CHALLENGE_REASONS.missing,
    });
  }
  for (let i = 0; i < 2; i++) {
    await storeSignature(app.db, {
      petition: row,
      input: SignatureForm.parse(signingForm({ email: `flood-${i}@flood.example` })),
      site: { appUrl: app.config.appUrl },
    });
  }
  await invalidateSignatures(app.db, {
    criteria: { petitionId, emailDomain: "flood.example" },
    moderatorId: moderator.id,
  });
});
afterAll(() => app?.stop());

describe("a moderator reading in Welsh or Spanish", () => {
  test.each([
    ["cy", "Llofnodion amheus", "daeth y ffurflen yn ôl heb her wedi’i datrys"],
    ["es", "Firmas sospechosas", "el formulario volvió sin un desafío resuelto"],
  ])(
    "opens a campaign's signatures and fraud page on a phone (%s): in their language, nothing wider than the screen",
    { timeout: 60_000 },
    async (lang, heading, reason) => {
      const page = await browser.newPage({ viewport: PHONE });
      const [name, value] = moderator.cookie.split(/=(.*)/s);
      // The language as the footer's switcher leaves it: a cookie.
      await page.context().addCookies([
        { name, value, url: app.url },
        { name: "lang", value: lang, url: app.url },
      ]);
      const problems = await watchForProblems(page);
      const res = await page.goto(`${app.url}/moderate/petitions/${petitionId}/safety`);
      expect(res?.status()).toBe(200);
      await page.getByRole("heading", { level: 2, name: heading }).waitFor();
      await page.getByText(reason).first().waitFor();
      // The page may scroll down, never sideways; wide tables scroll inside their own box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, `campaign-safety-phone-${lang}`);
      expect(problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);
    },
  );
});
