import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formStamp, secondsSinceStamp } from "../../app/lib/form-timing.server";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { outboxSettled } from "../helpers/outbox";
import { errorBeside, valueOf } from "../helpers/html";
import { outboxTo, signingForm } from "../helpers/signing";

const SLUG = "merseyside-model-uk-wide";

describe("the minimum fill time on the signing form", () => {
  let app: TestApp;
  beforeAll(async () => {
    // With the page cache on, as in production, and a long TTL: every page after the first is served from
    // the cache, and must still hand out a stamp made for it (server/page-cache.ts).
    app = await startTestApp({ env: { MIN_FILL_SECONDS: "3", PAGE_CACHE_MS: "60000" } });
  });
  afterAll(async () => {
    await app.stop();
  });

  const holdOf = async (email: string) =>
    await app.db
      .selectFrom("signatures")
      .select(["hold", "hold_reason", "review_reason"])
      .where("email", "=", email)
      .executeTakeFirstOrThrow();

  test("the page hands out a signed time stamp with the form", async () => {
    const html = await (await fetch(`${app.url}/petitions/${SLUG}`)).text();
    const stamp = html.match(/name="started" value="([^"]+)"/)?.[1];
    expect(stamp).toBeDefined();
    const age = secondsSinceStamp(app.config.addressSecret, stamp);
    expect(age).not.toBeNull();
    expect(age!).toBeGreaterThanOrEqual(0);
  });

  test("a page served from the cache hands out a stamp made for that response", async () => {
    const stampOf = async () =>
      (await (await fetch(`${app.url}/petitions/${SLUG}`)).text()).match(/name="started" value="([^"]+)"/)?.[1];
    const first = await stampOf();
    app.formStampClock.advance(1_100);
    const second = await stampOf();
    expect(second).not.toBe(first);
    // The first was made over a second ago; the second one now, though the page is the one kept at the first.
    const now = app.formStampClock.now();
    expect(secondsSinceStamp(app.config.addressSecret, first, now)!).toBeGreaterThanOrEqual(1);
    expect(secondsSinceStamp(app.config.addressSecret, second, now)!).toBeLessThan(1);
  });

  test("a person who took their time is counted as usual", async () => {
    const started = formStamp(app.config.addressSecret, Date.now() - 20_000);
    const res = await postForm(`${app.url}/petitions/${SLUG}`, {
      ...signingForm({ email: "patient@example.org" }),
      started,
    });
    expect(res.status).toBe(302);
    expect((await holdOf("patient@example.org")).hold).toBeNull();
  });

  test("a form sent back at once (a browser's autofill) is kept and not held, only flagged for moderators", async () => {
    const started = formStamp(app.config.addressSecret);
    const res = await postForm(`${app.url}/petitions/${SLUG}`, {
      ...signingForm({ email: "hasty@example.org" }),
      started,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/petitions/${SLUG}/check-email`);
    const row = await holdOf("hasty@example.org");
    expect(row.hold).toBeNull();
    expect(row.review_reason).toMatch(/came back after/);
  });

  test("a missing or forged stamp, a sign of a bot, is held as suspect", async () => {
    await postForm(`${app.url}/petitions/${SLUG}`, signingForm({ email: "nostamp@example.org" }));
    expect((await holdOf("nostamp@example.org")).hold).toBe("suspect");
    const forged = `${Date.now() - 60_000}.AAAAAAAAAAAAAAAAAAAAAA`;
    await postForm(`${app.url}/petitions/${SLUG}`, {
      ...signingForm({ email: "forged@example.org" }),
      started: forged,
    });
    expect((await holdOf("forged@example.org")).hold).toBe("suspect");
    expect(secondsSinceStamp(app.config.addressSecret, forged)).toBeNull();
  });
});

/**
 * The forms that only ask for an address (a sign-in link, "email me my links") have the same honeypot
 * and time stamp. Nothing can be kept there for a moderator, so a form that came back too fast is
 * handed back to be sent again, with the address kept; a filled-in honeypot gets the usual page and
 * no email.
 */
describe.each<{ form: string; fieldId: string; checkEmail: string; kind: string; extra: Record<string, string> }>([
  {
    form: "/sign-in",
    fieldId: "sign-in-email",
    checkEmail: "/sign-in/check-email",
    kind: "sign-in",
    extra: { redirectTo: "/account" },
  },
  {
    form: "/signature/request",
    fieldId: "manage-email",
    checkEmail: "/signature/check-email",
    kind: "manage-links",
    extra: {},
  },
])("the minimum fill time and honeypot on $form", ({ form, fieldId, checkEmail, kind, extra }) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { MIN_FILL_SECONDS: "3" } });
  });
  afterAll(async () => {
    await app.stop();
  });

  /** Someone who has signed, so that "email me my links" has something to send. */
  async function knownAddress(email: string) {
    const started = formStamp(app.config.addressSecret, Date.now() - 20_000);
    await postForm(`${app.url}/petitions/${SLUG}`, { ...signingForm({ email }), started });
    return email;
  }
  const kindsTo = async (email: string) => (await outboxTo(app.db, email)).map((m) => m.kind).filter((k) => k === kind);

  test("the page hands out a signed time stamp and a honeypot", async () => {
    const html = await (await fetch(`${app.url}${form}`)).text();
    const stamp = html.match(/name="started" value="([^"]+)"/)?.[1];
    expect(secondsSinceStamp(app.config.addressSecret, stamp)).not.toBeNull();
    expect(html).toMatch(/<div class="honeypot" aria-hidden="true">.*name="website"/s);
  });

  test("a form sent back at once is handed back with the address kept and its own stamp, and nothing is sent", async () => {
    const email = await knownAddress(`quick-${kind}@example.org`);
    const started = formStamp(app.config.addressSecret);
    const res = await postForm(`${app.url}${form}`, { email, started, ...extra });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(errorBeside(html, fieldId)).toMatch(/quicker than we expected/);
    expect(valueOf(html, fieldId)).toBe(email);
    // The stamp handed back is the first one: the time spent reading the message counts towards the minimum.
    expect(html).toContain(`name="started" value="${started}"`);
    await outboxSettled(app.db);
    expect(await kindsTo(email)).toEqual([]);
  });

  test("a missing or forged stamp is handed back with a fresh one", async () => {
    const email = await knownAddress(`nostamp-${kind}@example.org`);
    const res = await postForm(`${app.url}${form}`, {
      email,
      started: `${Date.now() - 60_000}.AAAAAAAAAAAAAAAAAAAAAA`,
      ...extra,
    });
    expect(res.status).toBe(400);
    const stamp = (await res.text()).match(/name="started" value="([^"]+)"/)?.[1];
    expect(secondsSinceStamp(app.config.addressSecret, stamp)).not.toBeNull();
  });

  test("a filled-in honeypot gets the usual page and no email; a person who took their time gets theirs", async () => {
    const email = await knownAddress(`honeypot-${kind}@example.org`);
    const started = formStamp(app.config.addressSecret, Date.now() - 20_000);
    const bot = await postForm(`${app.url}${form}`, { email, started, website: "https://spam.example", ...extra });
    expect(bot.status).toBe(302);
    expect(bot.headers.get("location")).toBe(checkEmail);
    const person = await postForm(`${app.url}${form}`, { email, started, ...extra });
    expect(person.status).toBe(302);
    expect(person.headers.get("location")).toBe(checkEmail);
    // "Email me my links" looks the address up after answering: wait for the person's email, then count.
    await expect.poll(() => kindsTo(email)).toEqual([kind]);
  });
});
