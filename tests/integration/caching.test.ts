import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { unsubscribeToken } from "../../app/lib/unsubscribe.server";
import { decideCoverImage, processCoverImage, saveCoverImage } from "../../app/models/image.server";
import { createUpdate, publishUpdate } from "../../app/models/update.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { OPEN_SLUG, outboxTo, signingForm, tokenIn } from "../helpers/signing";

/*
 * Caching headers (docs/decisions/0019-caching-headers.md): public pages are kept by browsers and
 * revalidated with an ETag made from what they show; everything else, and above all what is someone's
 * own (signed-in pages, a signer's links, anything that sets a cookie), is kept by no cache at all.
 */

const PUBLIC_PAGE = "private, no-cache";
const NO_STORE = "private, no-store";

let app: TestApp; // renders every page (no page cache), as for signed-in visitors
let cached: TestApp; // anonymous pages from the whole-page cache, as in production
let owner: Person;
let moderator: Person;
let admin: Person;
let petition: MadePetition;
let updateId: number;
let imageId: number;
let imageSha256: string;
let confirmToken: string;
let manageToken: string;
let signInToken: string;
let signatureId: number;

beforeAll(async () => {
  [app, cached] = await Promise.all([
    startTestApp({ worker: false }),
    startTestApp({ worker: false, env: { PAGE_CACHE_MS: "60000" } }),
  ]);
  owner = await signedIn(app, "owner@example.org");
  moderator = await signedIn(app, "moderator@example.org", ["moderator"]);
  admin = await signedIn(app, "admin@example.org", ["admin"]);
  petition = await makePetition(app, { state: "open", owner });

  const picture = await sharp({ create: { width: 1200, height: 630, channels: 3, background: "#5a2ca0" } })
    .png()
    .toBuffer();
  const processed = await processCoverImage(picture);
  if (!processed.ok) throw new Error(processed.error);
  // On an open petition a new image waits for a moderator, who approves it (ADR 0007).
  expect(
    await saveCoverImage(app.db, {
      petitionId: petition.id,
      userId: owner.id,
      image: processed.image,
      moderation: true,
    }),
  ).toBe("pending");
  expect(
    await decideCoverImage(app.db, {
      petitionId: petition.id,
      moderatorId: moderator.id,
      approve: true,
      site: { appUrl: app.url },
    }),
  ).toBe(true);
  const row = await app.db.selectFrom("petitions").select("image_id").where("id", "=", petition.id).executeTakeFirst();
  imageId = row!.image_id!;
  imageSha256 = processed.image.sha256;

  updateId = (await createUpdate(app.db, {
    petitionId: petition.id,
    userId: owner.id,
    input: { title: "We met the council", body: "They listened." },
  }))!;
  const published = await publishUpdate(app.db, {
    updateId,
    userId: owner.id,
    email: false,
    minIntervalMs: 0,
    site: { appUrl: app.url },
  });
  expect(published).toBe("published");

  expect((await browser(app).post(`/petitions/${OPEN_SLUG}`, signingForm({ email: "cache@example.org" }))).status).toBe(
    302,
  );
  const [confirmation] = await outboxTo(app.db, "cache@example.org");
  confirmToken = tokenIn(confirmation.text);
  manageToken = confirmation.text.match(/\/signature\/([A-Za-z0-9_-]{43})/)![1];
  signatureId = (await app.db
    .selectFrom("signatures")
    .select("id")
    .where("email", "=", "cache@example.org")
    .executeTakeFirstOrThrow())!.id;

  expect((await browser(app).post("/sign-in", { email: "signing-in@example.org" })).status).toBe(302);
  const [signIn] = await outboxTo(app.db, "signing-in@example.org");
  signInToken = signIn.text.match(/\/sign-in\/([A-Za-z0-9_-]{43})/)![1];
});
afterAll(async () => {
  await app?.stop();
  await cached?.stop();
});

type Kind = { name: string; path: () => string; who?: () => Person };

const publicPages: Kind[] = [
  { name: "the home page", path: () => "/" },
  { name: "a campaign page", path: () => `/petitions/${OPEN_SLUG}` },
  { name: "the privacy page", path: () => "/privacy" },
];

