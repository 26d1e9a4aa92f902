import type { Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import {
  DESKTOP,
  expectNoSeriousA11yViolations,
  formatViolations,
  PHONE,
  saveScreenshot,
  useBrowser,
} from "../helpers/browser";
import {
  CLOSED_CAMPAIGN_SLUG,
  expectHeading,
  fillSignForm,
  isConfirmationMail,
  MERSEYSIDE,
  openConfirmationLink,
  pressSign,
  useSigningApp,
} from "./signer";

const env = useSigningApp();
const browser = useBrowser();

let signers = 0;
/** Signs with a new address each time, up to the "Check your email" page; returns the address. */
async function signUpToCheckEmail(page: Page): Promise<string> {
  const email = `reader${++signers}@example.org`;
  await page.goto(`${env.app.url}/petitions/${MERSEYSIDE.slug}`);
  await fillSignForm(page, { name: "Robin Reader", email, nameDisplay: "full" });
  await pressSign(page);
  await expectHeading(page, "Check your email");
  return email;
}

type PageUnderTest = { name: string; heading: string; open: (page: Page) => Promise<void>; status?: number };

const pages: PageUnderTest[] = [
  {
    name: "home",
    heading: "Open campaigns",
    open: async (page) => void (await page.goto(env.app.url)),
  },
  {
    name: "campaign",
    heading: MERSEYSIDE.title,
    open: async (page) => void (await page.goto(`${env.app.url}/petitions/${MERSEYSIDE.slug}`)),
  },
  {
    name: "campaign with errors",
    heading: MERSEYSIDE.title,
    open: async (page) => {
      await page.goto(`${env.app.url}/petitions/${MERSEYSIDE.slug}`);
      await fillSignForm(page, { name: "", email: "not an address" });
      await pressSign(page);
      await page.getByRole("heading", { name: "Please check your answers" }).waitFor();
    },
  },
  {
    name: "check your email",
    heading: "Check your email",
    open: async (page) => void (await signUpToCheckEmail(page)),
  },
  {
    name: "confirm",
    heading: "Confirm your signature",
    open: async (page) => {
      const email = await signUpToCheckEmail(page);
      await openConfirmationLink(page, env.smtp, email);
    },
  },
  {
    name: "thank you",
    heading: "Thank you for signing",
    open: async (page) => {
      const email = await signUpToCheckEmail(page);
      await openConfirmationLink(page, env.smtp, email);
      await page.getByRole("button", { name: "Confirm my signature" }).click();
      await expectHeading(page, "Thank you for signing");
    },
  },
  {
    name: "expired link",
    heading: "This link has expired",
    open: async (page) => {
      const email = await signUpToCheckEmail(page);
      await env.smtp.waitFor(email, isConfirmationMail);
      await env.app.db
        .updateTable("signatures")
        .set({ token_expires_at: new Date(Date.now() - 60_000).toISOString() })
        .where("email", "=", email)
        .execute();
      await openConfirmationLink(page, env.smtp, email);
    },
  },
  {
    name: "invalid link",
    heading: "This link has already been used, or is not valid",
    open: async (page) => void (await page.goto(`${env.app.url}/confirm/${"x".repeat(43)}`)),
  },
  {
    name: "page not found",
    heading: "Page not found",
    status: 404,
    open: async (page) => void (await page.goto(`${env.app.url}/no-such-page`)),
  },
  {
    name: "closed campaign",
    heading: "Fund a national scheme that warns sex workers about dangerous people",
    open: async (page) => {
      await page.goto(`${env.app.url}/petitions/${CLOSED_CAMPAIGN_SLUG}`);
      await page.getByRole("heading", { name: "This petition is closed" }).waitFor();
      expect(await page.getByRole("button", { name: "Sign this petition" }).count()).toBe(0);
    },
  },
];

/** Moderate and minor findings do not fail a test; they are listed once at the end so they are not forgotten. */
const lesserFindings: string[] = [];
afterAll(() => {
  if (lesserFindings.length > 0) console.info(`axe: moderate or minor findings\n${lesserFindings.join("\n\n")}`);
});

describe("a screen reader user meets no serious accessibility problems", () => {
  for (const p of pages) {
    test(`on the ${p.name} page, on a phone and on a desktop`, { timeout: 60_000 }, async () => {
      for (const [size, viewport] of [
        ["phone", PHONE],
        ["desktop", DESKTOP],
      ] as const) {
        const page = await browser.newPage({ viewport });
        const statuses: number[] = [];
        page.on("response", (r) => {
          if (r.request().isNavigationRequest() && r.request().frame() === page.mainFrame()) statuses.push(r.status());
        });
        await p.open(page);
        await expectHeading(page, p.heading);
        if (p.status) expect(statuses.at(-1)).toBe(p.status);
        // A title names every page, error pages included: it is the first thing a screen reader reads.
        expect(await page.title()).toMatch(/\S.* \| Undersigned$|^Undersigned/);
        const lesser = await expectNoSeriousA11yViolations(page, `the ${p.name} page (${size})`);
        if (lesser.length > 0) lesserFindings.push(`${p.name} (${size}):\n${formatViolations(lesser)}`);
        await saveScreenshot(page, `page-${p.name}-${size}`);
      }
    });
  }
});

// Guards against a silent pass: if the policy or a change in axe stopped it running on these pages, it would find nothing anywhere.
test("the checker itself notices a field that has lost its label", async () => {
  const page = await browser.newPage();
  await page.goto(`${env.app.url}/petitions/${MERSEYSIDE.slug}`);
  await page.locator('label[for="sign-name"]').evaluate((label) => label.remove());
  await expect(expectNoSeriousA11yViolations(page, "the campaign page with a label removed")).rejects.toThrow(
    /\[critical\] label:/,
  );
});
