import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi, type MockInstance } from "vitest";
import { MAX_BODY_BYTES } from "../../server/app";
import { startTestApp, type TestApp } from "../helpers/app";
import { rowCounts, OPEN_SLUG, signingForm } from "../helpers/signing";

/*
 * What a client gets for a method the site does not take, or an address or a Host it cannot read
 * (server/request-rules.ts): a 4xx that says so, an Allow header where one helps, the site's own error
 * page for what a browser can reach, one line in the log, and never a 500 or a stack trace.
 */

let app: TestApp;
let warn: MockInstance<typeof console.warn>;
let error: MockInstance<typeof console.error>;

beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app?.stop();
});

/** What the server logged during one test. */
const logged = () => [...warn.mock.calls, ...error.mock.calls].map((args) => args.map(String).join(" "));

beforeAll(() => {
  warn = vi.spyOn(console, "warn");
  error = vi.spyOn(console, "error");
});
afterEach(() => {
  // Whatever a test sent, the server wrote no stack trace and reported no error of its own.
  expect(error.mock.calls).toEqual([]);
  expect(logged().filter((line) => /\n\s+at /.test(line))).toEqual([]);
  warn.mockClear();
  error.mockClear();
});

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** Sends bytes as they are, for what fetch() will not send (TRACE, CONNECT, unknown methods, a broken Host). */
function rawRequest(head: string, body = ""): Promise<RawResponse> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    // Written, not ended: a client that half-closes may be hung up on before the answer. "Connection:
    // close" (or the server refusing) ends it.
    const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(head + "\r\n" + body));
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [top, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...headerLines] = top.split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    });
  });
}

const request = (method: string, path: string, headers: string[] = [], body = "") =>
  rawRequest(
    [`${method} ${path} HTTP/1.1`, `Host: ${new URL(app.url).host}`, "Connection: close", ...headers, ""].join("\r\n"),
    body,
  );

/** The site's own error page: its layout, its stylesheet, and the sentence about what went wrong. */
function expectSitePage(html: string, title: string) {
  expect(html).toContain(`<title>${title} | Undersigned</title>`);
  // The site's stylesheet is inline in every page (app/components/stylesheet.tsx).
  expect(html).toMatch(/<style id="site-styles" nonce="[^"]+">[^<]*\.skip-link\{/);
  expect(html).toContain('<a class="skip-link" href="#main">');
}

