import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PetitionStatus } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { CLOSED_SLUG, OPEN_SLUG, getPetition, outboxTo, signingForm, tokenIn } from "../helpers/signing";

/*
 * The public JSON API (/api): a list of campaigns, one campaign, and its count. Read-only, open to every
 * site (CORS), cacheable by a CDN, and it shows nothing of a signer that the campaign page does not.
 */

let app: TestApp;
let owner: Person;
const unlisted: Partial<Record<PetitionStatus, MadePetition>> = {};
/** What no API answer may ever contain: addresses, hidden names, postcodes, IP and network hashes. */
const secrets: string[] = [];

async function signAndConfirm(who: { name: string; email: string; nameDisplay: string; postcode: string }) {
  await browser(app).post(`/petitions/${OPEN_SLUG}`, {
    ...signingForm({ name: who.name, email: who.email, nameDisplay: who.nameDisplay, country: "FR" }),
    postcode: who.postcode,
  });
  const [mail] = await outboxTo(app.db, who.email);
  expect((await browser(app).post(`/confirm/${tokenIn(mail.text)}`, { intent: "confirm" })).status).toBe(302);
}

beforeAll(async () => {
  // No folding: a fold between two requests would reorder the "popular" pages under the test's feet.
  app = await startTestApp({ worker: false, foldCounts: false });
  owner = await signedIn(app, "owner@example.org");
  for (const state of ["draft", "in_review", "rejected", "hidden"] as const) {
    unlisted[state] = await makePetition(app, { state, owner });
  }
  const signers = [
    { name: "Hester Quillbright", email: "hester.quillbright@example.org", nameDisplay: "hidden", postcode: "QX1 1AA" },
    {
      name: "Ignatius Marrowby",
      email: "ignatius.marrowby@example.net",
      nameDisplay: "first_initial",
      postcode: "QX2 2BB",
    },
    { name: "Philippa Tansley", email: "philippa.tansley@example.com", nameDisplay: "full", postcode: "QX3 3CC" },
  ];
  for (const s of signers) await signAndConfirm(s);
  // The hidden name whole, the surname the initial stands for, every address and postcode, and the hashes.
  secrets.push("Hester", "Quillbright", "Marrowby", "QX1 1AA", "QX2 2BB", "QX3 3CC");
  secrets.push(...signers.map((s) => s.email), "example.org", "example.net", "example.com");
  const petitionId = (await getPetition(app.db, OPEN_SLUG)).id;
  const hashes = await app.db
    .selectFrom("signatures")
    .select(["ip_hash", "network_hash"])
    .where("petition_id", "=", petitionId)
    .execute();
  for (const h of hashes) secrets.push(...[h.ip_hash, h.network_hash].filter((x): x is string => !!x));
});

afterAll(() => app?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, app.url), { headers });

const ENDPOINTS = [
  "/api/petitions.json",
  "/api/petitions.json?q=merseyside",
  "/api/petitions.json?state=open&sort=recent&per_page=1&page=1",
  `/api/petitions/${OPEN_SLUG}.json`,
  `/api/petitions/${OPEN_SLUG}/count.json`,
  `/api/petitions/${CLOSED_SLUG}.json`,
];

