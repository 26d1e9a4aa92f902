/**
 * With DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY set, the mail the
 * worker sends carries a DKIM-Signature for that domain and selector.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { OPEN_SLUG, signingForm } from "../helpers/signing";
import { TestSmtpServer } from "../helpers/smtp";

let app: TestApp;
let smtp: TestSmtpServer;
beforeAll(async () => {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({
    smtpUrl: smtp.url,
    env: { DKIM_DOMAIN: "example.org", DKIM_SELECTOR: "test", DKIM_PRIVATE_KEY: privateKey },
  });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

test("the confirmation email is DKIM-signed for the configured domain and selector", async () => {
  const email = "dana.dkim@example.org";
  const res = await postForm(`${app.url}/petitions/${OPEN_SLUG}`, signingForm({ email, name: "Dana Kim" }));
  expect(res.headers.get("location")).toMatch(/\/check-email$/);
  const mail = await smtp.waitFor(email);
  const dkim = mail.headerLines.filter((h) => h.key === "dkim-signature");
  expect(dkim).toHaveLength(1);
  const value = dkim[0].line.replace(/^DKIM-Signature:\s*/i, "").replace(/\s+/g, "");
  const tags = Object.fromEntries(
    value
      .split(";")
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)]),
  );
  expect(tags.d).toBe("example.org");
  expect(tags.s).toBe("test");
  expect(tags.a).toBe("rsa-sha256");
  expect(tags.b?.length).toBeGreaterThan(100);
});
