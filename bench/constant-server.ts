/**
 * The ceiling for the count endpoint in `npm run bench`: plain node:http answering a constant count
 * document, as small as the app's, with the same kinds of headers. Run as a child process with PORT set.
 */
import http from "node:http";

const port = Number(process.env.PORT);
if (!port) throw new Error("constant server: PORT is required");

const body = Buffer.from(
  JSON.stringify({ signature_count: 12345, goal: 20000, state: "open", updated_at: new Date().toISOString() }),
);
http
  .createServer((_req, res) => {
    res.writeHead(200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": body.length,
      "Cache-Control": "public, max-age=5, stale-while-revalidate=25",
      "Access-Control-Allow-Origin": "*",
      ETag: 'W/"12345-20000-open"',
    });
    res.end(body);
  })
  .listen(port, "127.0.0.1");
