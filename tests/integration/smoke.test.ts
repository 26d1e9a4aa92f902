import { afterAll, beforeAll, expect, test } from "vitest";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { confirmLinkIn, TestSmtpServer } from "../helpers/smtp";

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

test("a signer signs, confirms by email and is counted", async () => {
  const res = await postForm(`${app.url}/petitions/merseyside-model-uk-wide`, {
    name: "Ada Lovelace",
    email: "ada@example.org",
    country: "GB",
    nameDisplay: "full",
  });
  expect(res.status).toBe(302);
  const mail = await smtp.waitFor("ada@example.org");
  const link = confirmLinkIn(mail);
  const confirm = await postForm(link, { intent: "confirm" });
  expect(confirm.headers.get("location")).toBe("/petitions/merseyside-model-uk-wide/thank-you");
  const page = await (await fetch(`${app.url}/petitions/merseyside-model-uk-wide`)).text();
  expect(page).toContain("Ada Lovelace");
});
