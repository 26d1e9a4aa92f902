import path from "node:path";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { createRequestHandler, sendResponse } from "./remix-handler";
import { PLACEHOLDERS, pageCache, type Clock } from "./page-cache";
import { apiPreflight, countEndpoint } from "./count-endpoint";
import { NO_STORE } from "./http-cache";
import { answerErrors, refuseBadRequests, type SendStatusPage } from "./request-rules";
import { routeMethods } from "./route-methods";
import {
  createRequestHandler as createRemixRequestHandler,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import expressStaticGzip from "express-static-gzip";
import helmet from "helmet";
import type http from "node:http";
import onHeaders from "on-headers";
import type { Config } from "../app/config.server";
import { formStamp } from "../app/lib/form-timing.server";
import { isLanguage, languageCookie, languageCookieHeader, LANGUAGE_PARAM } from "../app/lib/i18n";
import type { DB } from "../db/connection";

/** What a person sees while the database cannot be reached. */
/** A catalog key: app/routes/$.tsx says it in the visitor's language. */
const DATABASE_UNAVAILABLE = "statusPages.databaseUnavailable";

export const BUILD_PATH = path.resolve("build/index.js");
/**
 * Anything bigger is refused before it reaches a route; each form also sets
 * its own, smaller limit when it reads the body (app/lib/form.server.ts).
 * Image uploads are the one larger kind of request.
 */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;
const UPLOAD_PATH = /^\/organize\/\d+\/image$/;

// The inbox's and the email gallery's frames (app/routes/dev.mail.$id_.html.tsx, dev.emails.$name_.html.tsx).
const DEV_MAIL_FRAME = /^\/dev\/(mail\/\d+|emails\/[a-z0-9-]+)\/html$/;

// An update's email as its organizer previews it, framed on the draft's page, in every environment
// (app/routes/organize.$id.updates.$updateId_.email[.html].tsx sets its own policy).
const UPDATE_EMAIL_FRAME = /^\/organize\/\d+\/updates\/\d+\/email\.html$/;

/**
 * The proof-of-work widget's worker (app/components/signing-challenge.tsx), served from this site as it
 * comes in the altcha package: the CSP lets workers start only from 'self' (docs/decisions/0013-optional-challenge.md).
 */
const ALTCHA_WORKER = path.resolve("node_modules/altcha/dist/workers/pbkdf2.js");

/**
 * The campaign widget and its "check your email" answer (app/routes/embed.$slug.tsx): the only pages any site
 * may frame. Every other page keeps frame-ancestors 'none' and X-Frame-Options: DENY, so no other page
 * (a signed-in dashboard, a confirmation) can be framed to trick a click (docs/decisions/0030-widget-and-cards.md).
 */
export const EMBED_FRAME = /^\/embed\/[a-z0-9-]+(?:\/sent)?$/;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Compression of what is made per request (docs/decisions/0018-compression.md): gzip at level 6, and
 * brotli at quality 4 for a body of BROTLI_MIN_BYTES or more. Scripts and stylesheets are compressed once
 * at build time (server/precompress.ts), and the whole-page cache gzips its pages once per render
 * (server/page-cache.ts).
 */
export const BROTLI_QUALITY = 4;
export const GZIP_LEVEL = 6;
/**
 * Below this a brotli stream's own cost dominates: for a 24 KB page brotli 4 took about twice gzip 6's
 * CPU in the server (1.8 ms against 0.9 ms) to save 1 % of the bytes. A body whose length is not known
 * when it starts (a stream: the CSV export, a navigation's data) goes as gzip too.
 */
export const BROTLI_MIN_BYTES = 64 * 1024;

const compressible: compression.CompressionFilter = (req, res) => {
  // Server-sent events go out as they are: a compressor would hold each event back until it had enough.
  if (/^text\/event-stream/i.test(String(res.getHeader("Content-Type") ?? ""))) return false;
  if (!compression.filter(req, res)) return false;
  // The middleware picks brotli whenever the browser takes it; it reads Accept-Encoding only after this
  // filter, so a small or unsized body is steered to gzip by leaving brotli out of what it sees.
  const length = Number(res.getHeader("Content-Length") ?? NaN);
  if (!(length >= BROTLI_MIN_BYTES)) withoutBrotli(req);
  return true;
};

/** Takes brotli out of the request's Accept-Encoding when gzip is in it (the request is answered by then). */
function withoutBrotli(req: express.Request) {
  const accepted = req.headers["accept-encoding"];
  if (!accepted || req.acceptsEncodings("gzip") !== "gzip") return;
  req.headers["accept-encoding"] = accepted
    .split(",")
    .filter((coding) => !/^\s*br\s*(;|$)/i.test(coding))
    .join(",");
}

/** Compresses what is made per request, as the browser's Accept-Encoding allows, with Vary: Accept-Encoding. */
export const compressResponses = (): RequestHandler =>
  compression({
    filter: compressible,
    level: GZIP_LEVEL,
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });

/** Where the server's own error pages are rendered: an address no route has, so app/routes/$.tsx answers. */
const STATUS_PAGE_PATH = "/__status";

/**
 * Where a POST may come with "Origin: null". Only pages whose address carries a token that is all the
 * authority they need: the RFC 8058 one-click unsubscribe is POSTed by mail providers, and one that sends
 * an opaque origin must not be refused (docs/decisions/0011-unsubscribe.md).
 */
const NULL_ORIGIN_PATHS = ["/unsubscribe/"];

/**
 * The OSDI API (docs/decisions/0028-osdi.md) is called by other systems with a token in a header, never with
 * this site's cookies, so any origin may call it from a browser: `Access-Control-Allow-Origin: *` without
 * credentials cannot carry a visitor's session. The token header must be allowed in the preflight, or a
 * browser would never send it.
 */
const OSDI_API_PATH = /^\/api\/osdi\//;

export const osdiCors: RequestHandler = (req, res, next) => {
  if (!OSDI_API_PATH.test(req.path)) return next();
  res.setHeader("Access-Control-Allow-Origin", "*");
  if (req.method === "OPTIONS") {
    res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, POST");
    res.setHeader("Access-Control-Allow-Headers", "OSDI-API-Token, Content-Type");
    res.setHeader("Access-Control-Max-Age", "600");
  } else {
    res.setHeader("Access-Control-Expose-Headers", "Retry-After");
  }
  next();
};

/**
 * Cross-site form posts are refused: a browser names the page a write comes
 * from in Origin, and it must be this site. (SameSite=Lax cookies already keep
 * sessions out of such posts; this covers the forms that need no session.)
 * Clients that send no Origin at all are not browsers acting for a visitor.
 */
export const refuseCrossSiteWrites =
  (appOrigin: string): RequestHandler =>
  (req, res, next) => {
    const origin = req.headers.origin;
    if (SAFE_METHODS.has(req.method) || origin === undefined) return next();
    if (OSDI_API_PATH.test(req.path)) {
      // Its authority is the token in a header, which no cross-site form can set; no cookie is read there.
      delete req.headers.origin;
      return next();
    }
    if (origin === "null" && NULL_ORIGIN_PATHS.some((prefix) => req.path.startsWith(prefix))) {
      // An opaque origin names no site. Remix refuses any Origin that differs from Host, so it goes here.
      delete req.headers.origin;
      return next();
    }
    // This site as the public sees it (APP_URL), or as this request reached it; scheme, host and port all count.
    if (origin === appOrigin || origin === `${req.protocol}://${req.headers.host}`) return next();
    res.status(403).type("text/plain").send("This form was sent from another site, so it was refused.");
  };

export async function importBuild(cacheBust = ""): Promise<ServerBuild> {
  return (await import(pathToFileURL(BUILD_PATH).href + cacheBust)) as ServerBuild;
}

/**
 * The HTTP server: security headers, static files, then Remix. `getBuild`
 * lets the dev server swap in a fresh build without a restart.
 */
export function createApp(opts: {
  config: Config;
  db: DB;
  getBuild: () => Promise<ServerBuild> | ServerBuild;
  /** The whole-page cache's clock; tests move it on instead of waiting for pages to expire. */
  pageCacheClock?: Clock;
  /** The time the signing forms' stamps are made at (Date.now()); tests move it on to age a stamp at once. */
  formStampClock?: Clock;
}) {
  const { config, db } = opts;
  const stampClock = opts.formStampClock ?? Date;
  const stamp = () => formStamp(config.addressSecret, stampClock.now());
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

  // The API's preflights need no security headers or nonce (server/count-endpoint.ts).
  app.use(apiPreflight);

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    // A 304 tells the browser to show the copy it kept, whose scripts carry the nonce of the policy it
    // kept. Browsers replace a kept response's headers with the 304's, so a policy with a new nonce here
    // would block every script of that page: a 304 carries none (docs/decisions/0019-caching-headers.md).
    onHeaders(res, function () {
      if (this.statusCode === 304) this.removeHeader("Content-Security-Policy");
    });
    next();
  });
  // A page asked for in a language (`?lang=cy`: a link in another language's page, a search engine's
  // hreflang) is a choice like the switcher's: remembered, so the pages the visitor goes on to, and the data
  // the browser fetches for them, are in it too (app/lib/i18n.ts chooseLocale).
  app.use((req, res, next) => {
    const asked = req.query[LANGUAGE_PARAM];
    if (isLanguage(asked) && languageCookie(req.headers.cookie) !== asked) {
      onHeaders(res, () => res.append("Set-Cookie", languageCookieHeader(asked, config.isProduction)));
    }
    next();
  });
  app.use(compressResponses());
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          // The site's stylesheet is inline in every page, with the scripts' nonce (app/components/stylesheet.tsx).
          "style-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          "img-src": ["'self'", "data:"],
          "font-src": ["'self'"],
          "connect-src": config.isProduction ? ["'self'"] : ["'self'", "ws:"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "frame-src": ["'self'"],
          "base-uri": ["'none'"],
          "object-src": ["'none'"],
          ...(config.isProduction ? { "upgrade-insecure-requests": [] } : {}),
        },
      },
      strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );
  // The development inbox shows each email's HTML in a frame (app/routes/dev.mail.$id_.html.tsx), a route that
  // sets its own policy. Helmet's would apply as well, and its frame-ancestors 'none' blocked the frame.
  if (!config.isProduction) {
    app.use((req, res, next) => {
      if (DEV_MAIL_FRAME.test(req.path)) {
        res.removeHeader("Content-Security-Policy");
        res.removeHeader("X-Frame-Options");
      }
      next();
    });
  }

  app.use((req, res, next) => {
    if (EMBED_FRAME.test(req.path)) {
      const policy = String(res.getHeader("Content-Security-Policy") ?? "");
      res.setHeader("Content-Security-Policy", policy.replace("frame-ancestors 'none'", "frame-ancestors *"));
      res.removeHeader("X-Frame-Options");
    }
    // The widget's resizer is loaded by other sites' pages, which helmet's same-origin policy would refuse.
    if (req.path === "/widget.js") res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    next();
  });

  app.use((req, res, next) => {
    if (UPDATE_EMAIL_FRAME.test(req.path)) {
      res.removeHeader("Content-Security-Policy");
      res.removeHeader("X-Frame-Options");
    }
    next();
  });

  app.use(osdiCors);
  app.use(
    refuseBadRequests({
      allowedMethods: async (url) => (await remix()).allowedMethods(url),
      sendStatusPage: (...args) => sendStatusPage(...args),
    }),
  );

  const refuseLargeBodies: RequestHandler = (req, res, next) => {
    const limit = UPLOAD_PATH.test(req.path) ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      res.status(413).type("text/plain").send("The request was larger than this site accepts.");
      return;
    }
    next();
  };
  app.use(refuseLargeBodies);
  app.use(refuseCrossSiteWrites(new URL(config.appUrl).origin));

  // Hashed file names: a new build is new addresses, so browsers may keep these for good. Each script and
  // stylesheet has a .br and a .gz beside it, made by `npm run build`; without them (under `remix dev`)
  // the compression middleware compresses them as they go out.
  app.use(
    "/build",
    expressStaticGzip("public/build", {
      enableBrotli: true,
      orderPreference: ["br", "gzip"],
      serveStatic: { immutable: true, maxAge: "1y" },
    }),
  );
  app.get("/vendor/altcha-pbkdf2-worker.js", (_req, res) => res.sendFile(ALTCHA_WORKER, { maxAge: "1h" }));
  // Pages have no file extension: only look on disk for what could be a file (favicon.svg, robots.txt).
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  // One Remix handler per build: the dev server hands over a new build after each rebuild.
  let current: {
    build: ServerBuild;
    handler: RequestHandler;
    render: ReturnType<typeof createRemixRequestHandler>;
    allowedMethods: (url: string) => string;
  } | null = null;
  const remix = async () => {
    const build = await opts.getBuild();
    if (current?.build !== build) {
      const handler = createRequestHandler({
        build,
        mode: build.mode,
        getLoadContext: (request, response): AppLoadContext => ({
          db,
          config,
          cspNonce: response.locals.cspNonce as string,
          clientIp: request.ip ?? null,
          // Each stamp made for this response is kept, so its validator can leave them out (server/http-cache.ts).
          formStamp: () => {
            const made = stamp();
            ((response.locals.formStamps as string[] | undefined) ??= []).push(made);
            return made;
          },
        }),
        onDatabaseUnavailable: (req, res, next) => {
          res.setHeader("Retry-After", "30");
          sendStatusPage(req, res, 503, DATABASE_UNAVAILABLE).catch(next);
        },
      });
      current = {
        build,
        handler,
        render: createRemixRequestHandler(build, build.mode),
        allowedMethods: routeMethods(build),
      };
    }
    return current;
  };

  /** The site's error page for a status, in its layout, rendered by Remix (app/routes/$.tsx). */
  const sendStatusPage: SendStatusPage = async (req, res, status, message) => {
    // The visitor's languages and language cookie, so the page is in their language (app/lib/i18n.ts chooseLocale).
    const headers = new Headers();
    for (const name of ["accept-language", "cookie"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers.set(name, value);
    }
    const response = await (
      await remix()
    ).render(new Request(new URL(STATUS_PAGE_PATH, config.appUrl), { headers }), {
      db,
      config,
      cspNonce: res.locals.cspNonce as string,
      clientIp: null,
      formStamp: stamp,
      statusPage: { status, message },
    });
    response.headers.set("Cache-Control", NO_STORE);
    await sendResponse(res, response);
  };

  if (config.pageCacheMs > 0) {
    // The page cache's renders read the page's data afresh, so what it keeps is at most PAGE_CACHE_MS old.
    const renderConfig: Config = { ...config, pageCacheMs: 0 };
    const render = async (path: string, headers: Record<string, string>) => {
      const context: AppLoadContext = {
        db,
        config: renderConfig,
        cspNonce: PLACEHOLDERS.nonce,
        clientIp: null,
        formStamp: () => PLACEHOLDERS.formStamp,
      };
      const response = await (await remix()).render(new Request(new URL(path, config.appUrl), { headers }), context);
      // Not kept: the request goes on to Remix, which answers 503 while the database is away.
      if (context.databaseUnavailable) throw new Error("The database is unavailable.");
      return response;
    };
    app.use(pageCache({ ttlMs: config.pageCacheMs, render, formStamp: stamp, clock: opts.pageCacheClock }));
  }

  app.all("*", async (req, res, next) => {
    try {
      await (await remix()).handler(req, res, next);
    } catch (err) {
      next(err);
    }
  });
  app.use(answerErrors((...args) => sendStatusPage(...args)));

  // In front of Express itself: the count every open campaign page polls is answered from memory, and
  // Express's own work per request (it re-prototypes the request and response) halved its rate.
  const counts = countEndpoint({ db });
  const listener: http.RequestListener = (req, res) => counts(req, res, () => app(req, res));
  return listener;
}
