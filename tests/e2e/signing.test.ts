import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { secondsSinceStamp } from "../../app/lib/form-timing.server";
import { startTestApp } from "../helpers/app";
import { DESKTOP, PHONE, saveScreenshot, useBrowser, watchForProblems, type PageProblem } from "../helpers/browser";
import {
  expectHeading,
  fillSignForm,
  isAlreadySignedMail,
  isConfirmationMail,
  mainText,
  MERSEYSIDE,
  openConfirmationLink,
  pressSign,
  shownCount,
  shownSignerNames,
  signAndConfirm,
  useSigningApp,
  type Signer,
} from "./signer";
import { signatureCount } from "../../app/models/counts.server";
import { getPetition } from "../helpers/signing";

const env = useSigningApp();
const browser = useBrowser();

type Journey = {
  title: string;
  signer: Signer;
  /** How the campaign page should show them afterwards: null for not at all. */
  shownAs: string | null;
  /** Words that must not appear anywhere on the campaign page afterwards. */
  neverShown: string[];
  viewport: { width: number; height: number };
  javaScriptEnabled: boolean;
  /** Save a full-page screenshot of every page on the way, with this prefix. */
  screenshots?: string;
};

const journeys: Journey[] = [
  {
    title: "Sam signs on a phone, confirms from the email, and is shown as “Sam T.”",
    signer: { name: "Sam Taylor", email: "sam.taylor@example.org", nameDisplay: "first_initial", postcode: "L1 8JQ" },
    shownAs: "Sam T.",
    neverShown: ["Taylor", "sam.taylor@example.org", "L1 8JQ"],
    viewport: PHONE,
    javaScriptEnabled: true,
    screenshots: "journey-phone",
  },
  {
    title: "Noor signs on a phone without showing her name, and her name appears nowhere",
    signer: {
      name: "Noor Haddad",
      email: "noor@example.org",
      nameDisplay: "hidden",
      country: "Ireland",
      updates: true,
    },
    shownAs: null,
    neverShown: ["Noor", "Haddad", "noor@example.org"],
    viewport: PHONE,
    javaScriptEnabled: true,
  },
  {
    title: "Ada signs on a desktop and is shown by her full name",
    signer: { name: "Ada Okafor", email: "ada.okafor@example.org", nameDisplay: "full" },
    shownAs: "Ada Okafor",
    neverShown: ["ada.okafor@example.org"],
    viewport: DESKTOP,
    javaScriptEnabled: true,
    screenshots: "journey-desktop",
  },
  {
    title: "Jo signs on a phone with JavaScript turned off, and the whole journey still works",
    signer: { name: "Jo Brennan", email: "jo.brennan@example.org", nameDisplay: "first_initial" },
    shownAs: "Jo B.",
    neverShown: ["Brennan", "jo.brennan@example.org"],
    viewport: PHONE,
    javaScriptEnabled: false,
    screenshots: "journey-phone-no-js",
  },
];

