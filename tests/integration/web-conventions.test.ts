import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PSEUDO_LANGUAGE } from "../../app/lib/i18n";
import { saveTranslation } from "../../app/models/translations.server";
import { cardCount, cardWords, type CardFacts } from "../../app/services/card-image.server";
import { makePetition, signedIn } from "../helpers/session";
import { startTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
const OPEN = "merseyside-model-uk-wide";
const CLOSED = "ugly-mugs-funding-2026";
/** Made a draft again for a moment: drafts are nobody's to find. */
const DRAFT = "safety-first-for-sex-workers-reporting-violence";

beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.stop();
});

/** The content of <meta property|name="key">, or the href of <link rel="key">. */
function head(html: string, key: string): string | undefined {
  const tag = (html.match(/<(?:meta|link)\b[^>]*>/g) ?? []).find(
    (t) => t.includes(`property="${key}"`) || t.includes(`name="${key}"`) || t.includes(`rel="${key}"`),
  );
  return tag?.match(/(?:content|href)="([^"]*)"/)?.[1];
}

describe("a search engine", () => {
  test("reads robots.txt, which keeps it out of people's own pages and names the sitemap", async () => {
    const res = await fetch(`${app.url}/robots.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^User-agent: \*$/m);
    for (const path of ["/organize/", "/account", "/confirm/", "/embed/", "/unsubscribe/"]) {
      expect(text).toContain(`Disallow: ${path}`);
    }
    expect(text).not.toMatch(/^Disallow: \/petitions/m);
    expect(text).toContain(`Sitemap: ${app.url}/sitemap.xml`);
  });

  test("finds every published campaign in the sitemap, and no draft", async () => {
    await app.db.updateTable("petitions").set({ status: "draft" }).where("slug", "=", DRAFT).execute();
    const res = await fetch(`${app.url}/sitemap.xml`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
    const xml = await res.text();
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(xml).toContain(`<loc>${app.url}/petitions/${OPEN}</loc>`);
    expect(xml).toContain(`<loc>${app.url}/petitions/${CLOSED}</loc>`);
    expect(xml).not.toContain(DRAFT);
    await app.db.updateTable("petitions").set({ status: "open" }).where("slug", "=", DRAFT).execute();
  });

  test("finds a canonical address, a theme colour and the icons on the campaign and home pages", async () => {
    const page = await (await fetch(`${app.url}/petitions/${OPEN}?utm_source=newsletter`)).text();
    expect(head(page, "canonical")).toBe(`${app.url}/petitions/${OPEN}`);
    expect(head(page, "theme-color")).toBe("#5a2ca0");
    expect(head(page, "manifest")).toBe("/manifest.webmanifest");
    expect(head(page, "apple-touch-icon")).toBe("/apple-touch-icon.png");
    const home = await (await fetch(`${app.url}/`)).text();
    expect(head(home, "canonical")).toBe(`${app.url}/`);
  });
});

describe("a phone adding the site to its home screen", () => {
  test("reads the manifest and fetches its icons", async () => {
    const res = await fetch(`${app.url}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as {
      name: string;
      theme_color: string;
      icons: { src: string; sizes: string }[];
    };
    expect(manifest.name).toBe("Undersigned");
    expect(manifest.theme_color).toBe("#5a2ca0");
    for (const icon of [...manifest.icons, { src: "/apple-touch-icon.png", sizes: "180x180" }]) {
      const file = await fetch(`${app.url}${icon.src}`);
      expect(file.status, icon.src).toBe(200);
      if (icon.sizes !== "any") {
        const { width, height } = await sharp(Buffer.from(await file.arrayBuffer())).metadata();
        expect(`${width}x${height}`).toBe(icon.sizes);
      }
    }
  });
});

describe("someone sharing a campaign on social media", () => {
  test("gets a large card: og:image and twitter:card on the campaign page, a 1200×630 PNG behind it", async () => {
    const page = await (await fetch(`${app.url}/petitions/${OPEN}`)).text();
    expect(head(page, "og:url")).toBe(`${app.url}/petitions/${OPEN}`);
    expect(head(page, "twitter:card")).toBe("summary_large_image");
    const image = head(page, "og:image");
    expect(image).toBe(`${app.url}/petitions/${OPEN}/card.png`);

    const res = await fetch(image!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    const png = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1200, 630]);

    // Asked again with its validator, while the count has not passed a step: nothing is sent again.
    const again = await fetch(image!, { headers: { "If-None-Match": res.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  test("gets the site's card for the home page", async () => {
    const home = await (await fetch(`${app.url}/`)).text();
    expect(head(home, "twitter:card")).toBe("summary_large_image");
    expect(head(home, "og:image")).toBe(`${app.url}/card.png`);
    const res = await fetch(`${app.url}/card.png`);
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);

    // A Welsh reader's home page points at the Welsh card: the social site fetching it sends no cookie.
    const welshHome = await (await fetch(`${app.url}/?lang=cy`)).text();
    expect(head(welshHome, "og:image")).toBe(`${app.url}/card.png?lang=cy`);
    const welsh = Buffer.from(await (await fetch(`${app.url}/card.png?lang=cy`)).arrayBuffer());
    expect(welsh.equals(Buffer.from(await (await fetch(`${app.url}/card.png`)).arrayBuffer()))).toBe(false);
  });

  test("gets no card for a campaign that is not public, or none at all", async () => {
    expect((await fetch(`${app.url}/petitions/no-such-campaign/card.png`)).status).toBe(404);
    const petition = await app.db
      .selectFrom("petitions")
      .select("id")
      .where("slug", "=", CLOSED)
      .executeTakeFirstOrThrow();
    await app.db.updateTable("petitions").set({ status: "hidden" }).where("id", "=", petition.id).execute();
    try {
      expect((await fetch(`${app.url}/petitions/${CLOSED}/card.png`)).status).toBe(404);
    } finally {
      await app.db.updateTable("petitions").set({ status: "closed" }).where("id", "=", petition.id).execute();
    }
  });
});

describe("a card in the campaign's language", () => {
  const card = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}${path}`, { headers });
    expect(res.status, path).toBe(200);
    return { etag: res.headers.get("etag"), png: Buffer.from(await res.arrayBuffer()) };
  };

  test("Carys shares her Welsh campaign: its card is in Welsh whoever fetches it, and in English only when asked", async () => {
    const owner = await signedIn(app, "carys.card@example.org");
    const petition = await makePetition(app, { state: "open", owner });
    await app.db.updateTable("petitions").set({ language: "cy" }).where("id", "=", petition.id).execute();
    const welsh = await card(`/petitions/${petition.slug}/card.png`);
    const english = await card(`/petitions/${petition.slug}/card.png?lang=en`);
    expect(english.etag).not.toBe(welsh.etag);
    expect(english.png.equals(welsh.png)).toBe(false);
    // A social site's fetch carries no cookie; a browser's may: neither chooses the card's language.
    const withCookie = await card(`/petitions/${petition.slug}/card.png`, {
      cookie: "lang=es",
      "accept-language": "es",
    });
    expect(withCookie.png.equals(welsh.png)).toBe(true);
    // A language the site does not have is ignored.
    expect((await card(`/petitions/${petition.slug}/card.png?lang=fr`)).etag).toBe(welsh.etag);
    // The seed campaign is in English; asked for in Spanish, its card's words are Spanish.
    const seed = await card(`/petitions/${OPEN}/card.png`);
    const spanish = await card(`/petitions/${OPEN}/card.png?lang=es`);
    expect(spanish.png.equals(seed.png)).toBe(false);
    // The site's own card, too.
    expect((await card("/card.png?lang=cy")).png.equals((await card("/card.png")).png)).toBe(false);
  });

  test("Lucía reads a campaign in its organizers' Spanish translation: the page's card is the Spanish one, with the translated title", async () => {
    const owner = await signedIn(app, "translated.card@example.org");
    const petition = await makePetition(app, { state: "open", owner });
    const before = await card(`/petitions/${petition.slug}/card.png?lang=es`);
    const saved = await saveTranslation(app.db, {
      petitionId: petition.id,
      userId: owner.id,
      input: { language: "es", title: "Un título traducido", summary: "Un resumen", body: "Un texto" },
      moderation: false,
    });
    expect(saved).toBe("approved");
    const after = await card(`/petitions/${petition.slug}/card.png?lang=es`);
    // The title on the card changed with the translation (the card is kept by language and title).
    expect(after.etag).not.toBe(before.etag);
    expect(after.png.equals(before.png)).toBe(false);

    const pageImage = async (query: string) =>
      head(await (await fetch(`${app.url}/petitions/${petition.slug}${query}`)).text(), "og:image");
    expect(await pageImage("?lang=es")).toBe(`${app.url}/petitions/${petition.slug}/card.png?lang=es`);
    expect(await pageImage("?lang=es&original=1")).toBe(`${app.url}/petitions/${petition.slug}/card.png`);
    // A Welsh reader has no translation: the page and its card show the campaign as written.
    expect(await pageImage("?lang=cy")).toBe(`${app.url}/petitions/${petition.slug}/card.png`);
  });

  test("every word a card says comes from the catalog, but the campaign's title and its decision makers", () => {
    const facts: CardFacts = {
      locale: PSEUDO_LANGUAGE,
      title: "Fund the Ugly Mugs scheme",
      decisionMakers: [{ name: "Jo Bloggs", role: "Mayor" }],
      count: 1200,
      exact: false,
      goal: 2000,
      cover: null,
    };
    const words = cardWords(facts);
    expect(words.title).toBe(facts.title);
    const marked = (text: string | null) => text !== null && /^⟦.*⟧$/.test(text);
    expect([words.kicker, words.count, words.goal, words.footer].every(marked), JSON.stringify(words)).toBe(true);
    expect(words.to).toMatch(/^⟦.*Jo Bloggs, Mayor.*⟧$/);
    expect(words.count).toContain("1,200");
    const site = cardWords({ ...facts, title: null, decisionMakers: [], count: null, goal: null });
    expect([site.kicker, site.title, site.footer].every(marked), JSON.stringify(site)).toBe(true);
    expect(site.count).toBeNull();
    // In Welsh, the words are the Welsh catalog's.
    expect(cardWords({ ...facts, locale: "cy" }).count).toBe("1,200+ o lofnodion");
  });
});

describe("a card's count", () => {
  test("is exact below 100 and rounded down to two leading digits above, so a card is made again per step", () => {
    expect([0, 1, 99].map(cardCount)).toEqual([0, 1, 99]);
    expect([100, 109, 110, 1234, 98_765, 1_000_001].map(cardCount)).toEqual([100, 100, 110, 1200, 98_000, 1_000_000]);
  });
});
