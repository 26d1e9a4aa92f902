import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { secondsSinceStamp } from "../../app/lib/form-timing.server";
import { setSetting } from "../../app/models/settings.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { signedIn } from "../helpers/session";
import { getPetition, OPEN_SLUG } from "../helpers/signing";

// The whole-page cache in front of Remix (server/page-cache.ts), on as in production.
// Long enough that no test, however slow the machine, outlives it by accident: tests age the cache's pages
// by moving its clock on (app.pageCacheClock).
const TTL_MS = 60_000;
const STAMP = /name="started" value="([^"]+)"/;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { PAGE_CACHE_MS: String(TTL_MS) } });
});
afterAll(async () => {
  await app.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers, redirect: "manual" });

/** The page's HTML and the nonce its Content-Security-Policy header allows. */
async function page(path: string, headers: Record<string, string> = {}) {
  const res = await get(path, headers);
  const html = await res.text();
  const headerNonce = res.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1];
  return { res, html, headerNonce, stamp: html.match(STAMP)?.[1] };
}

/** The HTML with this response's own values (nonces, the form's time stamp) blanked out. */
const shared = (html: string, stamp: string | undefined) =>
  html
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .split(stamp ?? "\u0000")
    .join("STAMP");

describe("a campaign page asked for by anonymous visitors", () => {
  test("is the same page for each, with its own script nonce and form time stamp in every response", async () => {
    const first = await page(`/petitions/${OPEN_SLUG}`);
    app.formStampClock.advance(1); // stamps are made to the millisecond
    const second = await page(`/petitions/${OPEN_SLUG}`);
    for (const p of [first, second]) {
      expect(p.res.status).toBe(200);
      expect(p.headerNonce).toBeDefined();
      const nonces = [...p.html.matchAll(/nonce="([^"]*)"/g)].map((m) => m[1]);
      expect(nonces.length).toBeGreaterThan(2);
      expect(new Set(nonces)).toEqual(new Set([p.headerNonce]));
      expect(secondsSinceStamp(app.config.addressSecret, p.stamp)).not.toBeNull();
      // The stamp is in the form and in the loader data the browser hydrates from, both times the same.
      expect(p.html.split(p.stamp!).length - 1).toBe(2);
      expect(p.html).not.toContain("pagecache");
    }
    expect(second.headerNonce).not.toBe(first.headerNonce);
    expect(second.stamp).not.toBe(first.stamp);
    expect(shared(second.html, second.stamp)).toBe(shared(first.html, first.stamp));
  });

  test("is the same page Remix renders for a visitor it does not serve from the cache", async () => {
    const cached = await page(`/petitions/${OPEN_SLUG}`, {
      "accept-language": "fr-FR,fr;q=0.9",
    });
    const rendered = await page(`/petitions/${OPEN_SLUG}`, {
      "accept-language": "fr-FR,fr;q=0.9",
      cookie: "unrelated=1",
    });
    expect(shared(cached.html, cached.stamp)).toBe(shared(rendered.html, rendered.stamp));
  });

  test("starts each visitor's form at their own country, never the campaign's, and keeps the cached pages apart", async () => {
    // The California campaign: a visitor from the UK must not find "United States" chosen for them.
    const slug = "safety-first-for-sex-workers-reporting-violence";
    const selected = (html: string) => html.match(/<option value="([A-Z]*)" selected="">/)?.[1];
    const visit = async (languages: string) =>
      selected((await page(`/petitions/${slug}`, { "accept-language": languages })).html);
    expect(await visit("en-GB,en;q=0.9")).toBe("GB");
    expect(await visit("de-DE,de;q=0.9")).toBe("DE");
    // A first language that names no country chooses nothing: the form asks "Choose your country".
    expect(await visit("fr, en-GB;q=0.8")).toBe("");
    expect(await visit("en-US")).toBe("US");
    // The same visitors again, now from the cache, each still with their own.
    expect(await visit("en-GB,en;q=0.9")).toBe("GB");
    expect(await visit("fr, en-GB;q=0.8")).toBe("");
    expect(selected((await page(`/petitions/${slug}`)).html)).toBe("");
  });

  test("serves each visitor the page in their language, and keeps the languages' pages apart", async () => {
    const language = async (languages: string) => {
      const { res, html } = await page(`/petitions/${OPEN_SLUG}`, { "accept-language": languages });
      expect(res.headers.get("vary")).toMatch(/Accept-Language/i);
      return html.match(/<html lang="([^"]+)"/)?.[1];
    };
    expect(await language("cy-GB,en;q=0.5")).toBe("cy");
    expect(await language("en-GB,en;q=0.9")).toBe("en");
    expect(await language("es-US,es;q=0.9")).toBe("es");
    // A language we do not have gives English; the next we do have, by quality, wins.
    expect(await language("fr-FR, es;q=0.8, en;q=0.5")).toBe("es");
    // The same again, now from the cache: each still in their own.
    expect(await language("cy-GB,en;q=0.5")).toBe("cy");
    expect(await language("en-GB,en;q=0.9")).toBe("en");
  });

  test("answers HEAD with the page's headers and no body", async () => {
    const full = await get(`/petitions/${OPEN_SLUG}`);
    const res = await fetch(`${app.url}/petitions/${OPEN_SLUG}`, {
      method: "HEAD",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-length")).toBe(full.headers.get("content-length"));
    expect(res.headers.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
    expect(await res.text()).toBe("");
  });

  test("is shown to a signed-in visitor as Remix renders it for them", async () => {
    await get(`/petitions/${OPEN_SLUG}`); // the anonymous page is in the cache
    const moderator = await signedIn(app, "cached-page-moderator@example.org", ["moderator"]);
    const { html } = await page(`/petitions/${OPEN_SLUG}`, {
      cookie: moderator.cookie,
    });
    expect(html).toContain(">Your account</a>");
    expect(html).toContain(">Moderate</a>");
    const anonymous = await page(`/petitions/${OPEN_SLUG}`);
    expect(anonymous.html).toContain(">Sign in</a>");
    expect(anonymous.html).not.toContain(">Your account</a>");
  });

  test("shows a pause, and a petition closed meanwhile, once the TTL has passed", async () => {
    const petition = await getPetition(app.db, OPEN_SLUG);
    expect((await page(`/petitions/${OPEN_SLUG}`)).html).toContain('name="started"');
    await setSetting(app.db, "signing_paused_message", "Paused while we check something.");
    try {
      app.pageCacheClock.advance(TTL_MS + 1);
      const paused = await page(`/petitions/${OPEN_SLUG}`);
      expect(paused.html).toContain("Signing is paused");
      expect(paused.html).not.toContain('name="started"');
    } finally {
      await setSetting(app.db, "signing_paused_message", null);
    }
    await app.db
      .updateTable("petitions")
      .set({ status: "closed", closed_at: new Date().toISOString() })
      .where("id", "=", petition.id)
      .execute();
    try {
      app.pageCacheClock.advance(TTL_MS + 1);
      expect((await page(`/petitions/${OPEN_SLUG}`)).html).toContain("This petition is closed");
    } finally {
      await app.db
        .updateTable("petitions")
        .set({ status: petition.status, closed_at: petition.closed_at })
        .where("id", "=", petition.id)
        .execute();
    }
  });

  test("is not kept when it was not found, nor served for an address with a query string", async () => {
    const petition = await getPetition(app.db, OPEN_SLUG);
    expect((await get("/petitions/not-yet-here")).status).toBe(404);
    await app.db.updateTable("petitions").set({ slug: "not-yet-here" }).where("id", "=", petition.id).execute();
    try {
      // Well within the TTL: had the 404 been kept, it would be served again.
      expect((await get("/petitions/not-yet-here")).status).toBe(200);
    } finally {
      await app.db.updateTable("petitions").set({ slug: OPEN_SLUG }).where("id", "=", petition.id).execute();
    }
    // A query string goes to Remix, whose page data cache (also PAGE_CACHE_MS) only a signed-in visitor's or
    // a query string's request fills: a campaign no other test here asks for that way shows the count afresh.
    const other = await getPetition(app.db, "safety-first-for-sex-workers-reporting-violence");
    const count = (html: string) => html.match(/<p class="progress-count"><strong>([\d,]+)<\/strong>/)?.[1];
    const before = count((await page(`/petitions/${other.slug}`)).html);
    expect(before).toMatch(/^[\d,]+$/);
    await app.db
      .updateTable("petitions")
      .set({ signature_count: other.signature_count + 777 })
      .where("id", "=", other.id)
      .execute();
    try {
      expect(count((await page(`/petitions/${other.slug}`)).html)).toBe(before);
      expect(count((await page(`/petitions/${other.slug}?ref=share`)).html)).toBe(
        (other.signature_count + 777).toLocaleString("en-GB"),
      );
    } finally {
      await app.db
        .updateTable("petitions")
        .set({ signature_count: other.signature_count })
        .where("id", "=", other.id)
        .execute();
    }
  });
});
