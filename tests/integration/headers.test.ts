import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_BODY_BYTES } from "../../server/app";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, makePetition, signedIn, type Person } from "../helpers/session";
import { OPEN_SLUG, outboxTo, rawPost, signingForm, tokenIn } from "../helpers/signing";
import { TestSmtpServer } from "../helpers/smtp";

/*
 * Every kind of response the site gives, in development and in production, carries the headers that
 * keep a browser safe with it: an enforced Content-Security-Policy (a fresh nonce for scripts on HTML
 * pages, never 'unsafe-inline'), no framing by other sites, a referrer policy, nosniff; and in
 * production HSTS, and a session cookie that is Secure, HttpOnly and __Host- prefixed.
 */

type Site = {
  app: TestApp;
  owner: Person;
  moderator: Person;
  admin: Person;
  petitionId: number;
  confirmToken: string;
  messageId: number | null;
};

let smtp: TestSmtpServer;
const sites = {} as { development: Site; production: Site };

async function prepare(app: TestApp): Promise<Site> {
  const owner = await signedIn(app, "owner@example.org");
  const moderator = await signedIn(app, "moderator@example.org", ["moderator"]);
  const admin = await signedIn(app, "admin@example.org", ["admin"]);
  const petition = await makePetition(app, { state: "open", owner });
  expect(
    (await browser(app).post(`/petitions/${OPEN_SLUG}`, signingForm({ email: "headers@example.org" }))).status,
  ).toBe(302);
  const [mail] = await outboxTo(app.db, "headers@example.org");
  return {
    app,
    owner,
    moderator,
    admin,
    petitionId: petition.id,
    confirmToken: tokenIn(mail.text),
    messageId: mail.id,
  };
}

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  const [development, production] = await Promise.all([
    startTestApp({ worker: false }),
    startTestApp({
      smtpUrl: smtp.url,
      worker: false,
      env: {
        NODE_ENV: "production",
        SESSION_SECRET: "a-production-secret-of-at-least-32-chars",
        SMTP_URL: smtp.url,
        MAIL_FROM: "Undersigned <campaigns@example.org>",
      },
    }),
  ]);
  sites.development = await prepare(development);
  sites.production = await prepare(production);
});
afterAll(async () => {
  await sites.development?.app.stop();
  await sites.production?.app.stop();
  await smtp?.stop();
});

type Case = {
  name: string;
  status: number;
  /** A full HTML page: its scripts must carry the response's nonce. */
  html: boolean;
  /** Who may frame it: only the development inbox's email frame may be framed, and only by the site itself. */
  framing?: "self";
  send: (site: Site) => Promise<Response>;
};

/**
 * A script under /build/, a static file like any other. Read from the folder rather than from a page:
 * a rebuild while the tests run (remix build replaces the hashed files) must not fail them.
 */
function buildScript(): string {
  const file = fs.readdirSync("public/build").find((f) => f.endsWith(".js"));
  if (!file) throw new Error("No script in public/build: run `npx remix build`");
  return `/build/${file}`;
}

