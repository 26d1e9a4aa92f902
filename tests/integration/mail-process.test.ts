/**
 * The server as `npm start` runs it (server/start.ts: a primary, a web
 * process and a mail worker process), on a real SQLite file and a real SMTP
 * server on loopback, and `npm run worker` processes beside it. What matters:
 * confirmations keep going out while people sign in a flood, a mail worker
 * that dies is replaced, and two worker processes never send one message twice.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { DB } from "../../db/connection";
import { tempDb } from "../helpers/app";
import { enqueueTestMessages } from "../helpers/outbox";
import { Processes, waitUntil } from "../helpers/processes";
import { TestSmtpServer } from "../helpers/smtp";

const SLUG = "merseyside-model-uk-wide";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
});
afterAll(async () => {
  await smtp.stop();
});

let db: DB;
let file: string;
let cleanup: () => Promise<void>;
const processes = new Processes(() => Processes.envFor(file, smtp.url));
beforeEach(async () => {
  ({ db, location: file, cleanup } = await tempDb());
});
afterEach(async () => {
  await processes.stopAll();
  await cleanup();
});

describe("the server's mail worker process", () => {
  test(
    "people who sign during a flood get their confirmations while the flood goes on",
    { timeout: 120_000 },
    async () => {
      const server = await processes.startServer({ SEED_DEMO: "1" });
      const answered = new Set<string>();
      let stop = false;
      let n = 0;
      const prefix = `flood-${Date.now()}`;
      // Thirty people at a time, each signing again as soon as they are answered.
      const flood = Array.from({ length: 30 }, async () => {
        while (!stop) {
          const email = `${prefix}-${n++}@example.org`;
          const res = await fetch(`${server.url}/petitions/${SLUG}`, {
            method: "POST",
            body: new URLSearchParams({ name: "Flood Signer", email, country: "GB", nameDisplay: "hidden" }),
            redirect: "manual",
          });
          await res.arrayBuffer();
          if (res.status === 302) answered.add(email);
        }
      });
      const arrived = () => smtp.messages.filter((m) => m.envelopeTo.some((to) => to.startsWith(prefix))).length;
      const floodStarted = Date.now();
      try {
        // While signing goes on at full speed, confirmations arrive: batch after batch, not one batch and then
        // nothing until the flood ends.
        await waitUntil(
          () => arrived() >= 300,
          90_000,
          () => `300 confirmations during the flood (${arrived()} so far, ${answered.size} signed)`,
        );
        expect(stop).toBe(false);
        console.log(
          `300 confirmations arrived ${((Date.now() - floodStarted) / 1000).toFixed(1)} s into the flood, with ${answered.size} signed`,
        );
      } finally {
        stop = true;
        await Promise.all(flood);
      }
      expect(answered.size).toBeGreaterThan(300);
      // Afterwards every signer has theirs, once.
      await waitUntil(
        () => arrived() >= answered.size,
        60_000,
        () => `every confirmation (${arrived()} of ${answered.size})`,
      );
      const byAddress = new Map<string, number>();
      for (const m of smtp.messages) for (const to of m.envelopeTo) byAddress.set(to, (byAddress.get(to) ?? 0) + 1);
      expect([...answered].filter((email) => byAddress.get(email) !== 1)).toEqual([]);
    },
  );

  test(
    "a mail worker process that is killed is started again, and mail keeps going",
    { timeout: 120_000 },
    async () => {
      const server = await processes.startServer({ SEED_DEMO: "1" });
      const first = await server.mailWorkerPid();
      process.kill(first, "SIGKILL");
      await waitUntil(
        () => server.mailWorkerPids().length === 2,
        60_000,
        () => `a new mail worker\n${server.output()}`,
      );
      expect(server.output()).toMatch(/The mail worker process \(pid \d+\) was killed \(SIGKILL\); starting another/);

      const email = `after-restart-${Date.now()}@example.org`;
      const res = await fetch(`${server.url}/petitions/${SLUG}`, {
        method: "POST",
        body: new URLSearchParams({ name: "Late Signer", email, country: "GB", nameDisplay: "hidden" }),
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      await smtp.waitFor(email, () => true, 60_000);
    },
  );

  test("two `npm run worker` processes on one outbox never send one message twice", { timeout: 120_000 }, async () => {
    const a = processes.start("scripts/worker.ts", { MAIL_FROM: "Worker A <a@undersigned.test>" });
    const b = processes.start("scripts/worker.ts", { MAIL_FROM: "Worker B <b@undersigned.test>" });
    await waitUntil(
      () => [a, b].every((w) => /Mail worker running/.test(w.output())),
      60_000,
      () => a.output() + b.output(),
    );
    const prefix = `pair-${Date.now()}`;
    const count = 2_000;
    await enqueueTestMessages(db, prefix, count);
    const mine = () => smtp.messages.filter((m) => m.envelopeTo.some((to) => to.startsWith(prefix)));
    await waitUntil(
      () => mine().length >= count,
      90_000,
      () => `${count} messages (${mine().length} so far)`,
    );
    await waitUntil(
      async () => (await db.selectFrom("outbox").select("id").where("status", "!=", "sent").execute()).length === 0,
      30_000,
      () => "every message marked sent",
    );
    const messages = mine();
    const ids = messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(count);
    expect(messages).toHaveLength(count);
    // Both took part: the claims, not luck, kept them apart.
    const from = (address: string) => messages.filter((m) => m.from?.value[0]?.address === address).length;
    expect(from("a@undersigned.test")).toBeGreaterThan(0);
    expect(from("b@undersigned.test")).toBeGreaterThan(0);
  });
});
