import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import express from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compressResponses } from "../../server/app";
import { sendResponse } from "../../server/remix-handler";

/*
 * A long response (the signatures CSV export) is read from its source only as fast as the client takes
 * it (server/remix-handler.ts), and compressing it must not undo that; an event stream must not wait
 * in a compressor. Both through the compression the app uses and the pump that sends Remix's
 * responses, with a source that counts what was asked of it: random bytes, which do not compress, so
 * what the client does not take cannot all fit in the sockets' buffers.
 */

/** More than the sockets could ever hold for a client that stopped reading. */
const ENDLESS = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;

let server: http.Server;
let origin: string;
let produced = 0;

beforeAll(async () => {
  const app = express();
  app.use(compressResponses());
  app.get("/export", async (_req, res, next) => {
    produced = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          // Text-like random bytes: compressible to the middleware's eye, not in fact.
          const chunk = Buffer.from(randomBytes(CHUNK).toString("base64").slice(0, CHUNK));
          produced += chunk.byteLength;
          controller.enqueue(chunk);
          if (produced >= ENDLESS) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    await sendResponse(res, new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8" } })).catch(next);
  });
  app.get("/large", async (_req, res) => {
    const body = Buffer.from("<li>A signer who shows a name</li>\n".repeat(4000)); // 144 KB
    const headers = { "Content-Type": "text/html; charset=utf-8", "Content-Length": String(body.byteLength) };
    await sendResponse(res, new Response(body, { headers }));
  });
  app.get("/events", async (_req, res) => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return new Promise(() => {}); // an event stream that stays open
        sent = true;
        controller.enqueue(new TextEncoder().encode("event: count\ndata: 1234\n\n"));
      },
    });
    await sendResponse(res, new Response(body, { headers: { "Content-Type": "text/event-stream" } })).catch(() => {});
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** How far the source may run ahead of a client that stopped reading: the sockets' and compressor's buffers. */
const MAX_AHEAD = 32 * 1024 * 1024;

/**
 * Resolves once `read()` has given the same value five times in a row, polled every 100 ms, or as soon
 * as it passes MAX_AHEAD (it will not settle then before the endless source ends).
 */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  for (;;) {
    const now = read();
    same = now === last ? same + 1 : 0;
    if (same >= 5 || now > MAX_AHEAD) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a long download the browser stops reading", () => {
  for (const encoding of ["br", "gzip", undefined] as const) {
    test(`stops being produced, ${encoding ? `compressed as ${encoding}` : "uncompressed"}, and goes on when reading resumes`, async () => {
      const received = await new Promise<{ heldAt: number; decompressed: number }>((resolve, reject) => {
        const req = http.get(
          `${origin}/export`,
          { headers: encoding ? { "accept-encoding": encoding } : {} },
          (res) => {
            expect(res.headers["content-encoding"]).toBe(encoding);
            const decompressor =
              encoding === "br" ? zlib.createBrotliDecompress() : encoding === "gzip" ? zlib.createGunzip() : null;
            let decompressed = 0;
            decompressor?.on("data", (c: Buffer) => (decompressed += c.byteLength));
            // Not piped: a pipe would resume the response the test pauses.
            res.on("data", (c: Buffer) => (decompressor ? decompressor.write(c) : (decompressed += c.byteLength)));
            res.once("data", async () => {
              // The browser stops taking bytes off the network...
              res.pause();
              const heldAt = await settled(() => produced);
              // ...then takes some more, and leaves.
              res.resume();
              while (produced < heldAt + 8 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20));
              req.destroy();
              decompressor?.destroy();
              resolve({ heldAt, decompressed });
            });
          },
        );
        req.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? undefined : reject(err)));
      });
      // Whatever the sockets and the compressor hold, not the endless rest.
      expect(received.heldAt).toBeLessThan(MAX_AHEAD);
      expect(received.decompressed).toBeGreaterThan(0);
    });
  }
});

test("an event stream is sent as it is, each event at once, whatever the browser accepts", async () => {
  const first = await new Promise<{ encoding: string | undefined; text: string }>((resolve, reject) => {
    const req = http.get(`${origin}/events`, { headers: { "accept-encoding": "gzip, deflate, br, zstd" } }, (res) => {
      res.once("data", (chunk: Buffer) => {
        req.destroy();
        resolve({ encoding: res.headers["content-encoding"], text: chunk.toString() });
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? undefined : reject(err)));
  });
  expect(first).toEqual({ encoding: undefined, text: "event: count\ndata: 1234\n\n" });
});

test("a large page whose size is known goes as brotli to a browser that takes it, a stream of unknown size as gzip", async () => {
  const encodingOf = (path: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      const req = http.get(`${origin}${path}`, { headers: { "accept-encoding": "gzip, deflate, br, zstd" } }, (res) => {
        resolve(res.headers["content-encoding"]);
        req.destroy();
      });
      req.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? undefined : reject(err)));
    });
  expect(await encodingOf("/large")).toBe("br");
  expect(await encodingOf("/export")).toBe("gzip");
});