function cases(env: "development" | "production"): Case[] {
  const get = (path: string | ((s: Site) => string), who?: (s: Site) => Person) => (s: Site) =>
    browser(s.app, who?.(s)).get(typeof path === "string" ? path : path(s));
  const devOnly = env === "development" ? 200 : 404;
  return [
    { name: "the home page", status: 200, html: true, send: get("/") },
    { name: "a petition's page", status: 200, html: true, send: get(`/petitions/${OPEN_SLUG}`) },
    { name: "check your email", status: 200, html: true, send: get(`/petitions/${OPEN_SLUG}/check-email`) },
    { name: "the confirmation page", status: 200, html: true, send: get((s) => `/confirm/${s.confirmToken}`) },
    { name: "thank you", status: 200, html: true, send: get(`/petitions/${OPEN_SLUG}/thank-you`) },
    { name: "a page that does not exist", status: 404, html: true, send: get("/no/such/page") },
    { name: "sign in", status: 200, html: true, send: get("/sign-in") },
    { name: "manage a signature", status: 200, html: true, send: get("/signature/request") },
    { name: "the privacy page", status: 200, html: true, send: get("/privacy") },
    { name: "the account page", status: 200, html: true, send: get("/account", (s) => s.owner) },
    { name: "start a campaign", status: 200, html: true, send: get("/start", (s) => s.owner) },
    {
      name: "the organizer's dashboard",
      status: 200,
      html: true,
      send: get(
        (s) => `/organize/${s.petitionId}`,
        (s) => s.owner,
      ),
    },
    { name: "the moderation queue", status: 200, html: true, send: get("/moderate", (s) => s.moderator) },
    {
      name: "a petition's review page",
      status: 200,
      html: true,
      send: get(
        (s) => `/moderate/${s.petitionId}`,
        (s) => s.moderator,
      ),
    },
    { name: "admin", status: 200, html: true, send: get("/admin", (s) => s.admin) },
    { name: "the audit log", status: 200, html: true, send: get("/admin/audit", (s) => s.admin) },
    { name: "the development inbox", status: devOnly, html: true, send: get("/dev/mail") },
    {
      name: "an email in the development inbox",
      status: devOnly,
      html: true,
      send: get((s) => `/dev/mail/${s.messageId}`),
    },
    // In production the route does not exist, and its 404 gets the site's own policy.
    {
      name: "an email's HTML, the inbox's frame",
      status: devOnly,
      html: false,
      framing: env === "development" ? "self" : undefined,
      send: get((s) => `/dev/mail/${s.messageId}/html`),
    },
    { name: "the health check", status: 200, html: false, send: get("/healthz") },
    { name: "a script under /build/", status: 200, html: false, send: (s) => fetch(`${s.app.url}${buildScript()}`) },
    { name: "the favicon", status: 200, html: false, send: get("/favicon.svg") },
    {
      name: "a body too large for the server (413)",
      status: 413,
      html: false,
      send: async (s) => {
        const res = await rawPost(`${s.app.url}/petitions/${OPEN_SLUG}`, {
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "content-length": String(MAX_BODY_BYTES + 1),
          },
          chunks: [Buffer.alloc(MAX_BODY_BYTES + 1, "a")],
        });
        return new Response(res.body, {
          status: res.status,
          headers: Object.entries(res.headers).flatMap(([k, v]) =>
            Array.isArray(v)
              ? v.map((x) => [k, x] as [string, string])
              : v === undefined
                ? []
                : [[k, String(v)] as [string, string]],
          ),
        });
      },
    },
    {
      name: "a form too large for its route (413)",
      status: 413,
      html: true,
      send: (s) => browser(s.app).post(`/petitions/${OPEN_SLUG}`, signingForm({ postcode: "x".repeat(20_000) })),
    },
    {
      name: "a form posted from another site (403)",
      status: 403,
      html: false,
      send: (s) => browser(s.app).post(`/petitions/${OPEN_SLUG}`, signingForm(), { origin: "https://evil.example" }),
    },
  ];
}

/** What is wrong with one response's headers, as a list of sentences. */
async function headerProblems(c: Case, res: Response, env: "development" | "production"): Promise<string[]> {
  const problems: string[] = [];
  const say = (s: string) => problems.push(`${c.name}: ${s}`);
  if (res.status !== c.status) say(`answered ${res.status}, expected ${c.status}`);

  const csp = res.headers.get("content-security-policy");
  if (!csp) say("no Content-Security-Policy");
  if (res.headers.get("content-security-policy-report-only") !== null)
    say("a Report-Only policy, which enforces nothing");
  // Two policies arrive joined by a comma, and a browser enforces both: each response must have exactly one.
  if (csp?.includes(",")) say(`more than one policy: ${csp}`);
  const directives = new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values] as const),
  );
  const scriptSrc = directives.get("script-src") ?? directives.get("default-src") ?? [];
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"]) {
    if (scriptSrc.includes(unsafe)) say(`script-src allows ${unsafe}`);
  }
  if (!directives.has("object-src") && !directives.get("default-src")?.includes("'none'")) say("no object-src");
  if (directives.get("base-uri")?.join(" ") !== "'none'") say(`base-uri is ${directives.get("base-uri")?.join(" ")}`);
  const frameAncestors = directives.get("frame-ancestors")?.join(" ");
  const xfo = res.headers.get("x-frame-options");
  if (c.framing === "self") {
    if (frameAncestors !== "'self'") say(`frame-ancestors is ${frameAncestors}, expected 'self'`);
    if (xfo !== "SAMEORIGIN") say(`X-Frame-Options is ${xfo}, expected SAMEORIGIN`);
  } else {
    if (frameAncestors !== "'none'") say(`frame-ancestors is ${frameAncestors}, expected 'none'`);
    if (xfo !== "DENY") say(`X-Frame-Options is ${xfo}, expected DENY`);
  }

  if (c.html) {
    if (!(res.headers.get("content-type") ?? "").startsWith("text/html"))
      say(`Content-Type is ${res.headers.get("content-type")}`);
    const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
    if (!nonce || nonce.length < 16) say(`no nonce in script-src: ${scriptSrc.join(" ")}`);
    const body = await res.text();
    const scripts = body.match(/<script\b[^>]*>/g) ?? [];
    if (scripts.length === 0) say("no scripts at all (is this the page it should be?)");
    for (const tag of scripts)
      if (!tag.includes(`nonce="${nonce}"`)) say(`a script without this response's nonce: ${tag}`);
  }

  if (res.headers.get("x-content-type-options") !== "nosniff")
    say(`X-Content-Type-Options is ${res.headers.get("x-content-type-options")}`);
  if (res.headers.get("referrer-policy") !== "strict-origin-when-cross-origin")
    say(`Referrer-Policy is ${res.headers.get("referrer-policy")}`);
  if (res.headers.get("x-powered-by") !== null) say("X-Powered-By tells what the server runs");

  const hsts = res.headers.get("strict-transport-security");
  if (env === "production") {
    if (!hsts || !/max-age=(\d+)/.test(hsts) || Number(hsts.match(/max-age=(\d+)/)?.[1]) < 15_552_000)
      say(`Strict-Transport-Security is ${hsts}`);
    if (!directives.has("upgrade-insecure-requests")) say("no upgrade-insecure-requests");
  } else if (hsts !== null) {
    say("Strict-Transport-Security in development, where the site runs over plain HTTP");
  }
  return problems;
}

