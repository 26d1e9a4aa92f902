import type { GetLoadContextFunction } from "@remix-run/express";
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixRequestHandler,
  type ServerBuild,
} from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { withCachingHeaders } from "./http-cache";

/**
 * @remix-run/express's request handler, with one change: the response body is
 * piped into the socket with backpressure. Remix 2.17's adapter writes every
 * chunk as soon as it is read and ignores write() returning false, so for a
 * slow client a long response (the signatures CSV) piles up in this process's
 * memory: measured, a paused download of 100,000 rows grew the heap by 45 MB.
 * Here the response is read only as fast as the client takes it, and a client
 * that goes away stops the reading (and the database queries behind it).
 * And a second: every response gets its caching headers (server/http-cache.ts).
 */
export function createRequestHandler(opts: {
  build: ServerBuild;
  mode?: string;
  getLoadContext?: GetLoadContextFunction;
  /** Answers a request whose loader or action could not reach the database (app/entry.server.tsx). */
  onDatabaseUnavailable: RequestHandler;
}): RequestHandler {
  const handleRequest = createRemixRequestHandler(opts.build, opts.mode);
  return async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      const loadContext = await opts.getLoadContext?.(req, res);
      const response = await handleRequest(request, loadContext);
      if (loadContext?.databaseUnavailable) return opts.onDatabaseUnavailable(req, res, next);
      await sendResponse(res, await withCachingHeaders(req, res, response));
    } catch (error) {
      next(error);
    }
  };
}

/** Why a request's signal aborts after its response was sent in full (nothing is left to cancel). */
const RESPONSE_SENT = new DOMException("The response was sent.", "AbortError");

/** The Fetch API request Remix wants, as @remix-run/express 2.17.5 makes it (it does not export this). */
export function createRemixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  // req.hostname has no port: take it from X-Forwarded-Host or Host.
  const portOf = (header: string | undefined) => Number.parseInt(header?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : "";
  // req.hostname and req.protocol respect the "trust proxy" setting; originalUrl keeps the full path.
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }

  // Loaders and actions are aborted if the connection closes before the response is finished.
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Once the response is finished, aborting is harmless, and it matters: Remix's Single Fetch arms a
  // five-second timer per document and clears it only when the request's signal aborts. Without this,
  // every page's data stays in memory for five seconds after it was sent. A response that was sent in
  // full is aborted with a reason made once: abort() without one makes an exception, stack trace and
  // all, for every request.
  res.on("close", () => {
    controller?.abort(res.writableFinished ? RESPONSE_SENT : undefined);
    controller = null;
  });
  return new Request(url.href, init);
}

export async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  await pump(response.body, res);
}

/**
 * Copies the body into the response a chunk at a time, reading the next chunk
 * only once the socket has taken the last one. When the client goes away the
 * body is cancelled without an error, so its source (a database cursor, a
 * file) is simply closed: node:stream's pipeline() would destroy it with
 * ERR_STREAM_PREMATURE_CLOSE, which Remix's stream adapter re-emits on the
 * source, where nobody may be listening.
 */
async function pump(body: ReadableStream<Uint8Array>, res: ExpressResponse): Promise<void> {
  const reader = body.getReader();
  const gone = () => res.destroyed || res.writableEnded;
  let reading = true;
  // A client that leaves while the body is waiting for its next chunk ends the wait at once.
  const onClose = () => {
    if (reading) reader.cancel().catch(() => {});
  };
  res.once("close", onClose);
  const drained = drainWaiter(res);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (gone()) {
        await reader.cancel();
        return;
      }
      if (done) {
        res.end();
        return;
      }
      if (!res.write(value)) await drained();
    }
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  } finally {
    reading = false;
    res.off("close", onClose);
    reader.releaseLock();
  }
}

/**
 * Waits, as often as needed, until the response can take more or has closed (the next read then finds
 * it gone). One 'drain' listener serves the whole response: the compression middleware passes 'drain'
 * listeners on to its compressor, where res.off() cannot reach them, so one added per wait would pile up.
 */
function drainWaiter(res: ExpressResponse): () => Promise<void> {
  let wake: (() => void) | null = null;
  const done = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  res.on("drain", done);
  res.once("close", done);
  return () => (res.destroyed ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve)));
}