describe("a signer signs a campaign and confirms by email", () => {
  for (const j of journeys)
    test(j.title, { timeout: 60_000 }, async () => {
      const { app, smtp } = env;
      const page = await browser.newPage({ viewport: j.viewport, javaScriptEnabled: j.javaScriptEnabled });
      const problems = j.javaScriptEnabled ? await watchForProblems(page) : [];
      let step = 0;
      const shot = async (name: string) => {
        if (j.screenshots) await saveScreenshot(page, `${j.screenshots}-${String(++step).padStart(2, "0")}-${name}`);
      };

      // The home page lists the campaign; the signer follows its link.
      const home = await page.goto(app.url);
      // The policy is really there, with a fresh nonce for the page's own scripts: a clean console below means something.
      expect(home?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+={0,2}'/);
      await expectHeading(page, "Open campaigns");
      await shot("home");
      await page.getByRole("link", { name: MERSEYSIDE.title }).click();
      await expectHeading(page, MERSEYSIDE.title);
      if (j.javaScriptEnabled) await expectHydrated(page);
      const before = await shownCount(page);
      await shot("campaign");

      await fillSignForm(page, j.signer);
      await shot("campaign-filled");
      await pressSign(page);

      await expectHeading(page, "Check your email");
      expect(new URL(page.url()).pathname).toBe(`/petitions/${MERSEYSIDE.slug}/check-email`);
      await shot("check-email");

      // The email: one confirmation, to the address typed, with a link to this site.
      const link = await openConfirmationLink(page, smtp, j.signer.email);
      expect(link.startsWith(`${app.url}/confirm/`)).toBe(true);
      await expectHeading(page, "Confirm your signature");
      // Opening the link counts nothing (mail scanners open links too): only the button does.
      expect(await countInDatabase()).toBe(before);
      const confirm = page.getByRole("button", { name: "Confirm my signature" });
      expect(await confirm.count()).toBe(1);
      await shot("confirm");
      await confirm.click();

      await expectHeading(page, "Thank you for signing");
      expect(new URL(page.url()).pathname).toBe(`/petitions/${MERSEYSIDE.slug}/thank-you`);
      expect(await shownCount(page)).toBe(before + 1);
      await shot("thank-you");

      await page.getByRole("link", { name: "Back to the petition" }).click();
      await expectHeading(page, MERSEYSIDE.title);
      expect(await shownCount(page)).toBe(before + 1);
      const names = await shownSignerNames(page);
      if (j.shownAs) expect(names).toContain(j.shownAs);
      const wholePage = await page.locator("body").innerText();
      for (const word of j.neverShown) expect(wholePage).not.toContain(word);
      await shot("campaign-after");

      // The Content-Security-Policy let everything the page needs run, and nothing went wrong in the console.
      if (j.javaScriptEnabled) expect(describeProblems(problems)).toEqual([]);
    });

  test(
    "Priya signs twice with the same address: the same page, no second count, and an email saying so",
    { timeout: 60_000 },
    async () => {
      const { app, smtp } = env;
      const signer: Signer = { name: "Priya Shah", email: "priya.shah@example.org", nameDisplay: "full" };
      const page = await browser.newPage();
      const problems = await watchForProblems(page);

      // First time: the whole journey, noting what the "Check your email" page said.
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      await fillSignForm(page, signer);
      await pressSign(page);
      await expectHeading(page, "Check your email");
      const firstTime = await mainText(page);
      await openConfirmationLink(page, smtp, signer.email);
      await page.getByRole("button", { name: "Confirm my signature" }).click();
      await expectHeading(page, "Thank you for signing");
      const counted = await shownCount(page);

      // Second time, same address written differently (case), same browser.
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      expect(await shownCount(page)).toBe(counted);
      await fillSignForm(page, { ...signer, email: "Priya.Shah@example.org" });
      await pressSign(page);
      await expectHeading(page, "Check your email");
      expect(await mainText(page)).toBe(firstTime);

      // The mailbox says "already signed" instead of sending a second link.
      const mail = await smtp.waitFor("Priya.Shah@example.org", isAlreadySignedMail);
      expect(mail.text).toContain("already confirmed and counted");
      const toPriya = smtp.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === signer.email));
      expect(toPriya.filter(isConfirmationMail)).toHaveLength(1);

      await page.getByRole("link", { name: "Back to the petition" }).click();
      await expectHeading(page, MERSEYSIDE.title);
      expect(await shownCount(page)).toBe(counted);
      expect(await countInDatabase()).toBe(counted);
      expect((await shownSignerNames(page)).filter((n) => n === "Priya Shah")).toHaveLength(1);
      expect(describeProblems(problems)).toEqual([]);
    },
  );

  test(
    "a signer who signs again before confirming gets a fresh link, and only the newest one counts them",
    { timeout: 60_000 },
    async () => {
      const { app, smtp } = env;
      const signer: Signer = { name: "Tom Ellis", email: "tom.ellis@example.org", nameDisplay: "hidden" };
      const page = await browser.newPage();
      await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
      const before = await shownCount(page);
      await fillSignForm(page, signer);
      await pressSign(page);
      await expectHeading(page, "Check your email");
      const firstLink = await openConfirmationLink(page, smtp, signer.email);

      await signAndConfirm(page, app.url, smtp, signer);
      expect(await shownCount(page)).toBe(before + 1);

      await page.goto(firstLink);
      await expectHeading(page, "This link has already been used, or is not valid");
      expect(await page.getByRole("button", { name: "Confirm my signature" }).count()).toBe(0);
      expect(await countInDatabase()).toBe(before + 1);
    },
  );
});

describe("a campaign page served from the page cache (server/page-cache.ts), as a crowd gets it", () => {
  test(
    "hydrates with its own nonce and time stamp, with no CSP violation or hydration error",
    { timeout: 60_000 },
    async () => {
      // Its own app: the journeys above read counts straight after changing them, so theirs has the cache off.
      const cached = await startTestApp({ worker: false, env: { PAGE_CACHE_MS: "60000" } });
      try {
        const page = await browser.newPage();
        const problems = await watchForProblems(page);
        // The first visit renders the page into the cache; the reload is served from it.
        for (const visit of ["first", "reload"]) {
          const res =
            visit === "first" ? await page.goto(`${cached.url}/petitions/${MERSEYSIDE.slug}`) : await page.reload();
          const nonce = res?.headers()["content-security-policy"]?.match(/'nonce-([^']+)'/)?.[1];
          expect(nonce, visit).toBeDefined();
          expect(await res?.text(), visit).toContain(`nonce="${nonce}"`);
          await expectHeading(page, MERSEYSIDE.title);
          await expectHydrated(page);
          const stamp = await page.locator('input[name="started"]').inputValue();
          expect(secondsSinceStamp(cached.config.addressSecret, stamp), visit).not.toBeNull();
        }
        // The hydrated page navigates as usual.
        await page.getByRole("link", { name: "Undersigned", exact: true }).click();
        await expectHeading(page, "Open campaigns");
        expect(describeProblems(problems)).toEqual([]);
      } finally {
        await cached.stop();
      }
    },
  );
});

/** The campaign's count as the public sees it. */
async function countInDatabase(): Promise<number> {
  const petition = await getPetition(env.app.db, MERSEYSIDE.slug);
  return signatureCount(env.app.db, petition.id);
}

/** Remix has taken over the page: its router exists only once the scripts ran, which the CSP must allow. */
async function expectHydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
}

function describeProblems(problems: PageProblem[]): string[] {
  return problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`);
}