describe("a method the address does not take", () => {
  test("PUT, DELETE, PATCH and TRACE on a campaign page are refused with what it takes, and sign nothing", async () => {
    const before = await rowCounts(app.db);
    for (const method of ["PUT", "DELETE", "PATCH", "TRACE"]) {
      const form = new URLSearchParams(signingForm({ email: `${method.toLowerCase()}@example.org` })).toString();
      const res = await request(
        method,
        `/petitions/${OPEN_SLUG}`,
        ["Content-Type: application/x-www-form-urlencoded", `Content-Length: ${form.length}`],
        form,
      );
      expect([method, res.status, res.headers.allow]).toEqual([method, 405, "GET, HEAD, POST"]);
    }
    expect(await rowCounts(app.db)).toEqual(before);
    expect(logged()).toHaveLength(4);
    expect(logged()[0]).toBe(`405 PUT /petitions/${OPEN_SLUG}: refused, PUT where the route takes GET, HEAD, POST`);
  });

  test("a form posted to a page without one gets the site's page and what the page takes", async () => {
    const res = await fetch(`${app.url}/privacy`, { method: "POST", body: new URLSearchParams({ a: "b" }) });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expectSitePage(await res.text(), "Something is wrong with that request");
    expect(logged()).toEqual(["405 POST /privacy: refused, POST where the route takes GET, HEAD"]);
  });

  test("a form the browser's router sends (to the page's address with .data, ?index for an index route) reaches its action", async () => {
    const allow = async (path: string) => (await fetch(app.url + path, { method: "OPTIONS" })).headers.get("allow");
    expect(await allow("/sign-in.data?index")).toBe("GET, HEAD, POST");
    expect(await allow("/sign-in?index")).toBe("GET, HEAD, POST");
    expect(await allow(`/petitions/${OPEN_SLUG}.data`)).toBe("GET, HEAD, POST");
    expect(await allow("/_root.data")).toBe("GET, HEAD");
    expect(await allow("/_root.data?index")).toBe("GET, HEAD");
    const res = await fetch(`${app.url}/sign-in.data?index`, {
      method: "POST",
      body: new URLSearchParams({ email: "router@example.org" }),
      redirect: "manual",
    });
    expect(res.status).not.toBe(405);
    expect(res.status).toBeLessThan(500);
    expect(logged()).toEqual([]);
  });

  test("OPTIONS is answered with what the address takes, and no cross-site permission", async () => {
    const res = await fetch(`${app.url}/petitions/${OPEN_SLUG}`, {
      method: "OPTIONS",
      headers: { origin: "https://elsewhere.example", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect((await fetch(`${app.url}/`, { method: "OPTIONS" })).headers.get("allow")).toBe("GET, HEAD");
  });

  test("a method this site does not implement gets 501, one no one has Node's own 400", async () => {
    for (const method of ["PROPFIND", "PURGE"]) {
      const res = await request(method, "/");
      expect([method, res.status]).toEqual([method, 501]);
    }
    expect((await request("BREW", "/")).status).toBe(400);
    // The server still answers afterwards.
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  test("CONNECT is refused: this site is not a proxy", async () => {
    const res = await rawRequest("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\nConnection: close\r\n");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD, POST");
  });
});

describe("an address the site cannot read", () => {
  test("a %-escape that stands for no character gets the site's own 400 page, and one line in the log", async () => {
    for (const path of ["/%E0%A4%A", "/petitions/%E0%A4%A", "/build/%E0%A4%A.js", "/%ZZ"]) {
      const res = await fetch(app.url + path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      const html = await res.text();
      expectSitePage(html, "Something is wrong with that request");
      expect(html).toContain("This address is broken");
      expect(html).toContain(">Go to the home page</a>");
      // No scripts: it was rendered for an address of the server's own, which the browser's router,
      // at the address in the browser, would match to another route and fail to hydrate.
      expect(html).not.toContain("<script");
    }
    expect(logged()).toEqual([
      "400 GET /%E0%A4%A: refused, an address with a %-escape that stands for no character",
      "400 GET /petitions/%E0%A4%A: refused, an address with a %-escape that stands for no character",
      "400 GET /build/%E0%A4%A.js: refused, an address with a %-escape that stands for no character",
      "400 GET /%ZZ: refused, an address with a %-escape that stands for no character",
    ]);
  });

  test("a Welsh reader of a broken address gets the page in Welsh, by browser or by cookie", async () => {
    const byBrowser = await fetch(`${app.url}/%ZZ`, { headers: { "accept-language": "cy-GB,cy;q=0.9,en;q=0.5" } });
    expect(byBrowser.status).toBe(400);
    const html = await byBrowser.text();
    expect(html).toContain('<html lang="cy"');
    expect(html).toContain("cyfeiriad hwn wedi torri");
    const byCookie = await fetch(`${app.url}/%ZZ`, { headers: { cookie: "lang=es" } });
    expect(await byCookie.text()).toContain("Esta dirección está dañada");
  });

  test("a NUL in the address is refused the same way", async () => {
    for (const path of ["/%00", `/petitions/${OPEN_SLUG}%00`, "/favicon.svg%00.js"]) {
      const res = await fetch(app.url + path);
      expect([path, res.status]).toEqual([path, 400]);
      expectSitePage(await res.text(), "Something is wrong with that request");
    }
    expect(logged()).toHaveLength(3);
  });

  test("a very long address is refused before it is read, a long one is simply not found", async () => {
    expect((await request("GET", `/${"a".repeat(20_000)}`)).status).toBe(431);
    const long = await fetch(`${app.url}/${"a".repeat(8_000)}`);
    expect(long.status).toBe(404);
    expectSitePage(await long.text(), "Page not found");
  });
});

describe("a Host the site cannot read", () => {
  test("is refused with a 400, whatever is wrong with it", async () => {
    for (const host of ["a/b", "<x>", "user@example.org", "exa mple", "[zz", "a:b:c", ""]) {
      const res = await rawRequest(`GET /privacy HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`);
      expect([host, res.status]).toEqual([host, 400]);
    }
    const forwarded = await rawRequest(
      `GET /privacy HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Host: evil/path\r\nConnection: close\r\n`,
    );
    expect(forwarded.status).toBe(400);
    expect(logged()).toHaveLength(8);
  });

  test("a host name, an address with a port, or a proxy's list of them is served as usual", async () => {
    for (const host of ["localhost", "127.0.0.1:3000", "[::1]:8080", "petitions.example.org"]) {
      const res = await rawRequest(`GET /privacy HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n`);
      expect([host, res.status]).toEqual([host, 200]);
    }
    const chain = await rawRequest(
      `GET /privacy HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Host: petitions.example.org, proxy.internal\r\nConnection: close\r\n`,
    );
    expect(chain.status).toBe(200);
    expect(logged()).toEqual([]);
  });
});

describe("other requests a client may send", () => {
  test("HEAD gets the page's headers and no body, from Remix and from static files", async () => {
    for (const path of ["/privacy", `/petitions/${OPEN_SLUG}`, "/favicon.svg", "/no/such/page"]) {
      const [get, head] = await Promise.all([fetch(app.url + path), fetch(app.url + path, { method: "HEAD" })]);
      expect([path, head.status]).toEqual([path, get.status]);
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      expect(head.headers.get("cache-control")).toBe(get.headers.get("cache-control"));
      expect(await head.text()).toBe("");
      await get.arrayBuffer();
    }
  });

  test("a GET with a body is answered as a GET; one with a body too large for any form is refused", async () => {
    const small = await rawRequest(
      `GET /petitions/${OPEN_SLUG} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 3\r\n`,
      "a=b",
    );
    expect(small.status).toBe(200);
    expect(small.body).toContain("<html");
    const large = await rawRequest(
      `GET /privacy HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n`,
    );
    expect(large.status).toBe(413);
  });
});
