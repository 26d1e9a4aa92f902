/**
 * The email gallery at /dev/emails: every template in emails/, rendered with
 * made-up data, for whoever changes a template or the shared layout. Never
 * served in production.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { emailLanguage } from "../../app/lib/i18n.server";
import { EMAIL_SAMPLES } from "../../app/services/email-samples.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { TestSmtpServer } from "../helpers/smtp";

let app: TestApp;
let production: TestApp;
let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ worker: false });
  production = await startTestApp({
    worker: false,
    env: {
      NODE_ENV: "production",
      SESSION_SECRET: "a-production-secret-of-at-least-32-chars",
      SMTP_URL: smtp.url,
      MAIL_FROM: "Undersigned <campaigns@example.org>",
    },
  });
});
afterAll(async () => {
  await app.stop();
  await production.stop();
  await smtp.stop();
});

/** The templates: one module per email in emails/, and the layout they share. */
const TEMPLATES = fs
  .readdirSync(path.resolve("emails"))
  .filter((f) => f.endsWith(".tsx") && !f.endsWith(".test.tsx"))
  .map((f) => f.replace(/\.tsx$/, ""));

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("a developer reads every email the site sends", () => {
  test("every template in emails/ has at least one sample", () => {
    expect(TEMPLATES).toEqual(
      expect.arrayContaining([
        "layout",
        "confirm-signature",
        "already-signed",
        "sign-in",
        "petition-status",
        "organizer-invitation",
        "manage-links",
        "update",
      ]),
    );
    const covered = new Set(Object.values(EMAIL_SAMPLES).map((s) => s.template));
    for (const template of TEMPLATES) expect(covered, template).toContain(template);
  });

  test("/dev/emails lists every sample, each linking to its page", async () => {
    const res = await fetch(`${app.url}/dev/emails`);
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const [name, sample] of Object.entries(EMAIL_SAMPLES)) {
      const subject = sample.render({ appUrl: app.config.appUrl }, emailLanguage("en")).subject;
      expect(decode(page), name).toContain(`href="/dev/emails/${name}">${subject}</a>`);
    }
  });

  test("each sample renders: a subject, an HTML document in a sandboxed frame, and a text version", async () => {
    for (const name of Object.keys(EMAIL_SAMPLES)) {
      const res = await fetch(`${app.url}/dev/emails/${name}`);
      expect(res.status, name).toBe(200);
      const page = decode(await res.text());
      const subject = page.match(/<h1>([^<]+)<\/h1>/)?.[1] ?? "";
      expect(subject.trim(), name).not.toBe("");
      expect(page).toMatch(
        new RegExp(
          `<iframe[^>]*sandbox="[^"]*"[^>]*src="/dev/emails/${name}/html"|<iframe[^>]*src="/dev/emails/${name}/html"[^>]*sandbox=`,
        ),
      );
      const text = page.match(/<pre class="mail-text">([^]*?)<\/pre>/)?.[1] ?? "";
      expect(text.trim().length, name).toBeGreaterThan(0);

      const html = await fetch(`${app.url}/dev/emails/${name}/html`);
      expect(html.status, name).toBe(200);
      expect(html.headers.get("content-type")).toContain("text/html");
      // Its own policy, not the site's: inline styles apply, nothing runs, and only this site may frame it.
      expect(html.headers.get("content-security-policy")).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
      );
      expect(html.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      const body = await html.text();
      expect(body, name).toContain("<html");
      expect(body).not.toContain("%%UNSUBSCRIBE");
    }
  });

  test("the update sample shows its one-click headers and the campaign's List-Id", async () => {
    const page = decode(await (await fetch(`${app.url}/dev/emails/update`)).text());
    expect(page).toContain("List-Unsubscribe-Post");
    expect(page).toContain("List-Unsubscribe=One-Click");
    expect(page).toContain("<dt>List-Id</dt>");
    expect(page).toContain('"Keep the Riverside Library open on Sundays" <petition-1.updates.127.0.0.1>');
  });

  test("every email ends with a footer that is true for its kind", () => {
    const site = { appUrl: "https://undersigned.example" };
    const footerOf = (name: string) => {
      const { text, html } = EMAIL_SAMPLES[name].render(site, emailLanguage("en"));
      const footer = text.slice(text.lastIndexOf("\n--\n") + 4).trim();
      // The same words close the HTML version.
      expect(decode(html.replace(/\s+/g, " ")), name).toContain(footer);
      return footer;
    };
    // Emails with a link that does something tell a stranger that ignoring them is safe, and why.
    for (const name of ["confirm-signature", "manage-links", "organizer-invitation"])
      expect(footerOf(name), name).toMatch(
        /ignore this email: nothing (is counted|changes|happens) unless (the|a) link is used\.$/,
      );
    expect(footerOf("sign-in")).toMatch(/ignore this email: nobody can sign in without the link\.$/);
    // Emails with no such link say why they came, and nothing about a link.
    const noLink = Object.keys(EMAIL_SAMPLES).filter((n) => n.startsWith("petition-status") || n.startsWith("update"));
    expect(noLink.length).toBeGreaterThan(8);
    for (const name of [...noLink, "already-signed"]) expect(footerOf(name), name).not.toMatch(/unless|link is used/);
    expect(footerOf("update")).toBe(
      "You are receiving this because you signed this petition on Undersigned (https://undersigned.example) and asked for its updates. The links above stop them.",
    );
    expect(footerOf("petition-status-published")).toBe(
      "You are receiving this because you organize this petition on Undersigned (https://undersigned.example).",
    );
    expect(footerOf("already-signed")).toContain("Nothing has changed");
    for (const name of Object.keys(EMAIL_SAMPLES))
      expect(footerOf(name), name).toContain("https://undersigned.example");
  });

  test("an unknown sample is not found", async () => {
    expect((await fetch(`${app.url}/dev/emails/no-such-email`)).status).toBe(404);
    expect((await fetch(`${app.url}/dev/emails/no-such-email/html`)).status).toBe(404);
    expect((await fetch(`${app.url}/dev/emails/constructor`)).status).toBe(404);
  });

  test("in production there is no gallery", async () => {
    for (const p of ["/dev/emails", "/dev/emails/update", "/dev/emails/update/html"]) {
      expect((await fetch(`${production.url}${p}`)).status, p).toBe(404);
    }
  });
});