describe("a journalist's tool reading the public API", () => {
  test("lists the listed campaigns, most signed first, with page links", async () => {
    const res = await get("/api/petitions.json?per_page=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = await res.json();
    expect(body.meta).toEqual({ total: 3, page: 1, per_page: 1, total_pages: 3, sort: "popular" });
    expect(body.data).toHaveLength(1);
    expect(body.links).toEqual({
      self: `${app.url}/api/petitions.json?per_page=1`,
      first: `${app.url}/api/petitions.json?per_page=1`,
      last: `${app.url}/api/petitions.json?page=3&per_page=1`,
      prev: null,
      next: `${app.url}/api/petitions.json?page=2&per_page=1`,
    });
    const second = await (await get(body.links.next)).json();
    expect(second.links.prev).toBe(body.links.first);
    expect(second.data[0].slug).not.toBe(body.data[0].slug);
    const all = await (await get("/api/petitions.json")).json();
    const slugs = all.data.map((p: { slug: string }) => p.slug);
    expect(slugs).toContain(OPEN_SLUG);
    for (const p of Object.values(unlisted)) expect(slugs).not.toContain(p!.slug);
    const item = all.data.find((p: { slug: string }) => p.slug === OPEN_SLUG);
    expect(Object.keys(item).sort()).toEqual(
      [
        "slug",
        "title",
        "summary",
        "state",
        "signature_count",
        "goal",
        "decision_makers",
        "opened_at",
        "closes_at",
        "closed_at",
        "victory_at",
        "edited_at",
        "image_url",
        "links",
      ].sort(),
    );
    expect(item.links).toEqual({
      self: `${app.url}/api/petitions/${OPEN_SLUG}.json`,
      html: `${app.url}/petitions/${OPEN_SLUG}`,
      count: `${app.url}/api/petitions/${OPEN_SLUG}/count.json`,
    });
  });

  test("filters by state and searches, and says which parameter is wrong with a 400", async () => {
    const closed = await (await get("/api/petitions.json?state=closed")).json();
    expect(closed.data.map((p: { slug: string }) => p.slug)).toEqual([CLOSED_SLUG]);
    const found = await (await get("/api/petitions.json?q=merseyside")).json();
    expect(found.data.map((p: { slug: string }) => p.slug)).toEqual([OPEN_SLUG]);
    expect(found.meta.sort).toBe("relevance");
    const bad = await get(`/api/petitions.json?state=pending&per_page=500&page=0&sort=x&q=${"a".repeat(201)}`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("access-control-allow-origin")).toBe("*");
    const problem = await bad.json();
    expect(Object.keys(problem.errors).sort()).toEqual(["page", "per_page", "q", "sort", "state"]);
    expect(problem.errors.per_page).toBe("per_page must be from 1 to 50");
    const hostile = await get(`/api/petitions.json?q=${encodeURIComponent('NEAR("x" *) OR -:^ \u0000')}`);
    expect(hostile.status).toBe(200);
  });

  test("reads one campaign: its count, goal, decision makers, dates, updates and counts by country", async () => {
    const res = await get(`/api/petitions/${OPEN_SLUG}.json`);
    expect(res.status).toBe(200);
    const { data, links } = await res.json();
    expect(data).toMatchObject({ slug: OPEN_SLUG, state: "open", signature_count: 3 });
    expect(data.goal).toBeGreaterThan(3);
    expect(data.decision_makers.length).toBeGreaterThan(0);
    for (const m of data.decision_makers) expect(Object.keys(m).sort()).toEqual(["name", "title"]);
    expect(data.signatures_by_country).toEqual([{ country: "FR", name: "France", signature_count: 3 }]);
    expect(Array.isArray(data.updates)).toBe(true);
    expect(data.links).toBeUndefined();
    expect(links.count).toBe(`${app.url}/api/petitions/${OPEN_SLUG}/count.json`);
  });

  test("the count is tiny and follows confirmations", async () => {
    const res = await get(`/api/petitions/${OPEN_SLUG}/count.json`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(["goal", "signature_count", "state", "updated_at"]);
    expect(body.signature_count).toBe(3);
    expect(Number.isNaN(Date.parse(body.updated_at))).toBe(false);
  });

  test("every answer may be read from any site and kept by a CDN, and a repeat with its ETag gets a 304", async () => {
    for (const path of ENDPOINTS) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(res.headers.get("cache-control"), path).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
      expect(res.headers.get("set-cookie"), path).toBeNull();
      const etag = res.headers.get("etag");
      expect(etag, path).toBeTruthy();
      const again = await get(path, { "If-None-Match": etag! });
      expect(again.status, path).toBe(304);
      expect(await again.text(), path).toBe("");
      expect(again.headers.get("etag"), path).toBe(etag);
      const other = await get(path, { "If-None-Match": '"something-else"' });
      expect(other.status, path).toBe(200);
    }
    const preflight = await fetch(new URL("/api/petitions.json", app.url), {
      method: "OPTIONS",
      headers: { Origin: "https://news.example", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
  });

  test("a draft, one in review, a rejected and a hidden campaign are 404s, and so is a made-up one", async () => {
    for (const p of [...Object.values(unlisted).map((u) => u!.slug), "no-such-campaign"]) {
      for (const path of [`/api/petitions/${p}.json`, `/api/petitions/${p}/count.json`]) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-type"), path).toBe("application/problem+json; charset=utf-8");
        expect((await res.json()).status, path).toBe(404);
        expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      }
    }
    expect((await get(`/api/petitions/${OPEN_SLUG}`)).status).toBe(404);
    expect((await get(`/api/petitions/${OPEN_SLUG}.xml`)).status).toBe(404);
  });

  test("no address, hidden name, postcode or IP hash appears in any answer", async () => {
    expect(secrets.length).toBeGreaterThan(10);
    for (const path of ENDPOINTS) {
      const text = await (await get(path)).text();
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${path}`).toBe(false);
    }
  });

  test("a developer reads how to use it at /api, with the three addresses", async () => {
    const res = await get("/api");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const path of [
      "/api/petitions.json",
      "/api/petitions/&lt;slug&gt;.json",
      "/api/petitions/&lt;slug&gt;/count.json",
    ])
      expect(html).toContain(`${app.url}${path}`);
  });

  test("only GET and HEAD: a POST to the API is refused", async () => {
    const res = await fetch(new URL("/api/petitions.json", app.url), { method: "POST", body: "x=1" });
    expect(res.status).toBe(405);
    const head = await fetch(new URL(`/api/petitions/${OPEN_SLUG}/count.json`, app.url), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });
});
