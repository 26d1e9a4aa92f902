/**
 * When the database is not there: the server as `npm start` runs it, in a real process, against PostgreSQL
 * through a TCP proxy the test can cut and restore, as a database server that restarts or a network that
 * fails would. At start, the process stops with one line naming DATABASE_URL; while it runs, people get a
 * 503 page (never a stack trace, never "check your email" for a signature that was not stored), and the site
 * comes back by itself when the database does.
 */
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { DB } from "../../db/connection";
import { tempDb } from "../helpers/app";
import { onPostgresOnly } from "../helpers/database";
import { freePort, Processes, waitUntil } from "../helpers/processes";
import { OPEN_SLUG, signingForm } from "../helpers/signing";
import { TestSmtpServer } from "../helpers/smtp";

/** A TCP proxy in front of the PostgreSQL server: `cut()` drops every connection and refuses new ones. */
class Proxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

let smtp: TestSmtpServer;
let db: DB;
let location: string;
let cleanup: () => Promise<void>;
let proxy: Proxy;
const processes = new Processes(() => Processes.envFor(proxiedUrl(), smtp.url));

function proxiedUrl(): string {
  const url = new URL(location);
  url.host = `127.0.0.1:${proxy.port}`;
  return url.toString();
}

describe.skipIf(onPostgresOnly)("when the database is away", () => {
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    ({ db, location, cleanup } = await tempDb());
    const target = new URL(location);
    proxy = new Proxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
  });
  afterEach(async () => {
    await processes.stopAll();
    await proxy.cut();
  });
  afterAll(async () => {
    await cleanup?.();
    await smtp?.stop();
  });

  test("a server that cannot reach its database at start stops with one line naming DATABASE_URL, its password hidden", async () => {
    const url = new URL(proxiedUrl());
    url.password = "a-secret-password";
    const server = processes.start("server/main.ts", {
      DATABASE_URL: url.toString(),
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
    });
    const code = await new Promise<number | null>((resolve) => server.proc.once("exit", (c) => resolve(c)));
    expect(code).toBe(1);
    expect(server.output()).toContain(`Could not reach the database at DATABASE_URL=postgres://`);
    expect(server.output()).toContain(`:***@127.0.0.1:${proxy.port}/`);
    expect(server.output()).not.toContain("a-secret-password");
    expect(server.output()).not.toMatch(/^\s+at /m);
  });

  test(
    "while the database is away people get a 503 page and no signature is acknowledged; then the site recovers by itself",
    { timeout: 120_000 },
    async () => {
      await proxy.open();
      const server = await processes.startServer({ SEED_DEMO: "1", MAIL_WORKER: "inline", PAGE_CACHE_MS: "0" });
      const page = `${server.url}/petitions/${OPEN_SLUG}`;
      expect((await fetch(page)).status).toBe(200);

      await proxy.cut();
      const away = await fetch(page).catch((err) => {
        throw new Error(`${String(err)}\n${server.output()}`);
      });
      expect(away.status).toBe(503);
      expect(away.headers.get("retry-after")).toBe("30");
      const body = await away.text();
      expect(body).toContain("The site cannot reach its database just now.");
      expect(body).not.toMatch(/\bat .*\.(js|ts):\d+/);

      const spanish = await fetch(page, { headers: { "accept-language": "es-MX,es;q=0.9" } });
      expect(spanish.status).toBe(503);
      expect(await spanish.text()).toContain("El sitio no puede conectarse a su base de datos en este momento.");

      const email = `while-away-${Date.now()}@example.org`;
      const signed = await fetch(page, {
        method: "POST",
        body: new URLSearchParams(signingForm({ email })),
        redirect: "manual",
      });
      expect(signed.status).toBe(503);
      expect(signed.headers.get("location")).toBeNull();
      expect(await signed.text()).not.toContain("check your email");

      await proxy.open();
      // Nothing to restart: the pool opens new connections as requests come.
      await waitUntil(
        async () => (await fetch(page)).status === 200,
        30_000,
        () => "the campaign page to come back",
      );
      expect(await db.selectFrom("signatures").select("id").where("email", "=", email).execute()).toEqual([]);

      const again = await fetch(page, {
        method: "POST",
        body: new URLSearchParams(signingForm({ email })),
        redirect: "manual",
      });
      expect(again.status).toBe(302);
      expect(again.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/check-email`);
      expect(await db.selectFrom("signatures").select("id").where("email", "=", email).execute()).toHaveLength(1);
      // The web process lived through it: no restart.
      expect(server.output()).not.toMatch(/exited/);
      // One line in the log for each refused request, not a stack trace.
      expect(server.output()).toMatch(/503 GET \/petitions\/[^:]+: the database is unavailable/);
      expect(server.output()).not.toMatch(/^\s+at /m);
    },
  );
});
