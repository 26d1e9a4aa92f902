/**
 * Several processes on one database, as a deployment that outgrew one process runs: `npm start` with two web
 * processes sharing the port (WEB_CONCURRENCY=2) and no mail worker of its own (MAIL_WORKER=off), and two
 * `npm run worker` processes beside it, which send the outbox and run the scheduled jobs (the count fold
 * among them). On PostgreSQL when TEST_DATABASE_URL is set, and on a SQLite file shared by the processes.
 *
 * node:cluster hands connections to the web processes in turn, so requests made at once reach both: what
 * must hold across processes (one signature per address, the limits, the count) is held by the database,
 * not by any process's memory.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { recountAll } from "../../app/models/counts.server";
import type { DB } from "../../db/connection";
import { tempDb } from "../helpers/app";
import { enqueueTestMessages } from "../helpers/outbox";
import { Processes, waitUntil } from "../helpers/processes";
import { OPEN_SLUG, getPetition, signingForm } from "../helpers/signing";
import { confirmLinkIn, TestSmtpServer } from "../helpers/smtp";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
});
afterAll(async () => {
  await smtp.stop();
});

let db: DB;
let location: string;
let cleanup: () => Promise<void>;
const processes = new Processes(() => Processes.envFor(location, smtp.url));
beforeEach(async () => {
  ({ db, location, cleanup } = await tempDb());
});
afterEach(async () => {
  await processes.stopAll();
  await cleanup();
});

/** Two web processes and two workers on this test's database; `env` goes to all of them. */
async function startDeployment(env: Record<string, string> = {}) {
  const server = await processes.startServer({
    SEED_DEMO: "1",
    WEB_CONCURRENCY: "2",
    MAIL_WORKER: "off",
    PAGE_CACHE_MS: "0",
    ...env,
  });
  // The primary says it is running once every web process it forked is listening.
  expect(server.output().match(/Undersigned is listening on/g)).toHaveLength(2);
  const workers = [await processes.startWorker(env), await processes.startWorker(env)];
  return { server, workers };
}

