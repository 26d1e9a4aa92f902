/**
 * The whole loop in a real browser: an organizer gives a decision maker an address; signers confirm and
 * the petition reaches its goal; the delivery email arrives at a real SMTP server; the decision maker
 * opens its link (without JavaScript), presses the button, writes, previews and publishes a response;
 * the campaign page shows it; a subscriber receives it exactly once. Screenshots of each page at phone
 * and desktop width go to tests/.artifacts/screenshots.
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
} from "../helpers/browser";
import { completePetition, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { respondTokenIn, seedSigners } from "../helpers/signers";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp";
import { expectHeading, fillSignForm, openConfirmationLink, pressSign, type Signer } from "./signer";

let app: TestApp;
let smtp: TestSmtpServer;
let olivia: Person;
let petition: MadePetition;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  olivia = await signedIn(app, "olivia.organizer@example.org");
  petition = await makePetition(app, {
    state: "open",
    owner: olivia,
    input: {
      ...completePetition({ goal: "10", title: "Make the Merseyside model of policing UK-wide, now" }),
      decisionMakers: [
        { name: "The Home Secretary", role: "Home Office" },
        { name: "The Prime Minister", role: "" },
      ],
    },
  });
  // Eight people have signed already; two more, in the browser, take it to its goal of ten.
  await seedSigners(app.db, petition.id, 8, { prefix: "earlier" });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});
const browser = useBrowser();

const HOME_SECRETARY = "home.secretary@gov.example.org";
const isResponseMail = (m: ReceivedMail) => (m.subject ?? "").startsWith("Response from");

/** A page signed in as Olivia (her session cookie, as the sign-in link would have set it). */
async function asOlivia(viewport = PHONE): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const [name, value] = olivia.cookie.split("=");
  await page.context().addCookies([{ name, value, url: app.url }]);
  return page;
}

async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
}

async function signAndConfirm(page: Page, signer: Signer) {
  await page.goto(`${app.url}/petitions/${petition.slug}`);
  await hydrated(page);
  await fillSignForm(page, signer);
  await pressSign(page);
  await expectHeading(page, "Check your email");
  await openConfirmationLink(page, smtp, signer.email);
  await page.getByRole("button", { name: "Confirm my signature" }).click();
  await expectHeading(page, "Thank you for signing");
}

/** Screenshots of the page as it is, at phone and desktop width. */
async function bothWidths(page: Page, name: string) {
  await page.setViewportSize(PHONE);
  await saveScreenshot(page, `${name}-phone`);
  await page.setViewportSize(DESKTOP);
  await saveScreenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE);
}

