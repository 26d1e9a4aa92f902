import { afterAll, beforeAll, expect, test } from "vitest";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { countsFor, OPEN_SLUG, signingForm } from "../helpers/signing";
import { confirmLinkIn, TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await app.stop();
  await smtp.stop();
});

const isConfirmation = (m: ReceivedMail) => m.subject?.startsWith("Please confirm your signature") ?? false;

test("a signer who comes back after their link expired is offered a fresh one by email, and that one works", async () => {
  const address = "slow@example.org";
  expect(
    (await postForm(`${app.url}/petitions/${OPEN_SLUG}`, signingForm({ name: "Slow Coach", email: address }))).status,
  ).toBe(302);
  const oldLink = confirmLinkIn(await smtp.waitFor(address, isConfirmation));

  // Fifteen days pass.
  await app.db
    .updateTable("signatures")
    .set({ token_expires_at: new Date(Date.now() - 1000).toISOString() })
    .where("email", "=", address)
    .execute();
  const before = await countsFor(app.db, OPEN_SLUG);

  const page = await fetch(oldLink);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("This link has expired");
  expect(html).toMatch(/<button type="submit" name="intent" value="resend"/);
  expect(html).not.toMatch(/value="confirm"/);

  const tooLate = await postForm(oldLink, { intent: "confirm" });
  expect(tooLate.status).toBe(410);
  expect(await tooLate.text()).toContain("Email me a fresh link");
  expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
  expect(
    (await app.db.selectFrom("signatures").select("status").where("email", "=", address).executeTakeFirstOrThrow())
      .status,
  ).toBe("pending");

  const resend = await postForm(oldLink, { intent: "resend" });
  expect(resend.status).toBe(302);
  expect(resend.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/check-email`);
  const freshLink = confirmLinkIn(
    await smtp.waitFor(address, (m) => isConfirmation(m) && confirmLinkIn(m) !== oldLink),
  );
  expect(freshLink).not.toBe(oldLink);

  // The expired link is used up: asking it again for a link sends nothing.
  const again = await postForm(oldLink, { intent: "resend" });
  expect(again.status).toBe(400);
  expect(await again.text()).toContain("This link has already been used, or is not valid");

  const confirm = await postForm(freshLink, { intent: "confirm" });
  expect(confirm.status).toBe(302);
  expect(confirm.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/thank-you`);
  const after = await countsFor(app.db, OPEN_SLUG);
  expect(after.total).toBe(before.total + 1);
  expect(after.byCountry.GB).toBe((before.byCountry.GB ?? 0) + 1);
});
