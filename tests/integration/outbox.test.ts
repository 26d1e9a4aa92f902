import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { claimDueMessages } from "../../app/mail/claims.server";
import {
  createMailSender,
  LEASE_MS,
  MailWorker,
  type MailSender,
  type WorkerOptions,
} from "../../app/mail/worker.server";
import { enqueueEmail } from "../../app/models/outbox.server";
import { createDb, type DB } from "../../db/connection";
import { tempDb } from "../helpers/app";
import { TestSmtpServer } from "../helpers/smtp";

const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const BASE = 30_000;

let smtp: TestSmtpServer;
let sender: ReturnType<typeof createMailSender>;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  sender = createMailSender({ smtpUrl: smtp.url, from: "Undersigned <no-reply@undersigned.test>" });
});
afterAll(async () => {
  sender.close();
  await smtp.stop();
});

let db: DB;
let file: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, location: file, cleanup } = await tempDb());
});
afterEach(async () => {
  await cleanup();
});

function worker(onDb: DB = db, options: WorkerOptions = {}, send: MailSender = sender.send): MailWorker {
  return new MailWorker(onDb, send, { backoffBaseMs: BASE, log: () => {}, ...options });
}

async function queue(to: string, now = T0): Promise<number> {
  return enqueueEmail(
    db,
    {
      kind: "test",
      to,
      email: { subject: `Hello ${to}`, html: `<p>Hello ${to}</p>`, text: `Hello ${to}` },
      appUrl: "https://undersigned.test",
    },
    now,
  );
}

