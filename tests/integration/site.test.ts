import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { OPEN_SLUG, signingForm } from "../helpers/signing";
import { TestSmtpServer } from "../helpers/smtp";

let smtp: TestSmtpServer;
let dev: TestApp;
let production: TestApp;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  dev = await startTestApp({ worker: false });
  production = await startTestApp({
    smtpUrl: smtp.url,
    worker: false,
    env: {
      NODE_ENV: "production",
      SESSION_SECRET: "a-production-secret-of-32-chars!!",
      SMTP_URL: smtp.url,
      MAIL_FROM: "Undersigned <campaigns@example.org>",
    },
  });
});
afterAll(async () => {
  await dev.stop();
  await production.stop();
  await smtp.stop();
});

describe("security headers", () => {
  test("a page tells the browser to run only its own scripts, carrying this response's nonce", async () => {
    const res = await fetch(`${dev.url}/petitions/${OPEN_SLUG}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");

    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  test("each response gets its own nonce", async () => {
    const nonceOf = async () =>
      (await fetch(`${dev.url}/`)).headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
    const [a, b] = [await nonceOf(), await nonceOf()];
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });

  test("in production the site insists on HTTPS", async () => {
    const res = await fetch(`${production.url}/`);
    expect(res.headers.get("strict-transport-security")).toContain("max-age=31536000");
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });
});

describe("the development mail inbox", () => {
  test("a developer sees every email the site wrote, and can open one", async () => {
    expect(
      (await postForm(`${dev.url}/petitions/${OPEN_SLUG}`, signingForm({ email: "inbox@example.org" }))).status,
    ).toBe(302);
    const res = await fetch(`${dev.url}/dev/mail`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("inbox@example.org");
    expect(html).toContain("Please confirm your signature: Make the Merseyside model of policing UK-wide");

    const [message] = await dev.db
      .selectFrom("outbox")
      .select("id")
      .where("to_address", "=", "inbox@example.org")
      .execute();
    const one = await fetch(`${dev.url}/dev/mail/${message.id}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toMatch(/\/confirm\/[A-Za-z0-9_-]{43}/);
    const htmlPart = await fetch(`${dev.url}/dev/mail/${message.id}/html`);
    expect(htmlPart.status).toBe(200);
    expect(await htmlPart.text()).toContain("Confirm my signature");
  });

  test("in production the inbox does not exist", async () => {
    expect(
      (await postForm(`${production.url}/petitions/${OPEN_SLUG}`, signingForm({ email: "prod@example.org" }))).status,
    ).toBe(302);
    const [message] = await production.db
      .selectFrom("outbox")
      .select("id")
      .where("to_address", "=", "prod@example.org")
      .execute();
    expect(message).toBeDefined();
    for (const path of ["/dev/mail", `/dev/mail/${message.id}`, `/dev/mail/${message.id}/html`]) {
      const res = await fetch(`${production.url}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).not.toContain("prod@example.org");
    }
    expect(await (await fetch(`${production.url}/`)).text()).not.toContain("/dev/mail");
  });
});

describe("health check", () => {
  test("a load balancer asking /healthz hears ok", async () => {
    const res = await fetch(`${dev.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
