import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formStamp, secondsSinceStamp } from "../../app/lib/form-timing.server";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { signingForm } from "../helpers/signing";

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
    (await app.db.selectFrom("signatures").select(["hold", "hold_reason"]).where("email", "=", email).executeTakeFirstOrThrow());

  test("the page hands out a signed time stamp with the form", async () => {
    const html = await (await fetch(`${app.url}/petitions/${SLUG}`)).text();
    const stamp = html.match(/name="started" value="([^"]+)"/)?.[1];
    expect(stamp).toBeDefined();
    const age = secondsSinceStamp(app.config.addressSecret, stamp);
    expect(age).not.toBeNull();
    expect(age!).toBeGreaterThanOrEqual(0);
  });

  test("a page served from the cache hands out a stamp made for that response", async () => {
    const stampOf = async () => (await (await fetch(`${app.url}/petitions/${SLUG}`)).text()).match(/name="started" value="([^"]+)"/)?.[1];
    const first = await stampOf();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await stampOf();
    expect(second).not.toBe(first);
    // The first was made over a second ago; the second one now, though the page is the one kept at the first.
    expect(secondsSinceStamp(app.config.addressSecret, first)!).toBeGreaterThanOrEqual(1);
    expect(secondsSinceStamp(app.config.addressSecret, second)!).toBeLessThan(1);
  });

  test("a person who took their time is counted as usual", async () => {
    const started = formStamp(app.config.addressSecret, Date.now() - 20_000);
    const res = await postForm(`${app.url}/petitions/${SLUG}`, { ...signingForm({ email: "patient@example.org" }), started });
    expect(res.status).toBe(302);
    expect((await holdOf("patient@example.org")).hold).toBeNull();
  });

  test("a form sent back at once is kept, with the same page, but held as suspect", async () => {
    const started = formStamp(app.config.addressSecret);
    const res = await postForm(`${app.url}/petitions/${SLUG}`, { ...signingForm({ email: "hasty@example.org" }), started });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/petitions/${SLUG}/check-email`);
    const row = await holdOf("hasty@example.org");
    expect(row.hold).toBe("suspect");
    expect(row.hold_reason).toMatch(/came back after/);
  });

  test("a missing or forged stamp is held as suspect too", async () => {
    await postForm(`${app.url}/petitions/${SLUG}`, signingForm({ email: "nostamp@example.org" }));
    expect((await holdOf("nostamp@example.org")).hold).toBe("suspect");
    const forged = `${Date.now() - 60_000}.AAAAAAAAAAAAAAAAAAAAAA`;
    await postForm(`${app.url}/petitions/${SLUG}`, { ...signingForm({ email: "forged@example.org" }), started: forged });
    expect((await holdOf("forged@example.org")).hold).toBe("suspect");
    expect(secondsSinceStamp(app.config.addressSecret, forged)).toBeNull();
  });
});
