/**
 * The machine's ceiling for `npm run bench`: plain node:http and
 * better-sqlite3, with the same pragmas as the app, on its own SQLite file.
 * GET /row reads one row by key; POST /row inserts the urlencoded body as a
 * row. Run as a child process: `node --import tsx bench/baseline-server.ts`
 * with PORT and DB_FILE set. Listens on 127.0.0.1 only.
 */
import http from "node:http";
import SQLite from "better-sqlite3";

const port = Number(process.env.PORT);
const file = process.env.DB_FILE;
if (!port || !file) throw new Error("baseline server: PORT and DB_FILE are required");

const sqlite = new SQLite(file);
sqlite.pragma("journal_mode = WAL");
sqlite.pragma("synchronous = NORMAL");
sqlite.pragma("busy_timeout = 5000");
sqlite.exec(`CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  country TEXT NOT NULL,
  created_at TEXT NOT NULL
)`);
const seedRows = 1_000;
const insert = sqlite.prepare("INSERT INTO items (name, email, country, created_at) VALUES (?, ?, ?, ?)");
sqlite.transaction(() => {
  for (let i = 0; i < seedRows; i++) insert.run(`Seed ${i}`, `seed-${i}@example.org`, "GB", new Date().toISOString());
})();
const select = sqlite.prepare("SELECT id, name, country, created_at FROM items WHERE id = ?");

let next = 0;
const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/row") {
    next = (next % seedRows) + 1;
    const row = select.get(next);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(row));
    return;
  }
  if (req.method === "POST" && req.url === "/row") {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      try {
        const result = insert.run(
          form.get("name") ?? "",
          form.get("email") ?? "",
          form.get("country") ?? "",
          new Date().toISOString(),
        );
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: Number(result.lastInsertRowid) }));
      } catch (err) {
        res.writeHead(409, { "content-type": "text/plain" });
        res.end(String(err));
      }
    });
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
});
server.listen(port, "127.0.0.1", () => console.log(`baseline listening on 127.0.0.1:${port}`));

const stop = () => {
  server.close();
  server.closeAllConnections();
  sqlite.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
