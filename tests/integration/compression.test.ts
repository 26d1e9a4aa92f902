import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { secondsSinceStamp } from "../../app/lib/form-timing.server";
import { SIGNATURES_CSV_COLUMNS } from "../../app/services/signatures-export.server";
import { precompressAssets } from "../../server/precompress";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, makePetition, signedIn } from "../helpers/session";
import { OPEN_SLUG, signingForm } from "../helpers/signing";

/*
 * Compression (docs/decisions/0018-compression.md): scripts and stylesheets compressed once at build
 * time, pages and other responses as they go out, each as the browser's Accept-Encoding allows.
 */

const CHROMIUM = "gzip, deflate, br, zstd";
let app: TestApp; // every page rendered by Remix
let cached: TestApp; // anonymous pages from the whole-page cache, as in production

beforeAll(async () => {
  // `npm run build` does this after `remix build`; a test run after `npx remix build` alone does it here.
  await precompressAssets("public/build");
  [app, cached] = await Promise.all([
    startTestApp({ worker: false }),
    startTestApp({ worker: false, env: { PAGE_CACHE_MS: "60000" } }),
  ]);
});
afterAll(async () => {
  await app?.stop();
  await cached?.stop();
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** The response's bytes as they crossed the wire: fetch() would decompress them. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

function decode(raw: Raw): Buffer {
  const encoding = raw.headers["content-encoding"];
  if (encoding === "br") return zlib.brotliDecompressSync(raw.body);
  if (encoding === "gzip") return zlib.gunzipSync(raw.body);
  expect(encoding).toBeUndefined();
  return raw.body;
}

/** Every script and stylesheet under /build/ a page's HTML asks for. */
function buildAssets(html: string): string[] {
  return [...new Set([...html.matchAll(/(?:src|href)="(\/build\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]))];
}

describe("the campaign page's scripts", () => {
  test("come to a phone's browser brotli-compressed at build time, kept for a year, and unchanged inside", async () => {
    const html = decode(await rawGet(`${app.url}/petitions/${OPEN_SLUG}`, { "accept-encoding": CHROMIUM })).toString();
    const assets = buildAssets(html);
    // The stylesheet comes inside the page (app/components/stylesheet.tsx), compressed with it.
    expect(assets.some((a) => a.endsWith(".css"))).toBe(false);
    expect(assets.filter((a) => a.endsWith(".js")).length).toBeGreaterThan(3);
    let raw = 0;
    let sent = 0;
    for (const asset of assets) {
      const onDisk = fs.readFileSync(path.join("public", asset));
      const res = await rawGet(app.url + asset, { "accept-encoding": CHROMIUM });
      expect([asset, res.status, res.headers["cache-control"]]).toEqual([
        asset,
        200,
        "public, max-age=31536000, immutable",
      ]);
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(res.headers["content-type"]).toMatch(asset.endsWith(".css") ? /^text\/css/ : /javascript/);
      // A tiny file is sent as it is: compressing it would make it larger.
      if (onDisk.byteLength > 1024) {
        expect([asset, res.headers["content-encoding"]]).toEqual([asset, "br"]);
        // The copy made at build time, not one compressed on the way out.
        expect(res.body.equals(fs.readFileSync(path.join("public", `${asset}.br`)))).toBe(true);
      }
      expect(decode(res).equals(onDisk)).toBe(true);
      raw += onDisk.byteLength;
      sent += res.body.byteLength;
    }
    // The framework chunk alone is about 250 KB as built, 70 KB as brotli at quality 11.
    expect(sent).toBeLessThan(raw * 0.35);
  });

  test("come gzipped to a browser that takes only gzip, and as they are to one that takes neither", async () => {
    const html = (await (await fetch(`${app.url}/petitions/${OPEN_SLUG}`)).text()).toString();
    const biggest = buildAssets(html)
      .map((asset) => ({ asset, size: fs.statSync(path.join("public", asset)).size }))
      .sort((a, b) => b.size - a.size)[0].asset;
    const onDisk = fs.readFileSync(path.join("public", biggest));

    const gzip = await rawGet(app.url + biggest, { "accept-encoding": "gzip, deflate" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(decode(gzip).equals(onDisk)).toBe(true);

    const plain = await rawGet(app.url + biggest);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.equals(onDisk)).toBe(true);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
  });
});

describe("pages", () => {
  test("a page from the page cache comes gzipped, with this response's own nonce and form stamp", async () => {
    const url = `${cached.url}/petitions/${OPEN_SLUG}`;
    const first = await rawGet(url, { "accept-encoding": CHROMIUM });
    cached.formStampClock.advance(1); // stamps are made to the millisecond
    const second = await rawGet(url, { "accept-encoding": CHROMIUM });
    const stamps = new Set<string>();
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe("gzip");
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(Number(res.headers["content-length"])).toBe(res.body.byteLength);
      const html = decode(res).toString();
      const nonce = String(res.headers["content-security-policy"]).match(/'nonce-([^']+)'/)?.[1];
      const nonces = new Set([...html.matchAll(/nonce="([^"]*)"/g)].map((m) => m[1]));
      expect(nonces).toEqual(new Set([nonce]));
      const stamp = html.match(/name="started" value="([^"]+)"/)?.[1];
      expect(secondsSinceStamp(cached.config.addressSecret, stamp)).not.toBeNull();
      stamps.add(stamp!);
      // A third of what it would be sent as it is.
      expect(res.body.byteLength).toBeLessThan(Buffer.byteLength(html) / 3);
    }
    expect(stamps.size).toBe(2);
    expect(first.headers["content-security-policy"]).not.toBe(second.headers["content-security-policy"]);
  });

  test("a page Remix renders comes gzipped, as brotli only to a browser that takes nothing else, or as it is", async () => {
    // Brotli's own cost per response outweighs what it saves on a page this size (server/app.ts).
    for (const [accept, encoding] of [
      [CHROMIUM, "gzip"],
      ["gzip, deflate", "gzip"],
      ["br, gzip;q=0", "br"],
      ["br", "br"],
      ["identity", undefined],
    ] as const) {
      const res = await rawGet(`${app.url}/privacy`, { "accept-encoding": accept });
      expect([accept, res.status, res.headers["content-encoding"]]).toEqual([accept, 200, encoding]);
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(decode(res).toString()).toContain("<h1>Privacy</h1>");
    }
    const none = await rawGet(`${app.url}/privacy`);
    expect(none.headers["content-encoding"]).toBeUndefined();
  });

  test("the feed, a client-side navigation's data and the site's error pages are compressed too", async () => {
    for (const path of [`/petitions/${OPEN_SLUG}/updates.atom`, `/petitions/${OPEN_SLUG}.data`, "/%E0%A4%A"]) {
      const res = await rawGet(app.url + path, { "accept-encoding": CHROMIUM });
      expect([path, res.headers["content-encoding"]]).toEqual([path, "gzip"]);
      expect(decode(res).byteLength).toBeGreaterThan(res.body.byteLength);
    }
  });
});

describe("the signatures export", () => {
  test("comes to the organizer compressed as it streams, with every signature in it", async () => {
    const owner = await signedIn(app, "export-owner@example.org");
    const petition = await makePetition(app, { state: "open", owner });
    for (const email of ["a@example.org", "b@example.org"]) {
      expect((await browser(app).post(`/petitions/${petition.slug}`, signingForm({ email }))).status).toBe(302);
    }
    await app.db
      .updateTable("signatures")
      .set({ status: "confirmed", confirmed_at: new Date().toISOString(), updates_consent: 1 })
      .where("petition_id", "=", petition.id)
      .execute();
    const res = await rawGet(`${app.url}/organize/${petition.id}/export.csv`, {
      cookie: owner.cookie,
      "accept-encoding": CHROMIUM,
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    // Streamed: its length is not known when it starts.
    expect(res.headers["content-length"]).toBeUndefined();
    const lines = decode(res).toString().trim().split("\r\n");
    expect(lines[0].split(",")).toHaveLength(SIGNATURES_CSV_COLUMNS.length);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(",")[4])
        .sort(),
    ).toEqual(["a@example.org", "b@example.org"]);
  });
});