describe("a decision maker answers a petition in public", () => {
  test(
    "the organizer adds the Home Secretary's address, the petition reaches its goal, the Home Secretary responds, and a subscriber hears it once",
    { timeout: 300_000 },
    async () => {
      // The organizer gives the Home Secretary an address; "at each goal" is the default.
      const organizer = await asOlivia();
      const problems = await watchForProblems(organizer);
      await organizer.goto(`${app.url}/organize/${petition.id}`);
      await hydrated(organizer);
      await organizer.getByRole("link", { name: "Decision makers: delivery and responses" }).click();
      await expectHeading(organizer, "Decision makers");
      await organizer.getByRole("link", { name: "Change the address or when it is sent" }).first().click();
      await expectHeading(organizer, "Delivery to The Home Secretary");
      await hydrated(organizer);
      expect(await organizer.getByRole("radio", { name: "Each time the petition reaches a goal" }).isChecked()).toBe(
        true,
      );
      await expectNoSeriousA11yViolations(organizer, "the delivery settings");
      await organizer.getByLabel("Their email address").fill("not an address");
      await organizer.getByRole("button", { name: "Save" }).click();
      await organizer.getByText("Enter an email address like name@example.org").first().waitFor();
      await bothWidths(organizer, "organizer-delivery-settings-error");
      await organizer.getByLabel("Their email address").fill(HOME_SECRETARY);
      await organizer.getByRole("button", { name: "Save" }).click();
      await expectHeading(organizer, "Decision makers");
      await organizer.getByText(HOME_SECRETARY).waitFor();
      // The one refused form answered 400, as it should; nothing else went wrong.
      const unexpected = problems.filter((p) => !p.text.includes("status of 400"));
      expect(unexpected.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);

      // Two people sign and confirm; the second one asks for updates. The count reaches 10.
      const signers = await browser.newPage();
      await signAndConfirm(signers, { name: "Grace Hopper", email: "grace@example.org", nameDisplay: "full" });
      const subscriber: Signer = {
        name: "Sam Taylor",
        email: "sam.subscriber@example.org",
        nameDisplay: "first_initial",
        updates: true,
      };
      await signAndConfirm(await browser.newPage(), subscriber);

      // The count fold (every second) passes the goal and delivers the petition to the Home Secretary.
      const delivery = await smtp.waitFor(HOME_SECRETARY, () => true, 15_000);
      expect(delivery.subject).toBe(`A petition to you, signed by 10: ${petition.title}`);
      expect(delivery.text).toContain("United Kingdom: 10");
      const token = respondTokenIn(delivery.text ?? "");

      // The Home Secretary opens the link, without JavaScript: a page with a button, nothing more. axe runs
      // as a script in the page, so a second page with JavaScript checks each of these pages on its way.
      const minister = await browser.newPage({ javaScriptEnabled: false });
      const checker = await browser.newPage();
      await minister.goto(`${app.url}/respond/${token}`);
      await expectHeading(minister, petition.title);
      await bothWidths(minister, "decision-maker-landing");
      await checker.goto(`${app.url}/respond/${token}`);
      await expectHeading(checker, petition.title);
      await expectNoSeriousA11yViolations(checker, "the response link's first page");
      const opened = () =>
        app.db
          .selectFrom("deliveries")
          .select("opened_at")
          .where("petition_id", "=", petition.id)
          .executeTakeFirstOrThrow();
      expect((await opened()).opened_at).toBeNull();
      await minister.getByRole("button", { name: "Open the page to read and respond" }).click();
      await minister.getByRole("heading", { name: "Write your response" }).waitFor();
      expect((await opened()).opened_at).not.toBeNull();

      // The form and its preview, checked with JavaScript (a preview publishes nothing).
      await checker.goto(`${app.url}/respond/${token}`);
      await hydrated(checker);
      await expectNoSeriousA11yViolations(checker, "the response form");
      await checker.getByLabel("Your response (Markdown)").fill("A **draft** the checker previews.");
      await checker.getByRole("button", { name: "Preview" }).click();
      await checker.getByRole("heading", { name: "Preview", exact: true }).waitFor();
      await expectNoSeriousA11yViolations(checker, "the response form with its preview");

      // Writes, previews, publishes.
      await minister.getByLabel("Your name, as it should appear").fill("Rt Hon Jane Doe MP");
      await minister.getByLabel("Your title or office").fill("Home Secretary");
      await minister
        .getByLabel("Your response (Markdown)")
        .fill(
          "Thank you to the 10 people who signed.\n\nThe Home Office will **pilot the Merseyside model** in three more police forces from April, and publish what it learns.",
        );
      await minister.getByRole("button", { name: "Preview" }).click();
      await minister.getByRole("heading", { name: "Preview", exact: true }).waitFor();
      await bothWidths(minister, "decision-maker-preview");
      await minister.getByRole("button", { name: "Publish the response" }).click();
      await minister
        .getByRole("status")
        .filter({
          hasText: "Your response is published on the petition’s page, and it is being emailed to the 1 signer",
        })
        .waitFor();
      await bothWidths(minister, "decision-maker-published");

      // The campaign page shows it first, and where each decision maker stands.
      const reader = await browser.newPage();
      await reader.goto(`${app.url}/petitions/${petition.slug}`);
      await reader.getByRole("heading", { name: "Response from Rt Hon Jane Doe MP, Home Secretary" }).waitFor();
      await reader.getByText(/The Home Secretary\s+responded on/).waitFor();
      // The Prime Minister has no address, so was never sent it: there is nothing to wait for.
      const statuses = reader.getByRole("list", { name: "Responses from the people it is addressed to" });
      expect(await statuses.getByRole("listitem").allInnerTexts()).toEqual([
        expect.stringMatching(/^The Home Secretary responded on/),
      ]);
      await expectNoSeriousA11yViolations(reader, "the campaign page with a response");
      await bothWidths(reader, "campaign-page-with-response");

      // The subscriber gets it by email, once.
      const mail = await smtp.waitFor(subscriber.email, isResponseMail, 15_000);
      expect(mail.text).toContain("The Home Office will pilot the Merseyside model");
      const response = await app.db
        .selectFrom("responses")
        .select("update_id")
        .where("petition_id", "=", petition.id)
        .executeTakeFirstOrThrow();
      await waitUntil(async () => {
        const waiting = await app.db
          .selectFrom("outbox")
          .select("id")
          .where("update_id", "=", response.update_id)
          .where("status", "in", ["pending", "sending"])
          .execute();
        const u = await app.db
          .selectFrom("updates")
          .select("email_status")
          .where("id", "=", response.update_id!)
          .executeTakeFirstOrThrow();
        return u.email_status === "sending" && waiting.length === 0;
      });
      expect(smtp.to(subscriber.email).filter(isResponseMail)).toHaveLength(1);
      expect(smtp.to("grace@example.org").filter(isResponseMail)).toHaveLength(0);

      // The organizer sees the delivery, that its link was opened, and the response.
      await organizer.goto(`${app.url}/organize/${petition.id}/decision-makers`);
      await organizer.getByText("Passed 10").waitFor();
      await organizer.getByText(/Responded on/).waitFor();
      await expectNoSeriousA11yViolations(organizer, "the decision makers page");
      await bothWidths(organizer, "organizer-decision-makers");
    },
  );
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
