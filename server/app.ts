import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "./remix-handler";
import { PLACEHOLDERS, pageCache } from "./page-cache";
import {
  createRequestHandler as createRemixRequestHandler,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import type { Config } from "../app/config.server";
import { formStamp } from "../app/lib/form-timing.server";
import { randomString } from "../app/lib/random.server";
import type { DB } from "../db/connection";

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

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Where a POST may come with "Origin: null". Only pages whose address carries a token that is all the
 * authority they need: the RFC 8058 one-click unsubscribe is POSTed by mail providers, and one that sends
 * an opaque origin must not be refused (docs/decisions/0011-unsubscribe.md).
 */
const NULL_ORIGIN_PATHS = ["/unsubscribe/"];

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
export function createApp(opts: { config: Config; db: DB; getBuild: () => Promise<ServerBuild> | ServerBuild }) {
  const { config, db } = opts;
  const stamp = () => formStamp(config.addressSecret);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomString(16, "base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          "style-src": ["'self'"],
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
    if (UPDATE_EMAIL_FRAME.test(req.path)) {
      res.removeHeader("Content-Security-Policy");
      res.removeHeader("X-Frame-Options");
    }
    next();
  });

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

  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.get("/vendor/altcha-pbkdf2-worker.js", (_req, res) => res.sendFile(ALTCHA_WORKER, { maxAge: "1h" }));
  // Pages have no file extension: only look on disk for what could be a file (favicon.svg, robots.txt).
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));

  // One Remix handler per build: the dev server hands over a new build after each rebuild.
  let current: {
    build: ServerBuild;
    handler: RequestHandler;
    render: ReturnType<typeof createRemixRequestHandler>;
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
          formStamp: stamp,
        }),
      });
      current = { build, handler, render: createRemixRequestHandler(build, build.mode) };
    }
    return current;
  };

  if (config.pageCacheMs > 0) {
    // The page cache's renders read the page's data afresh, so what it keeps is at most PAGE_CACHE_MS old.
    const renderConfig: Config = { ...config, pageCacheMs: 0 };
    const render = async (path: string, headers: Record<string, string>) =>
      (await remix()).render(new Request(new URL(path, config.appUrl), { headers }), {
        db,
        config: renderConfig,
        cspNonce: PLACEHOLDERS.nonce,
        clientIp: null,
        formStamp: () => PLACEHOLDERS.formStamp,
      });
    app.use(pageCache({ ttlMs: config.pageCacheMs, render, formStamp: stamp }));
  }

  app.all("*", async (req, res, next) => {
    try {
      await (await remix()).handler(req, res, next);
    } catch (err) {
      next(err);
    }
  });
  return app;
}