function sign(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${url}/petitions/${OPEN_SLUG}`, {
    method: "POST",
    body: new URLSearchParams(signingForm(fields)),
    headers,
    redirect: "manual",
  });
}

/** Runs `task` for each item, `width` at a time. */
async function inParallel<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

async function confirmedCount(petitionId: number): Promise<number> {
  const row = await db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .where("hold", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function shownCount(url: string): Promise<number> {
  const page = await (await fetch(`${url}/petitions/${OPEN_SLUG}`)).text();
  const shown = page.match(/class="progress-count"><strong>([\d,]+)<\/strong>/)?.[1];
  if (shown === undefined) throw new Error("The campaign page shows no count");
  return Number(shown.replace(/,/g, ""));
}

describe("two web processes and two workers on one database", () => {
  test(
    "a crowd signs and confirms: the public count is the confirmed signatures, and the recount finds no drift",
    { timeout: 240_000 },
    async () => {
      const { server } = await startDeployment();
      const petition = await getPetition(db, OPEN_SLUG);
      const before = await confirmedCount(petition.id);
      const prefix = `crowd-${Date.now()}`;
      const people = Array.from({ length: 300 }, (_, i) => `${prefix}-${i}@example.org`);

      await inParallel(people, 30, async (email) => {
        const res = await sign(server.url, { email, name: "Crowd Signer", nameDisplay: "hidden" });
        await res.arrayBuffer();
        expect(res.status).toBe(302);
      });
      // Everyone presses the link in their email, thirty at a time, while others' emails are still going out.
      await inParallel(people, 30, async (email) => {
        const mail = await smtp.waitFor(email, (m) => /confirm/i.test(m.subject ?? ""), 120_000);
        const link = new URL(confirmLinkIn(mail));
        const res = await fetch(`${server.url}${link.pathname}`, {
          method: "POST",
          body: new URLSearchParams({ intent: "confirm" }),
          redirect: "manual",
        });
        await res.arrayBuffer();
        expect(res.status).toBe(302);
      });

      expect(await confirmedCount(petition.id)).toBe(before + people.length);
      // The page counts every confirmation at once (stored count plus changes not yet folded)...
      expect(await shownCount(server.url)).toBe(before + people.length);
      // ...and the workers' fold brings the stored count there, once per interval across both of them.
      await waitUntil(
        async () => (await getPetition(db, OPEN_SLUG)).signature_count === before + people.length,
        30_000,
        () => "the fold to bring the stored count to the confirmed signatures",
      );
      expect(await recountAll(db)).toEqual([]);
      expect(await shownCount(server.url)).toBe(before + people.length);
    },
  );

  test("one address signing through both web processes at once makes one signature", { timeout: 180_000 }, async () => {
    const { server } = await startDeployment();
    const petition = await getPetition(db, OPEN_SLUG);
    const email = `twice-${Date.now()}@example.org`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        sign(server.url, { email, name: "Eager Signer" }).then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    // Everyone is answered alike: the page never says whether the address had signed.
    expect(answers).toEqual(Array(20).fill(302));
    const rows = await db
      .selectFrom("signatures")
      .select("id")
      .where("petition_id", "=", petition.id)
      .where("email", "=", email)
      .execute();
    expect(rows).toHaveLength(1);
  });

  test(
    "the signing limits count across processes: one client's fourth signature in a minute is flagged, whichever process took it",
    { timeout: 180_000 },
    async () => {
      const { server } = await startDeployment({ LIMIT_ADDRESS_BURST: "3/60" });
      const petition = await getPetition(db, OPEN_SLUG);
      const prefix = `household-${Date.now()}`;
      const client = { "x-forwarded-for": "198.51.100.41" };
      // Eight people at one address, four at a time: each pair of requests meets both web processes.
      await inParallel(
        Array.from({ length: 8 }, (_, i) => `${prefix}-${i}@example.org`),
        4,
        async (email) => {
          const res = await sign(server.url, { email, name: "Household Member" }, client);
          await res.arrayBuffer();
          expect(res.status).toBe(302);
        },
      );
      const rows = await db
        .selectFrom("signatures")
        .select(["email", "review_reason", "hold"])
        .where("petition_id", "=", petition.id)
        .where("email", "like", `${prefix}-%`)
        .execute();
      expect(rows).toHaveLength(8);
      // Within the limit: three. Limits kept in each process's memory would have let up to six through.
      expect(rows.filter((r) => r.review_reason === null)).toHaveLength(3);
      // Over it: kept for a moderator to look at, not held from the count.
      expect(rows.filter((r) => r.review_reason !== null)).toHaveLength(5);
      expect(rows.every((r) => r.hold === null)).toBe(true);
    },
  );

  test(
    "a worker killed while sending leaves nothing unsent; a message is sent at most twice, under one Message-ID",
    { timeout: 180_000 },
    async () => {
      const { workers } = await startDeployment();
      const prefix = `killed-${Date.now()}`;
      const count = 2_000;
      await enqueueTestMessages(db, prefix, count);
      const mine = () => smtp.messages.filter((m) => m.envelopeTo.some((to) => to.startsWith(prefix)));
      await waitUntil(
        () => mine().length >= 200,
        60_000,
        () => `the first messages (${mine().length} so far)`,
      );
      await workers[0].stop();

      // The other worker sends the rest, and the dead one's claims once their lease lapses (30 s).
      await waitUntil(
        async () =>
          (await db.selectFrom("outbox").select("id").where("status", "!=", "sent").limit(1).execute()).length === 0,
        120_000,
        () => "every message marked sent",
      );
      const messages = mine();
      const byAddress = new Map<string, Set<string>>();
      for (const m of messages) {
        const to = m.envelopeTo[0];
        byAddress.set(to, (byAddress.get(to) ?? new Set()).add(m.messageId ?? ""));
      }
      expect(byAddress.size).toBe(count);
      // Sent again only if the dead worker handed it to the server and died before marking it: same Message-ID.
      expect([...byAddress.values()].filter((ids) => ids.size !== 1)).toEqual([]);
      const timesSent = new Map<string, number>();
      for (const m of messages) timesSent.set(m.envelopeTo[0], (timesSent.get(m.envelopeTo[0]) ?? 0) + 1);
      expect(Math.max(...timesSent.values())).toBeLessThanOrEqual(2);
    },
  );
});
