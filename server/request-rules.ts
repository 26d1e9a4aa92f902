import type http from "node:http";
import type { Duplex } from "node:stream";
import type {
  ErrorRequestHandler,
  Request as ExpressRequest,
  RequestHandler,
  Response as ExpressResponse,
} from "express";
import { HTTP_METHODS, SITE_METHODS } from "./route-methods";

/**
 * Requests the site refuses before any route sees them, each with the status
 * that says why and one line in the log, never a stack trace: a client's
 * mistake is not the server's error.
 *
 * - A method the address does not take: 405 with an Allow header listing what
 *   it does take (its route's, server/route-methods.ts). OPTIONS answers 204
 *   with the same Allow: no route here takes cross-site requests, so a CORS
 *   preflight gets no Access-Control-Allow-* headers and the browser stops there.
 *   A method HTTP does not define: 501.
 * - An address with a %-escape that stands for no character, or that stands
 *   for NUL: 400 (Express would otherwise fail to decode it, with a stack
 *   trace, and answer in its own unstyled page).
 * - A Host (or X-Forwarded-Host) that is not a host name: 400 (the address
 *   Remix is given is built from it).
 * The 400s and 405s are the site's own error page, in its layout.
 */

/**
 * Renders the site's error page for a status, with a sentence saying what was wrong: `message` is a catalog
 * key (`statusPages.…`), said in the visitor's language.
 */
export type SendStatusPage = (
  req: ExpressRequest,
  res: ExpressResponse,
  status: number,
  message: string,
) => Promise<void>;

/** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function refuseBadRequests(opts: {
  /** The Allow header for an address (path and query): what its route takes. */
  allowedMethods: (url: string) => Promise<string>;
  sendStatusPage: SendStatusPage;
}): RequestHandler {
  return async (req, res, next) => {
    try {
      if (!HTTP_METHODS.has(req.method)) {
        refused(req, 501, "a method this site does not implement");
        res.status(501).type("text/plain").send(`This site does not implement the ${req.method} method.`);
        return;
      }
      // A chain of proxies may list several forwarded hosts, comma-separated; Express takes the first.
      const forwarded = [req.headers["x-forwarded-host"] ?? []]
        .flat()
        .flatMap((h) => h.split(",").map((x) => x.trim()));
      const badHost = [req.headers.host ?? [], forwarded].flat().find((host) => !HOST.test(host));
      if (badHost !== undefined) {
        refused(req, 400, `a Host that is not a host name: ${printable(badHost)}`);
        res.status(400).type("text/plain").send("The request named a host that is not a host name.");
        return;
      }
      const badAddress = unreadableAddress(req);
      if (badAddress) {
        refused(req, 400, badAddress);
        await opts.sendStatusPage(req, res, 400, "statusPages.brokenAddress");
        return;
      }
      if (req.method === "GET" || req.method === "HEAD") return next();

      const allow = await opts.allowedMethods(req.url);
      if (req.method === "POST" && allow.includes("POST")) return next();
      res.setHeader("Allow", allow);
      if (req.method === "OPTIONS") {
        res.status(204).end();
        return;
      }
      refused(req, 405, `${req.method} where the route takes ${allow}`);
      if (!SITE_METHODS.has(req.method)) {
        res.status(405).type("text/plain").send(`This address does not take ${req.method} requests (${allow} only).`);
        return;
      }
      await opts.sendStatusPage(req, res, 405, "statusPages.noForms");
    } catch (error) {
      next(error);
    }
  };
}

/**
 * CONNECT never reaches Express: Node hands it to a 'connect' listener and otherwise drops the
 * connection without an answer. It gets a 405 (this site is not a proxy). server/main.ts calls this on
 * its server. What Node's parser refuses itself (a method it does not know, a request line over its
 * 16 KB limit) keeps Node's own answer (400, 431): a 'clientError' listener that answered the same
 * bytes made a client still sending a 100 KB address lose the answer under load, for no gain but a
 * 501 in place of a 400.
 */
export function answerBeforeExpress(server: http.Server) {
  server.on("connect", (req: http.IncomingMessage, socket: Duplex) => {
    console.warn(`405 CONNECT ${printable(req.url ?? "")}: refused, this site is not a proxy`);
    socket.end(rawResponse("405 Method Not Allowed", "Allow: GET, HEAD, POST\r\n"));
  });
}

function rawResponse(status: string, headers = ""): string {
  return `HTTP/1.1 ${status}\r\n${headers}Connection: close\r\nContent-Length: 0\r\n\r\n`;
}

/**
 * The last handler: an error that a request caused (Express and its
 * middleware give those a 4xx status) gets one line in the log and the site's
 * page for that status; anything else is the server's own error, logged in
 * full, and answered in plain text (Remix may be what failed).
 */
export function answerErrors(sendStatusPage: SendStatusPage): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const status = clientErrorStatus(error);
    if (res.headersSent) {
      // Too late for a page: end the response so the client sees it was cut short.
      if (!status) console.error(error);
      return next(error);
    }
    if (status) {
      refused(req, status, (error as Error).message);
      sendStatusPage(req, res, status, "statusPages.unexpected").catch(next);
      return;
    }
    console.error(error);
    // Remix itself may be what failed: no page of its making.
    res.status(500).type("text/plain").send("Sorry, something went wrong on our side. Please try again in a minute.");
  };
}

function clientErrorStatus(error: unknown): number | null {
  const e = error as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  return Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

/** Why the address cannot be read, or null: a %-escape that is no UTF-8, or one that stands for NUL. */
function unreadableAddress(req: ExpressRequest): string | null {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    return "an address with a %-escape that stands for no character";
  }
  return path.includes("\0") ? "an address with a NUL in it" : null;
}

/** One line in the log for a refused request: the status, the request as it came, and why. */
function refused(req: ExpressRequest, status: number, why: string) {
  console.warn(`${status} ${printable(req.method)} ${printable(req.originalUrl)}: refused, ${why}`);
}

/** A value from a request as it can go into a log line: no control characters, and not too long. */
function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return safe.length > 200 ? `${safe.slice(0, 200)}...` : safe;
}