/** The public pages of a test app: the campaign with an update is only in `app`'s database. */
const publicPagesOf = (target: TestApp): Kind[] =>
  target === app
    ? [...publicPages, { name: "a campaign's update", path: () => `/petitions/${petition.slug}/updates/${updateId}` }]
    : publicPages;

const ownPages: Kind[] = [
  { name: "the account page", path: () => "/account", who: () => owner },
  { name: "start a campaign", path: () => "/start", who: () => owner },
  { name: "the organizer's dashboard", path: () => `/organize/${petition.id}`, who: () => owner },
  { name: "the organizer's updates", path: () => `/organize/${petition.id}/updates`, who: () => owner },
  { name: "the signatures export", path: () => `/organize/${petition.id}/export.csv`, who: () => owner },
  { name: "the moderation queue", path: () => "/moderate", who: () => moderator },
  { name: "a petition's review", path: () => `/moderate/${petition.id}`, who: () => moderator },
  { name: "safety tools", path: () => "/moderate/safety", who: () => moderator },
  { name: "admin", path: () => "/admin", who: () => admin },
  { name: "the audit log", path: () => "/admin/audit", who: () => admin },
  { name: "a signer's manage page", path: () => `/signature/${manageToken}` },
  { name: "the confirmation page", path: () => `/confirm/${confirmToken}` },
  { name: "sign in", path: () => "/sign-in" },
  { name: "a sign-in link", path: () => `/sign-in/${signInToken}` },
  {
    name: "an unsubscribe link",
    path: () => `/unsubscribe/${unsubscribeToken(app.config.unsubscribeSecret, signatureId, "petition")}`,
  },
  { name: "the development inbox", path: () => "/dev/mail" },
  // Pages no route marked as cacheable get the default.
  { name: "check your email", path: () => `/petitions/${OPEN_SLUG}/check-email` },
  { name: "a page that does not exist", path: () => "/no/such/page" },
  { name: "a signed-out visit to the account page (a redirect)", path: () => "/account" },
];

const get = (target: TestApp, path: string, who?: Person, headers: Record<string, string> = {}) =>
  browser(target, who).get(path, headers);

