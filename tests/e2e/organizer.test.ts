/**
 * The organizer's side in a real browser: starting a campaign with a cover
 * image, a moderator approving it, a signer signing, the dashboard's figures
 * and export; and an emailed update that a subscriber stops in one click.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { expectNoSeriousA11yViolations, useBrowser, watchForProblems } from "../helpers/browser";
import { makePetition, signedIn } from "../helpers/session";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp";
import {
  expectHeading,
  fillSignForm,
  isConfirmationMail,
  openConfirmationLink,
  pressSign,
  type Signer,
} from "./signer";

const MODERATOR = "mod@example.org";

let app: TestApp;
let smtp: TestSmtpServer;
let tmpDir: string;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url, env: { ADMIN_EMAILS: MODERATOR } });
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "undersigned-organizer-"));
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});
const browser = useBrowser();

/** Remix has taken the page over: a press before then may be sent twice. */
async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
}

const isSignInMail = (m: ReceivedMail) => (m.subject ?? "").startsWith("Your sign-in link");

/**
 * Signs in by email as a person would: the form, the email's link, the button. The pages on the way
 * must hydrate cleanly (a text that differs between server and browser is a page error).
 */
async function signInByEmail(page: Page, email: string): Promise<void> {
  const before = smtp.to(email).filter(isSignInMail).length;
  const problems = await watchForProblems(page);
  await page.goto(`${app.url}/sign-in`);
  await expectHeading(page, "Sign in");
  await hydrated(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.waitForURL(/\/sign-in\/check-email$/);
  const mail = await smtp.waitFor(email, (m) => isSignInMail(m) && smtp.to(email).filter(isSignInMail).length > before);
  const link = mail.text?.match(/https?:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43}/)?.[0];
  if (!link) throw new Error(`No sign-in link in: ${mail.text?.slice(0, 300)}`);
  await page.goto(link);
  await expectHeading(page, "Sign in to Undersigned");
  await hydrated(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  expect(problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);
}

describe("an organizer runs a campaign", () => {
  test(
    "an organizer starts a campaign with an image, a moderator approves it, a signer signs, and the organizer sees the count, the chart and the export",
    { timeout: 120_000 },
    async () => {
      const title = "Light the towpath between Canal Street and the station";
      // The organizer signs in and starts a campaign.
      const organizer = await browser.newPage();
      await signInByEmail(organizer, "olu.organizer@example.org");
      await organizer.goto(`${app.url}/start`);
      await expectHeading(organizer, "Start a campaign");
      await hydrated(organizer);
      await expectNoSeriousA11yViolations(organizer, "the start form");
      await organizer.getByLabel("Title: what do you want to happen?").fill(title);
      await organizer.getByLabel("Decision maker 1: name").fill("Canal and River Trust");
      await organizer.getByLabel("Decision maker 1: title or organisation").fill("Regional Director");
      await organizer
        .getByLabel("Summary", { exact: true })
        .fill("The towpath is pitch dark after 5pm all winter and people have been hurt.");
      await organizer
        .getByLabel("The full text", { exact: false })
        .first()
        .fill("Commuters and families use the towpath every day. Without lights it is unsafe for half the year.");
      await organizer.getByRole("button", { name: "Save draft" }).click();
      await organizer.waitForURL(/\/organize\/\d+\/edit\?saved=1/);
      await expectHeading(organizer, "Edit your draft");
      const petitionId = Number(new URL(organizer.url()).pathname.split("/")[2]);
      const row = await app.db
        .selectFrom("petitions")
        .select(["title", "status", "slug"])
        .where("id", "=", petitionId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ title, status: "draft" });

      // A cover image, uploaded on the edit page.
      const imageFile = path.join(tmpDir, "cover.png");
      await sharp({ create: { width: 1200, height: 700, channels: 3, background: { r: 20, g: 90, b: 160 } } })
        .png()
        .toFile(imageFile);
      await hydrated(organizer);
      await organizer.getByLabel("Choose an image").setInputFiles(imageFile);
      await organizer.getByRole("button", { name: "Upload the image" }).click();
      await organizer.getByText("The cover image was saved").waitFor();
      expect(await organizer.getByRole("img", { name: "The current cover" }).count()).toBe(1);

      // Submitted for review.
      await hydrated(organizer);
      await organizer.getByRole("button", { name: "Submit for review" }).click();
      await organizer.waitForURL(new RegExp(`/organize/${petitionId}\\?submitted=1`));
      expect(
        (await app.db.selectFrom("petitions").select("status").where("id", "=", petitionId).executeTakeFirstOrThrow())
          .status,
      ).toBe("in_review");

      // The moderator, in a browser of their own, approves it.
      const moderator = await browser.newPage();
      await signInByEmail(moderator, MODERATOR);
      await moderator.goto(`${app.url}/moderate`);
      await moderator.getByRole("link", { name: title }).click();
      await expectHeading(moderator, title);
      await hydrated(moderator);
      await moderator.getByRole("button", { name: "Approve and publish" }).click();
      await moderator.waitForURL(/\/moderate\?decided=/);
      const published = await app.db
        .selectFrom("petitions")
        .select(["status", "slug"])
        .where("id", "=", petitionId)
        .executeTakeFirstOrThrow();
      expect(published.status).toBe("open");

      // A signer signs the public petition and confirms from the email.
      const signer: Signer = {
        name: "Grace Hopper",
        email: "grace.hopper@example.org",
        nameDisplay: "full",
        updates: true,
      };
      const signerPage = await browser.newPage();
      await signerPage.goto(`${app.url}/petitions/${published.slug}`);
      await expectHeading(signerPage, title);
      await hydrated(signerPage);
      await fillSignForm(signerPage, signer);
      await pressSign(signerPage);
      await expectHeading(signerPage, "Check your email");
      await openConfirmationLink(signerPage, smtp, signer.email);
      expect(smtp.to(signer.email).filter(isConfirmationMail)).toHaveLength(1);
      await hydrated(signerPage);
      await signerPage.getByRole("button", { name: "Confirm my signature" }).click();
      await expectHeading(signerPage, "Thank you for signing");

      // Back to the organizer: the count, the chart and the export.
      await organizer.goto(`${app.url}/organize/${petitionId}`);
      await expectHeading(organizer, title);
      const confirmed = organizer
        .locator(".figure", { has: organizer.locator("dt", { hasText: /^Confirmed$/ }) })
        .locator("dd");
      expect((await confirmed.innerText()).trim()).toBe("1");
      expect(await organizer.locator("main svg").count()).toBeGreaterThan(0);
      await hydrated(organizer);
      await expectNoSeriousA11yViolations(organizer, "the dashboard");

      const exportHref = await organizer
        .locator(`a[href="/organize/${petitionId}/export.csv"]`)
        .first()
        .getAttribute("href");
      expect(exportHref).toBe(`/organize/${petitionId}/export.csv`);
      const res = await organizer.context().request.get(`${app.url}${exportHref}`);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toMatch(/text\/csv/);
      const csv = await res.text();
      expect(csv).toContain("Grace Hopper");
      expect(csv).toContain(signer.email);
      // Someone without the organizer's cookies gets nothing.
      const stranger = await signerPage.context().request.get(`${app.url}${exportHref}`, { maxRedirects: 0 });
      expect(await stranger.text()).not.toContain("Grace Hopper");
    },
  );

  test(
    "an organizer posts an update, a subscriber receives it and unsubscribes in one click from the email's link",
    { timeout: 90_000 },
    async () => {
      const owner = await signedIn(app, "uma.updates@example.org");
      const petition = await makePetition(app, { state: "open", owner });
      const subscriberEmail = "sol.subscriber@example.org";
      const now = new Date().toISOString();
      const { id: signatureId } = await app.db
        .insertInto("signatures")
        .values({
          petition_id: petition.id,
          name: "Sol Subscriber",
          email: subscriberEmail,
          canonical_email: subscriberEmail,
          country: "GB",
          postcode: null,
          name_display: "full",
          updates_consent: 1,
          consent_wording_version: UPDATES_CONSENT.version,
          status: "confirmed",
          token_hash: null,
          token_expires_at: null,
          created_at: now,
          updated_at: now,
          confirmed_at: now,
          hold: null,
          hold_reason: null,
          invalidation_id: null,
          ip_hash: null,
          network_hash: null,
          email_domain: "example.org",
          manage_token_hash: null,
          manage_token_expires_at: null,
          anonymised_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      const page = await browser.newPage();
      const [name, value] = owner.cookie.split(/=(.*)/s);
      await page.context().addCookies([{ name, value, url: app.url }]);

      await page.goto(`${app.url}/organize/${petition.id}/updates/new`);
      await expectHeading(page, "Write an update");
      await hydrated(page);
      const updateTitle = "The council has agreed to meet us";
      await page.getByLabel("Title", { exact: true }).fill(updateTitle);
      await page.getByLabel("The update (Markdown)").fill("Thank you all. The council will meet us **next Tuesday**.");
      await page.getByRole("button", { name: "Save draft" }).click();
      await page.waitForURL(/\/updates\/\d+\?saved=1/);
      await expectHeading(page, updateTitle);
      await hydrated(page);
      await page.getByRole("checkbox", { name: "Also email it to 1 subscriber" }).check();
      await page.getByRole("button", { name: "Publish", exact: true }).click();
      await page.waitForURL(/\?emailed=1/);

      // The worker sends it to the subscriber.
      const mail = await smtp.waitFor(subscriberEmail, (m) => (m.subject ?? "").includes(updateTitle), 15_000);
      const listUnsubscribe = mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
      expect(listUnsubscribe).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[^>]+>$/);
      expect(mail.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe(
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
      );
      const stopLink = mail.text?.match(/Stop updates from this campaign: (\S+)/)?.[1];
      expect(stopLink).toBeTruthy();
      expect(listUnsubscribe).toContain(stopLink!);

      // The subscriber opens the link and presses the button.
      const reader = await browser.newPage();
      await reader.goto(stopLink!);
      await expectHeading(reader, "Stop updates about this campaign");
      await hydrated(reader);
      const consent = async () =>
        (
          await app.db
            .selectFrom("signatures")
            .select("updates_consent")
            .where("id", "=", signatureId)
            .executeTakeFirstOrThrow()
        ).updates_consent;
      expect(await consent()).toBe(1);
      await reader.getByRole("button", { name: "Stop updates" }).click();
      await expectHeading(reader, "You are unsubscribed");
      expect(await consent()).toBe(0);
    },
  );
});
