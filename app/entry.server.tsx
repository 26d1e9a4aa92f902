import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { isLocale } from "./lib/i18n";
import { i18nFor, requestLocale } from "./lib/i18n.server";
import { NonceProvider } from "./components/nonce";
import { StylesheetProvider } from "./components/stylesheet";
import { stylesheetText } from "./lib/stylesheet.server";
import { databaseUnavailable } from "./models/health.server";

const RENDER_TIMEOUT_MS = 5_000;
export const streamTimeout = RENDER_TIMEOUT_MS;

/**
 * Renders the whole page before sending it (we stream nothing later), and
 * clears the abort timer as soon as rendering ends: Remix's default entry
 * leaves it armed, keeping every render in memory for five seconds.
 *
 * Once everything is rendered, React writes the document in 2 KB pieces. They
 * are gathered into one body with its Content-Length: passing each piece on
 * through a PassThrough, a web ReadableStream and the socket (as the default
 * entry does) cost the campaign page several percent of its CPU time, for no
 * benefit when nothing is left to wait for.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // The root loader chose the page's language; without its data (it failed) the request says it again.
  const rootLocale = (remixContext.staticHandlerContext.loaderData.root as { locale?: unknown } | undefined)?.locale;
  const locale = isLocale(rootLocale) ? rootLocale : requestLocale(request);
  return new Promise<Response>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18nFor(locale)}>
        <NonceProvider value={nonce}>
          <StylesheetProvider value={stylesheetText()}>
            <RemixServer context={remixContext} url={request.url} nonce={nonce} />
          </StylesheetProvider>
        </NonceProvider>
      </I18nextProvider>,
      {
        nonce,
        onAllReady() {
          clearTimeout(timer);
          const chunks: Buffer[] = [];
          const document = new Writable({
            // React treats a 'close' as the destination going away early, and aborts (an exception per page).
            emitClose: false,
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              const body = Buffer.concat(chunks);
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              responseHeaders.set("Content-Length", String(body.byteLength));
              resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          document.on("error", reject);
          pipe(document);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    timer = setTimeout(abort, RENDER_TIMEOUT_MS + 1_000);
  });
}

/**
 * Remix calls this for an error a loader or action threw. A database that cannot be reached is not a bug:
 * it gets one line in the log, and a mark on the request's context so that the server answers 503 with
 * its own page (server/remix-handler.ts). Anything else is logged whole, as Remix would.
 */
export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  if (request.signal.aborted) return;
  if (databaseUnavailable(error)) {
    context.databaseUnavailable = true;
    console.error(
      `503 ${request.method} ${new URL(request.url).pathname}: the database is unavailable (${String(error)})`,
    );
    return;
  }
  console.error(error);
}

/**
 * An action's answer to a form sent by Remix's JavaScript (a `.data` request)
 * travels with status 200 when the action answered 4xx: a refused form (400), a
 * page that no longer applies (404, 409, 410), a limit (429). The status of
 * those answers is for the HTML page a browser without JavaScript gets, which
 * keeps it. Chromium logs every 4xx fetch as a console error ("Failed to load
 * resource"), so each refused form looked like a broken page to anyone reading
 * the console, and browser tests could not fail on console errors. What the
 * answer says is unchanged: the form's errors in the data, a thrown response
 * (a 404 page) with its own status inside it. One thing follows: after a
 * refused form Remix reloads the page's loaders, as it did before Single Fetch
 * (docs/decisions/0002-single-fetch.md).
 */
export function handleDataRequest(response: Response, { request }: { request: Request }): Response {
  if (request.method === "GET" || request.method === "HEAD" || response.status < 400 || response.status >= 500)
    return response;
  return new Response(response.body, { status: 200, headers: response.headers });
}