describe("what each kind of response lets caches do", () => {
  test("a public page is kept by the browser only, revalidated on every visit, with a validator", async () => {
    for (const target of [app, cached]) {
      for (const kind of publicPagesOf(target)) {
        const res = await get(target, kind.path());
        expect([kind.name, res.status, res.headers.get("cache-control")]).toEqual([kind.name, 200, PUBLIC_PAGE]);
        expect([kind.name, res.headers.get("etag")]).toEqual([kind.name, expect.stringMatching(/^W\/"[\w-]{27}"$/)]);
        expect(res.headers.get("set-cookie")).toBeNull();
      }
    }
  });

  test("the Atom feed may be kept by anyone for five minutes, and has a validator", async () => {
    const res = await get(app, `/petitions/${petition.slug}/updates.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.headers.get("etag")).toMatch(/^W\/"[\w-]{27}"$/);
  });

  test("an image is kept by anyone for a year, with its SHA-256 as the validator", async () => {
    const res = await get(app, `/images/${imageId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("etag")).toBe(`"${imageSha256}"`);
  });

  test("a signed-in page, a signer's own link and every page no route marked public are kept by no cache", async () => {
    for (const kind of ownPages) {
      const res = await get(app, kind.path(), kind.who?.());
      expect([kind.name, res.headers.get("cache-control"), res.headers.get("etag")]).toEqual([
        kind.name,
        NO_STORE,
        null,
      ]);
      await res.arrayBuffer();
    }
  });

  test("a public page seen by someone signed in is theirs alone, with a validator of its own", async () => {
    const anonymous = await get(cached, `/petitions/${OPEN_SLUG}`);
    const theirs = await get(cached, `/petitions/${OPEN_SLUG}`, await signedIn(cached, "reader@example.org"));
    expect(theirs.headers.get("cache-control")).toBe(PUBLIC_PAGE);
    expect(await theirs.text()).toContain(">Your account</a>");
    // Their page shows their header: a browser holding the anonymous page must not get a 304 for it.
    expect(theirs.headers.get("etag")).not.toBe(anonymous.headers.get("etag"));
  });

  test("a response that sets a cookie is never public", async () => {
    const signIn = await browser(app).post(`/sign-in/${signInToken}`, {});
    const signOut = await browser(app, owner).post("/sign-out", {});
    for (const res of [signIn, signOut]) {
      expect(res.headers.get("set-cookie")).toBeTruthy();
      expect(res.headers.get("cache-control")).toBe(NO_STORE);
    }
  });
});

describe("a browser that comes back with the validator it was given", () => {
  /**
   * Asks for a page with the ETag of an earlier answer, as a browser revalidating its copy does. (Given an
   * If-None-Match and no Cache-Control, fetch() adds "Cache-Control: no-cache", which asks for the page
   * afresh whatever the validator; Chromium sends none when it revalidates, or max-age=0 on a reload.)
   */
  const revalidate = (target: TestApp, path: string, etag: string, extra: Record<string, string> = {}) =>
    get(target, path, undefined, { "if-none-match": etag, "cache-control": "max-age=0", ...extra });

  test("is told 304 Not Modified for every public page that shows the same, without a body or a policy", async () => {
    for (const target of [app, cached]) {
      for (const kind of publicPagesOf(target)) {
        const first = await get(target, kind.path());
        const etag = first.headers.get("etag")!;
        const again = await revalidate(target, kind.path(), etag);
        expect([kind.name, again.status, again.headers.get("etag")]).toEqual([kind.name, 304, etag]);
        expect(await again.text()).toBe("");
        // The browser keeps the policy it stored with the page, whose nonce its scripts carry.
        expect(again.headers.get("content-security-policy")).toBeNull();
        expect(again.headers.get("content-type")).toBeNull();
      }
    }
  });

  test("gets the same validator for two responses with different nonces and form stamps", async () => {
    for (const target of [app, cached]) {
      const a = await get(target, `/petitions/${OPEN_SLUG}`);
      target.formStampClock.advance(1); // stamps are made to the millisecond
      const b = await get(target, `/petitions/${OPEN_SLUG}`);
      const [htmlA, htmlB] = [await a.text(), await b.text()];
      expect(htmlA).not.toBe(htmlB);
      expect(a.headers.get("etag")).toBe(b.headers.get("etag"));
    }
  });

  test("is given the page afresh once what it shows has changed", async () => {
    const path = `/petitions/${OPEN_SLUG}`;
    const before = await get(app, path);
    const etag = before.headers.get("etag")!;
    await app.db
      .updateTable("petitions")
      .set((eb) => ({ signature_count: eb("signature_count", "+", 1) }))
      .where("slug", "=", OPEN_SLUG)
      .execute();
    try {
      const after = await revalidate(app, path, etag);
      expect(after.status).toBe(200);
      expect(after.headers.get("etag")).not.toBe(etag);
      expect(after.headers.get("content-security-policy")).toMatch(/'nonce-/);
    } finally {
      await app.db
        .updateTable("petitions")
        .set((eb) => ({ signature_count: eb("signature_count", "-", 1) }))
        .where("slug", "=", OPEN_SLUG)
        .execute();
    }
  });

  test("is given the page afresh when the person reloads it hard", async () => {
    for (const target of [app, cached]) {
      const first = await get(target, "/");
      const res = await revalidate(target, "/", first.headers.get("etag")!, { "cache-control": "no-cache" });
      expect(res.status).toBe(200);
    }
  });

  test("is told 304 for the feed while it has no new update", async () => {
    const path = `/petitions/${petition.slug}/updates.atom`;
    const first = await get(app, path);
    expect((await revalidate(app, path, first.headers.get("etag")!)).status).toBe(304);
  });

  test("is never told 304 for a page kept by no cache", async () => {
    const res = await get(app, "/account", moderator, { "if-none-match": "*", "cache-control": "max-age=0" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe(NO_STORE);
  });
});