for (const env of ["development", "production"] as const) {
  describe(`every kind of response, in ${env}`, () => {
    test("carries an enforced policy, no framing, a referrer policy and nosniff; HTML pages carry a nonce for their scripts", async () => {
      const site = sites[env];
      const problems: string[] = [];
      for (const c of cases(env)) problems.push(...(await headerProblems(c, await c.send(site), env)));
      expect(problems).toEqual([]);
    });

    test("every response has a nonce of its own", async () => {
      const nonces = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const csp = (await fetch(`${sites[env].app.url}/`)).headers.get("content-security-policy") ?? "";
        nonces.add(csp.match(/'nonce-([^']+)'/)?.[1] ?? "");
      }
      expect(nonces.size).toBe(5);
      expect(nonces.has("")).toBe(false);
    });
  });
}

describe("the session cookie", () => {
  /** Signs in over HTTP, as a person following the emailed link would, and returns the Set-Cookie header. */
  async function signInCookie(site: Site, email: string): Promise<string> {
    expect((await browser(site.app).post("/sign-in", { email })).status).toBe(302);
    const row = await site.app.db
      .selectFrom("outbox")
      .select("text")
      .where("to_address", "=", email)
      .where("kind", "=", "sign-in")
      .executeTakeFirstOrThrow();
    const link = row.text.match(/\/sign-in\/([A-Za-z0-9_-]{43})/)?.[0];
    const res = await browser(site.app).post(link!, {});
    expect(res.status).toBe(302);
    return res.headers.get("set-cookie") ?? "";
  }

  test("in production it is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, for the whole site and no other", async () => {
    const cookie = await signInCookie(sites.production, "cookie@example.org");
    const [nameValue, ...attributes] = cookie.split(";").map((p) => p.trim());
    const attrs = attributes.map((a) => a.toLowerCase());
    expect(nameValue.split("=")[0]).toBe("__Host-undersigned_session");
    expect(attrs).toContain("secure");
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    // __Host- cookies must not name a domain: they belong to this host alone.
    expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);

    // Signing out clears the same cookie, just as securely.
    const out = await browser(sites.production.app, { cookie: nameValue }).post("/sign-out", {});
    const cleared = out.headers.get("set-cookie") ?? "";
    expect(cleared).toMatch(/^__Host-undersigned_session=;/);
    expect(cleared.toLowerCase()).toContain("secure");
  });

  test("in development it is HttpOnly and SameSite=Lax, and not Secure (the site runs over plain HTTP)", async () => {
    const cookie = await signInCookie(sites.development, "cookie@example.org");
    expect(cookie).toMatch(/^undersigned_session=/);
    const attrs = cookie.split(";").map((p) => p.trim().toLowerCase());
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).not.toContain("secure");
  });
});
