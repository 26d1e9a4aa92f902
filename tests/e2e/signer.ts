import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { confirmLinkIn, TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

/**
 * What a person does on the site, in the words they see on it. Tests read as
 * journeys ("Sam fills in the form, reads the email, confirms") instead of selectors.
 */

export const MERSEYSIDE = {
  slug: "merseyside-model-uk-wide",
  title: "Make the Merseyside model of policing UK-wide",
};
export const CLOSED_CAMPAIGN_SLUG = "ugly-mugs-funding-2026";

export type NameDisplay = "hidden" | "first_initial" | "full";

/** The words beside each radio button, as the signer reads them. */
export const NAME_DISPLAY_LABEL: Record<NameDisplay, string> = {
  hidden: "Don’t show my name",
  first_initial: "Show my first name and initial (e.g. Sam T.)",
  full: "Show my full name",
};
export const UPDATES_LABEL = "Email me updates about this campaign";

export type Signer = {
  name: string;
  email: string;
  /** The country as it reads in the list; left as the form preselects it when absent. */
  country?: string;
  postcode?: string;
  nameDisplay: NameDisplay;
  updates?: boolean;
};

/** A real SMTP server and the app's production build for one test file, started and stopped around it. */
export function useSigningApp() {
  const env = {} as { app: TestApp; smtp: TestSmtpServer };
  beforeAll(async () => {
    env.smtp = await new TestSmtpServer().start();
    env.app = await startTestApp({ smtpUrl: env.smtp.url });
  });
  afterAll(async () => {
    await env.app?.stop();
    await env.smtp?.stop();
  });
  return env;
}

export const signForm = (page: Page) => page.getByRole("form", { name: "Sign this petition" });

/** Types the signer's answers into the form, finding every field by its label. */
export async function fillSignForm(page: Page, s: Partial<Signer>): Promise<void> {
  if (s.name !== undefined) await page.getByLabel("Name", { exact: true }).fill(s.name);
  if (s.email !== undefined) await page.getByLabel("Email address", { exact: true }).fill(s.email);
  if (s.country !== undefined) await page.getByLabel("Country", { exact: true }).selectOption({ label: s.country });
  if (s.postcode !== undefined) await page.getByLabel("Postcode").fill(s.postcode);
  if (s.nameDisplay !== undefined) await page.getByRole("radio", { name: NAME_DISPLAY_LABEL[s.nameDisplay] }).check();
  if (s.updates !== undefined) await page.getByRole("checkbox", { name: UPDATES_LABEL }).setChecked(s.updates);
}

export async function pressSign(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign this petition" }).click();
}

/** Waits for a page whose main heading is `name`. */
export async function expectHeading(page: Page, name: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
}

/** The count as the page shows it ("1,234 signatures"), as a number. */
export async function shownCount(page: Page): Promise<number> {
  const text = await page.locator("main .progress-count").first().innerText();
  const match = text.match(/^([\d,]+) signatures?$/);
  if (!match) throw new Error(`The count reads "${text}"`);
  return Number(match[1].replaceAll(",", ""));
}

/** The names in "Recent signers", as shown; empty when the list is not there. */
export async function shownSignerNames(page: Page): Promise<string[]> {
  const list = page.getByRole("region", { name: "Recent signers" });
  if ((await list.count()) === 0) return [];
  return list.locator(".signer-name").allInnerTexts();
}

export function isConfirmationMail(m: ReceivedMail): boolean {
  return (m.subject ?? "").startsWith("Please confirm your signature");
}

export function isAlreadySignedMail(m: ReceivedMail): boolean {
  return (m.subject ?? "").startsWith("You have already signed");
}

/**
 * Opens the link in the newest confirmation email to the signer, once more
 * than `alreadyReceived` of them have arrived (a second signing sends a fresh link).
 */
export async function openConfirmationLink(
  page: Page,
  smtp: TestSmtpServer,
  email: string,
  alreadyReceived = 0,
): Promise<string> {
  const mail = await smtp.waitFor(
    email,
    (m) => isConfirmationMail(m) && smtp.to(email).filter(isConfirmationMail).length > alreadyReceived,
  );
  const link = confirmLinkIn(mail);
  await page.goto(link);
  return link;
}

/** The plain reading of the page's main content, for comparing two visits. */
export async function mainText(page: Page): Promise<string> {
  return page.locator("main").innerText();
}

/**
 * The whole signing journey for a signer who has no reason to look closely:
 * campaign page, form, email, confirm, thank-you. Returns nothing; the
 * journeys under test do each step themselves with their own checks.
 */
export async function signAndConfirm(page: Page, base: string, smtp: TestSmtpServer, signer: Signer): Promise<void> {
  const alreadyReceived = smtp.to(signer.email).filter(isConfirmationMail).length;
  await page.goto(`${base}/petitions/${MERSEYSIDE.slug}`);
  await fillSignForm(page, signer);
  await pressSign(page);
  await expectHeading(page, "Check your email");
  await openConfirmationLink(page, smtp, signer.email, alreadyReceived);
  await page.getByRole("button", { name: "Confirm my signature" }).click();
  await expectHeading(page, "Thank you for signing");
  expect(new URL(page.url()).pathname).toBe(`/petitions/${MERSEYSIDE.slug}/thank-you`);
}
