/**
 * Every page and every email in the pseudo-language (app/lib/i18n.ts PSEUDO_LANGUAGE), where each
 * catalog string comes out marked: any text without the mark was written into a component or a template
 * instead of the catalogs, and would stay English for a Welsh or Spanish reader.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailLanguage } from "../../app/lib/i18n.server";
import { PSEUDO_LANGUAGE } from "../../app/lib/i18n";
import { EMAIL_SAMPLES } from "../../app/services/email-samples.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { signedIn, type Person } from "../helpers/session";
import { OPEN_SLUG } from "../helpers/signing";
import { untranslatedText } from "../helpers/untranslated";

let app: TestApp;
let people: Record<"visitor" | "signedIn" | "moderator" | "admin", Person | null>;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  people = {
    visitor: null,
    signedIn: await signedIn(app, "someone@example.org"),
    moderator: await signedIn(app, "moderator@example.org", ["moderator"]),
    admin: await signedIn(app, "admin@example.org", ["admin"]),
  };
});
afterAll(() => app?.stop());

/**
 * A page to look at. A path or person made in a `beforeAll` (a campaign's id, its organizer) is given as a
 * function, read when the test runs; `name` then says what the page is.
 */
type Page = {
  path: string | (() => string);
  as?: keyof typeof people | (() => Person);
  name?: string;
};

/*
 * The pages, by part of the site and who reaches them ({slug} is the open seed campaign). Each part lists
 * its pages in its own list: a page left out is a page nobody checks. Not listed: /dev/* and /bench/*,
 * tools for developers that production never serves.
 */

// Everyone: the layout and the error pages.
const LAYOUT_PAGES: Page[] = [{ path: "/no-such-page" }, { path: "/no-such-page", as: "admin" }];

// Signing: the campaign page, its form and what follows it, the widget.
const SIGNING_PAGES: Page[] = [];

// Reading and leaving: home, browse, privacy, a signer's own pages, signing in, the account.
const PUBLIC_PAGES: Page[] = [
  { path: "/sign-in" },
  { path: "/sign-in/check-email" },
  { path: "/sign-in/not-a-real-token" },
  { path: "/signature/request" },
  { path: "/signature/check-email" },
  { path: "/invitations/not-a-real-token", as: "signedIn" },
  { path: "/" },
  { path: "/petitions" },
  { path: "/petitions?q=police" },
  { path: "/account", as: "signedIn" },
  { path: "/api" },
];

// Organizing: starting a campaign and everything under /organize.
const ORGANIZING_PAGES: Page[] = [];

// Moderating, administering, and decision makers' pages.
const MODERATION_PAGES: Page[] = [];

// A campaign's language and its translations.
const CAMPAIGN_LANGUAGE_PAGES: Page[] = [];

const PAGES = [
  ...LAYOUT_PAGES,
  ...SIGNING_PAGES,
  ...PUBLIC_PAGES,
  ...ORGANIZING_PAGES,
  ...MODERATION_PAGES,
  ...CAMPAIGN_LANGUAGE_PAGES,
];

async function get(page: Page): Promise<{ status: number; html: string }> {
  const person = typeof page.as === "function" ? page.as() : page.as ? people[page.as] : null;
  const path = typeof page.path === "function" ? page.path() : page.path;
  const cookie = [`lang=${PSEUDO_LANGUAGE}`, person?.cookie].filter(Boolean).join("; ");
  const response = await fetch(app.url + path.replace("{slug}", OPEN_SLUG), {
    headers: { cookie },
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}

/** Text in an email's plain-text part with no pseudo-language mark, but for addresses. */
function untranslatedLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /\p{L}/u.test(line) && !/[⟦⟧]/.test(line))
    .filter((line) => !/^(https?:\/\/\S+|--)$/.test(line));
}

describe("a reader in any language sees no text the catalogs do not give", () => {
  const named = (p: Page) =>
    p.name ?? `${typeof p.path === "string" ? p.path : "?"} (${typeof p.as === "string" ? p.as : "visitor"})`;
  it.each(PAGES.map((p) => [named(p), p] as const))("%s", async (_name, page) => {
    const { status, html } = await get(page);
    expect(status, "the page answers").toBeLessThan(500);
    expect(html).toContain(`<html lang="${PSEUDO_LANGUAGE}"`);
    expect(untranslatedText(html)).toEqual([]);
  });

  it.each(Object.keys(EMAIL_SAMPLES))("the email %s", (name) => {
    const email = EMAIL_SAMPLES[name].render({ appUrl: app.config.appUrl }, emailLanguage(PSEUDO_LANGUAGE));
    expect(email.subject).toMatch(/[⟦⟧]/);
    expect(email.html).toContain(`<html lang="${PSEUDO_LANGUAGE}"`);
    expect(untranslatedText(email.html)).toEqual([]);
    expect(untranslatedLines(email.text)).toEqual([]);
  });
});