async function row(id: number) {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

describe("the outbox worker", () => {
  test("a message is delivered once, with the Message-ID fixed when it was written", async () => {
    const id = await queue("once@example.org");
    const w = worker();
    expect(await w.runOnce(T0)).toBe(1);
    expect(await w.runOnce(at(DAY))).toBe(0);

    const sent = await row(id);
    expect(sent).toMatchObject({ status: "sent", attempts: 1, locked_until: null, last_error: null });
    const received = smtp.to("once@example.org");
    expect(received).toHaveLength(1);
    expect(received[0].messageId).toBe(sent.message_id);
    expect(received[0].subject).toBe("Hello once@example.org");
    expect(received[0].html).toContain("<p>Hello once@example.org</p>");
    expect(received[0].text?.trim()).toBe("Hello once@example.org");
  });

  test("a message not yet due waits", async () => {
    await queue("future@example.org", at(60_000));
    expect(await worker().runOnce(at(59_999))).toBe(0);
    expect(smtp.to("future@example.org")).toHaveLength(0);
  });

  test("a mail server that says 'try later' gets the message again after a growing wait, and it arrives exactly once", async () => {
    const id = await queue("greylisted@example.org");
    const w = worker();
    smtp.refuseNext(2, 451);

    expect(await w.runOnce(T0)).toBe(1);
    let r = await row(id);
    expect(r).toMatchObject({ status: "pending", attempts: 1, locked_until: null });
    expect(r.last_error).toContain("451");
    expect(r.next_attempt_at).toBe(at(BASE).toISOString());

    expect(await w.runOnce(at(BASE - 1))).toBe(0);
    expect(await w.runOnce(at(BASE))).toBe(1);
    r = await row(id);
    expect(r).toMatchObject({ status: "pending", attempts: 2 });
    expect(r.next_attempt_at).toBe(at(BASE + 2 * BASE).toISOString());

    expect(await w.runOnce(at(3 * BASE - 1))).toBe(0);
    expect(await w.runOnce(at(3 * BASE))).toBe(1);
    r = await row(id);
    expect(r).toMatchObject({ status: "sent", attempts: 3, last_error: null });

    expect(await w.runOnce(at(DAY))).toBe(0);
    const received = smtp.to("greylisted@example.org");
    expect(received).toHaveLength(1);
    expect(received[0].messageId).toBe(r.message_id);
  });

  test("a mail server that refuses for good (550) is not asked again", async () => {
    const id = await queue("nobody@example.org");
    const w = worker();
    smtp.refuseNext(1, 550);
    expect(await w.runOnce(T0)).toBe(1);
    const r = await row(id);
    expect(r).toMatchObject({ status: "failed", attempts: 1, locked_until: null });
    expect(r.last_error).toContain("550");

    expect(await w.runOnce(at(365 * DAY))).toBe(0);
    expect(smtp.to("nobody@example.org")).toHaveLength(0);
    expect((await row(id)).status).toBe("failed");
  });

  test("a message that keeps failing for now is given up after the last attempt", async () => {
    const id = await queue("flaky@example.org");
    const w = worker(db, { maxAttempts: 2 });
    smtp.refuseNext(2, 421);
    expect(await w.runOnce(T0)).toBe(1);
    expect((await row(id)).status).toBe("pending");
    expect(await w.runOnce(at(BASE))).toBe(1);
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 2 });
    expect(await w.runOnce(at(DAY))).toBe(0);
    expect(smtp.to("flaky@example.org")).toHaveLength(0);
  });

  test("a message whose worker died mid-send is taken over once its short lease ends, not minutes later", async () => {
    const id = await queue("orphan@example.org");
    // A worker claims it and dies before it records anything: the claim is all that is left of it.
    const claimed = await claimDueMessages(db, T0, at(LEASE_MS), { transactional: 10, bulk: 10 });
    expect(claimed.map((m) => m.id)).toEqual([id]);
    expect(LEASE_MS).toBeLessThanOrEqual(60_000);
    const w = worker();

    // Still claimed: left alone.
    expect(await w.runOnce(at(LEASE_MS - 1))).toBe(0);
    expect(smtp.to("orphan@example.org")).toHaveLength(0);

    // Claim lapsed: taken over and delivered.
    expect(await w.runOnce(at(LEASE_MS))).toBe(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2, locked_until: null });
    expect(smtp.to("orphan@example.org")).toHaveLength(1);
  });

  test("a worker renews its claim while a slow mail server keeps it waiting, so no other worker sends it too", async () => {
    const id = await queue("slow@example.org");
    const release = smtp.holdReplies();
    const a = worker(db, { leaseMs: 3_000, renewEveryMs: 50 });
    let round: Promise<number> | null = null;
    try {
      round = a.runOnce(T0);
      // The server has the message and has not answered; meanwhile the claim is moved on.
      await waitUntil(
        async () => smtp.held === 1 && Date.parse((await row(id)).locked_until ?? "") > T0.getTime() + 3_000,
      );
      // Another worker, at the moment the first claim would have lapsed, finds nothing to take.
      const dbB = createDb(file);
      try {
        expect(await worker(dbB, { leaseMs: 3_000 }).runOnce(at(3_000))).toBe(0);
      } finally {
        await dbB.destroy();
      }
    } finally {
      release();
    }
    expect(await round).toBe(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 1, locked_until: null });
    expect(smtp.to("slow@example.org")).toHaveLength(1);
  });

  test("a worker whose lease ran too short does not start the next send, and gives that message back", async () => {
    const first = await queue("first@example.org");
    const second = await queue("second@example.org");
    const release = smtp.holdReplies();
    // One lane, a lease of 300 ms and no renewal in time: the second message's turn comes too late.
    const w = worker(db, { leaseMs: 300, renewEveryMs: 60_000, concurrency: 1 });
    const startedAt = Date.now();
    const round = w.runOnce(T0);
    try {
      await waitUntil(() => smtp.held === 1);
      await waitUntil(() => Date.now() >= startedAt + 300);
    } finally {
      release();
    }
    expect(await round).toBe(2);
    expect(await row(first)).toMatchObject({ status: "sent" });
    // Not sent, and due again at once, its attempt not counted.
    expect(await row(second)).toMatchObject({ status: "pending", attempts: 0, locked_until: null });
    expect(smtp.to("second@example.org")).toHaveLength(0);

    expect(await worker().runOnce(at(1))).toBe(1);
    expect(smtp.to("second@example.org")).toHaveLength(1);
  });

  test("confirmations go out at once, whatever MAIL_RATE allows update emails", async () => {
    const addresses = Array.from({ length: 30 }, (_, i) => `waiting${i}@example.org`);
    for (const a of addresses) await queue(a);
    // At one update email every two seconds, pacing these would take a minute: past the test's timeout.
    expect(await worker(db, { ratePerSecond: 0.5 }).runOnce(T0)).toBe(30);
    for (const a of addresses) expect([a, smtp.to(a).length]).toEqual([a, 1]);
  });

  test("MAIL_RATE_TRANSACTIONAL paces confirmations when an operator sets it", async () => {
    for (let i = 0; i < 11; i++) await queue(`paced${i}@example.org`);
    const started = Date.now();
    expect(await worker(db, { transactionalRatePerSecond: 20 }).runOnce(T0)).toBe(11);
    // Eleven at 20 a second: the last starts at least half a second after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  test("two workers on their own connections to one outbox deliver every message exactly once", async () => {
    const addresses = Array.from({ length: 30 }, (_, i) => `crowd${i}@example.org`);
    for (const a of addresses) await queue(a);
    const dbA = createDb(file);
    const dbB = createDb(file);
    const senderB = createMailSender({ smtpUrl: smtp.url, from: "Undersigned <no-reply@undersigned.test>" });
    try {
      const a = worker(dbA, { batchSize: 7, transactionalBatchSize: 7 });
      const b = worker(dbB, { batchSize: 7, transactionalBatchSize: 7 }, senderB.send);
      const handled = { a: 0, b: 0 };
      for (;;) {
        const [na, nb] = await Promise.all([a.runOnce(T0), b.runOnce(T0)]);
        handled.a += na;
        handled.b += nb;
        if (na + nb === 0) break;
      }
      expect(handled.a + handled.b).toBe(30);
      // Both took part: the claims, not luck, kept them apart.
      expect(handled.a).toBeGreaterThan(0);
      expect(handled.b).toBeGreaterThan(0);

      for (const address of addresses) expect([address, smtp.to(address).length]).toEqual([address, 1]);
      const rows = await db.selectFrom("outbox").select(["status", "attempts"]).execute();
      expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    } finally {
      senderB.close();
      await dbA.destroy();
      await dbB.destroy();
    }
  });

  test("two running workers, started side by side, deliver every message exactly once", async () => {
    const addresses = Array.from({ length: 10 }, (_, i) => `loop${i}@example.org`);
    const dbA = createDb(file);
    const dbB = createDb(file);
    const a = worker(dbA, { idleMs: 10, batchSize: 3, transactionalBatchSize: 3 });
    const b = worker(dbB, { idleMs: 10, batchSize: 3, transactionalBatchSize: 3 });
    try {
      a.start();
      b.start();
      for (const address of addresses) await queue(address, new Date());
      for (const address of addresses) await smtp.waitFor(address);
      await a.stop();
      await b.stop();
      for (const address of addresses) expect([address, smtp.to(address).length]).toEqual([address, 1]);
      const statuses = await db.selectFrom("outbox").select("status").execute();
      expect(statuses.map((s) => s.status)).toEqual(addresses.map(() => "sent"));
    } finally {
      await a.stop();
      await b.stop();
      await dbA.destroy();
      await dbB.destroy();
    }
  });
});

const DAY = 24 * 60 * 60 * 1000;

/** Polls until `done` holds (at most 10 s). */
async function waitUntil(done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("waited 10 s for a condition");
    await new Promise((r) => setTimeout(r, 10));
  }
}
