import type { IncomingMessage, ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import type { DB } from "../db/connection";
import { COUNT_CACHE_CONTROL, CORS_HEADERS, countDocument, etagMatches } from "../app/services/public-api.server";

/**
 * /api/petitions/<slug>/count.json, answered from memory in front of Remix and of every other middleware:
 * every open campaign page polls it (every 10 s), and so may any tool that follows a count, so it has to
 * take a crowd (bench/README.md has its figure). Remix's own work per request would cost far more than
 * the read (docs/decisions/0031-search-and-public-api.md).
 *
 * Each campaign's answer is kept as bytes with its ETag. Once it is older than the refresh interval, the
 * next request starts one read (requests meanwhile get the answer kept: never more than one read per
 * campaign per interval in this process) and gets the kept answer too; only the very first request for a
 * campaign waits for its read. A campaign that is not listed is kept as a 404 the same way, so asking for
 * one over and over reads nothing more. The count is read with the counts module (stored count plus
 * changes not yet folded), so it is at most an interval and a read behind.
 */

/** How old a kept answer may be before the next request reads the count again. */
export const COUNT_REFRESH_MS = 2000;
/** Campaigns kept (and slugs remembered as not found): a crowd follows a few campaigns at a time. */
const MAX_KEPT = 5000;

const COUNT_PATH = /^\/api\/petitions\/([a-z0-9-]{1,200})\/count\.json$/;

type Answer = { status: 200 | 404; body: Buffer; etag: string | null; readAt: number };
type Entry = { answer: Promise<Answer>; settled: Answer | null; refreshing: boolean };

const NOT_FOUND_BODY = Buffer.from(
  JSON.stringify({ status: 404, title: "There is no listed campaign at this address." }),
);

const COMMON_HEADERS: [string, string][] = [
  ...Object.entries(CORS_HEADERS),
  ["X-Content-Type-Options", "nosniff"],
  ["Cross-Origin-Resource-Policy", "cross-origin"],
];

export type CountEndpoint = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function countEndpoint(opts: { db: DB; refreshMs?: number; now?: () => number }): CountEndpoint {
  const refreshMs = opts.refreshMs ?? COUNT_REFRESH_MS;
  const now = opts.now ?? Date.now;
  const kept = new LRUCache<string, Entry>({ max: MAX_KEPT });

  const read = async (slug: string): Promise<Answer> => {
    const at = now();
    const doc = await countDocument(opts.db, slug, new Date(at));
    if (!doc) return { status: 404, body: NOT_FOUND_BODY, etag: null, readAt: at };
    // Weak: the body's updated_at changes on every read, what it says changes only with these.
    const etag = `W/"${doc.signature_count}-${doc.goal}-${doc.state}"`;
    return { status: 200, body: Buffer.from(JSON.stringify(doc)), etag, readAt: at };
  };

  const answerFor = (slug: string): Promise<Answer> => {
    const entry = kept.get(slug);
    if (!entry) {
      const fresh: Entry = { answer: read(slug), settled: null, refreshing: false };
      fresh.answer.then(
        (a) => (fresh.settled = a),
        // A failed first read is not kept: the next request tries again.
        () => kept.peek(slug) === fresh && kept.delete(slug),
      );
      kept.set(slug, fresh);
      return fresh.answer;
    }
    if (entry.settled && !entry.refreshing && now() - entry.settled.readAt >= refreshMs) {
      entry.refreshing = true;
      read(slug).then(
        (a) => {
          entry.settled = a;
          entry.answer = Promise.resolve(a);
          entry.refreshing = false;
        },
        // The database is away: keep answering with the last count, and try again after another interval.
        () => {
          if (entry.settled) entry.settled = { ...entry.settled, readAt: now() };
          entry.refreshing = false;
        },
      );
    }
    return entry.settled ? Promise.resolve(entry.settled) : entry.answer;
  };

  const send = (req: IncomingMessage, res: ServerResponse, a: Answer) => {
    for (const [name, value] of COMMON_HEADERS) res.setHeader(name, value);
    if (a.status === 404) {
      res.writeHead(404, {
        "Content-Type": "application/problem+json; charset=utf-8",
        "Cache-Control": "public, max-age=30",
      });
      res.end(req.method === "HEAD" ? undefined : a.body);
      return;
    }
    res.setHeader("Cache-Control", COUNT_CACHE_CONTROL);
    res.setHeader("ETag", a.etag!);
    if (etagMatches(req.headers["if-none-match"], a.etag!)) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": a.body.length });
    res.end(req.method === "HEAD" ? undefined : a.body);
  };

  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const url = req.url ?? "";
    const path = url.includes("?") ? url.slice(0, url.indexOf("?")) : url;
    const match = COUNT_PATH.exec(path);
    if (!match) return next();
    const slug = match[1];
    const entry = kept.get(slug);
    // The common case answers at once, without a promise.
    if (entry?.settled && (entry.refreshing || now() - entry.settled.readAt < refreshMs)) {
      send(req, res, entry.settled);
      return;
    }
    answerFor(slug).then(
      (a) => send(req, res, a),
      () => {
        if (res.headersSent) return;
        res.writeHead(503, {
          "Content-Type": "application/problem+json; charset=utf-8",
          "Retry-After": "10",
          "Cache-Control": "no-store",
          ...CORS_HEADERS,
        });
        res.end(JSON.stringify({ status: 503, title: "The count cannot be read just now." }));
      },
    );
  };
}

/**
 * A browser's preflight for a cross-site GET with headers of its own (If-None-Match from a script): every
 * address of the read-only API (/api/petitions...) may be read from anywhere, with GET and HEAD only.
 */
export function apiPreflight(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  // Only the read-only API's addresses: the OSDI API takes writes with a token header and answers its own
  // preflight (osdiCors, server/app.ts).
  if (req.method !== "OPTIONS" || !(req.url ?? "").startsWith("/api/petitions")) return next();
  res.writeHead(204, {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
  });
  res.end();
}
