/**
 * Bulk email: an update to every subscriber of a campaign, through
 * the outbox, the worker and a real SMTP server on loopback. What matters is
 * that each subscriber gets it exactly once, that nobody else gets it, and
 * that nothing is lost or doubled when the mail server says "later", says
 * "never", or the worker dies mid-send. See docs/decisions/0004-outbox.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { loadConfig, type Config } from "../../app/config.server";
import { canonicalEmail } from "../../app/lib/canonical-email";
import { readUnsubscribeToken } from "../../app/lib/unsubscribe.server";
import { createMailSender, LEASE_MS, MailWorker, type WorkerOptions } from "../../app/mail/worker.server";
import {
  createUpdate,
  publishUpdate,
  QUEUE_BATCH,
  queuePendingUpdates,
  queueUpdateBatch,
  stopUpdateEmails,
  updateProgress,
} from "../../app/models/update.server";
import { findOrCreateUser } from "../../app/models/user.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import type { DB } from "../../db/connection";
import type { NewSignature } from "../../db/schema";
import { tempDb } from "../helpers/app";
import { makePetition } from "../helpers/session";
import { TestSmtpServer } from "../helpers/smtp";

const SESSION_SECRET = "bulk-email-test-secret-0123456789abcdef";
const APP_URL = "http://127.0.0.1:9";
const FROM = "Undersigned <no-reply@undersigned.test>";

/** A message as a counting server keeps it: who it went to, its Message-ID, and the raw text to parse on demand. */
type Arrived = { envelopeTo: string[]; messageId: string | null; raw: Buffer };

/**
 * A real SMTP server on loopback for the runs of thousands of messages: it
 * keeps each message raw and parses nothing (TestSmtpServer parses every one
 * with mailparser, which would take a third of the time here). A test parses
 * the few it looks into.
 */
class CountingSmtpServer {
  readonly messages: Arrived[] = [];
  readonly connectionErrors: Error[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const head = raw.subarray(0, Math.max(0, raw.indexOf("\r\n\r\n"))).toString("utf8");
        const messageId = /^message-id:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? null;
        this.messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), messageId, raw });
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<this> {
    // A worker killed mid-conversation resets its connections: that is the test, not a failure.
    this.server.on("error", (err) => this.connectionErrors.push(err));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** TestSmtpServer for the refusals (451, 550) and small runs; the counting server for thousands. */
let smtp: TestSmtpServer;
let sender: ReturnType<typeof createMailSender>;
let bulk: CountingSmtpServer;
let bulkSender: ReturnType<typeof createMailSender>;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  sender = createMailSender({ smtpUrl: smtp.url, from: FROM, maxConnections: 5 });
  bulk = await new CountingSmtpServer().start();
  bulkSender = createMailSender({ smtpUrl: bulk.url, from: FROM, maxConnections: 5 });
});
afterAll(async () => {
  sender.close();
  bulkSender.close();
  await smtp.stop();
  await bulk.stop();
});

let db: DB;
let file: string;
let cleanup: () => Promise<void>;
let config: Config;
let site: { appUrl: string; unsubscribeSecret: string };
beforeEach(async () => {
  ({ db, location: file, cleanup } = await tempDb());
  config = loadConfig({ NODE_ENV: "test", DATABASE_URL: file, APP_URL, SESSION_SECRET });
  site = { appUrl: config.appUrl, unsubscribeSecret: config.unsubscribeSecret };
  smtp.refuseNext(0, 250);
});
afterEach(async () => {
  await cleanup();
});

type Campaign = {
  petitionId: number;
  ownerId: number;
  /** Confirmed, counted, asked for updates, not suppressed: they must get every update once. */
  subscribers: { id: number; email: string }[];
  /** Signatures that must get nothing, by why. */
  excluded: Record<"pending" | "noConsent" | "held" | "suppressed", string[]>;
};

/**
 * A campaign made with the model functions (draft, submit, approve), then
 * `subscribers` signatures that want updates and `extra` of each kind that must
 * not get them, written directly in one transaction, interleaved so that the
 * excluded ones sit between subscribers in id order (the queue's cursor walks ids).
 */
async function seedCampaign(label: string, subscriberCount: number, extra = 25): Promise<Campaign> {
  const owner = await findOrCreateUser(db, `${label}-owner@organizers.test`);
  const petition = await makePetition({ url: APP_URL, db, config }, { state: "open", owner });
  // makePetition's own notifications (submitted, approved) are not what this file is about.
  await db.updateTable("outbox").set({ status: "cancelled" }).where("status", "=", "pending").execute();

  const now = new Date().toISOString();
  const kinds: ("sub" | "pending" | "noConsent" | "held" | "suppressed")[] = [];
  const extras = ["pending", "noConsent", "held", "suppressed"] as const;
  const total = subscriberCount + extra * extras.length;
  // Spread the excluded ones evenly through the ids.
  const step = Math.max(1, Math.floor(total / (extra * extras.length + 1)));
  let e = 0;
  for (let i = 0; i < total; i++) {
    if (e < extra * extras.length && i % step === step - 1) kinds.push(extras[e++ % extras.length]);
    else kinds.push("sub");
  }
  while (kinds.filter((k) => k === "sub").length > subscriberCount) kinds.splice(kinds.lastIndexOf("sub"), 1);
  while (e < extra * extras.length) kinds.push(extras[e++ % extras.length]);

  const rows: NewSignature[] = kinds.map((kind, i) => {
    const email = `${label}-${kind}-${i}@example.org`;
    return {
      petition_id: petition.id,
      name: `Signer ${i}`,
      email,
      canonical_email: canonicalEmail(email),
      country: "GB",
      postcode: null,
      name_display: "hidden",
      updates_consent: kind === "noConsent" ? 0 : 1,
      consent_wording_version: UPDATES_CONSENT.version,
      status: kind === "pending" ? "pending" : "confirmed",
      token_hash: null,
      token_expires_at: null,
      created_at: now,
      updated_at: now,
      confirmed_at: kind === "pending" ? null : now,
      hold: kind === "held" ? "suspect" : null,
      hold_reason: kind === "held" ? "test" : null,
      invalidation_id: null,
      ip_hash: null,
      network_hash: null,
      email_domain: "example.org",
      manage_token_hash: null,
      manage_token_expires_at: null,
      anonymised_at: null,
    };
  });
  const campaign: Campaign = {
    petitionId: petition.id,
    ownerId: owner.id,
    subscribers: [],
    excluded: { pending: [], noConsent: [], held: [], suppressed: [] },
  };
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await trx
        .insertInto("signatures")
        .values(rows.slice(i, i + 500))
        .returning(["id", "email"])
        .execute();
      inserted.forEach((r, j) => {
        const kind = kinds[i + j];
        if (kind === "sub") campaign.subscribers.push(r);
        else campaign.excluded[kind].push(r.email);
      });
    }
    await trx
      .insertInto("suppressions")
      .values(
        campaign.excluded.suppressed.map((email) => ({
          canonical_email: canonicalEmail(email),
          reason: "unsubscribe_all" as const,
          created_at: now,
        })),
      )
      .execute();
    const counted = rows.filter((r) => r.status === "confirmed" && r.hold === null).length;
    await trx.updateTable("petitions").set({ signature_count: counted }).where("id", "=", petition.id).execute();
  });
  expect(campaign.subscribers).toHaveLength(subscriberCount);
  return campaign;
}

/** A published update of the campaign, emailed to its subscribers (queued by the worker from here on). */
async function publishEmailUpdate(c: Campaign, title = "We met the minister"): Promise<number> {
  const updateId = await createUpdate(db, {
    petitionId: c.petitionId,
    userId: c.ownerId,
    input: {
      title,
      body: "She listened. **Next week** we hand in the signatures. [Read more](https://example.org/more)",
    },
  });
  if (updateId === null) throw new Error("createUpdate refused");
  const published = await publishUpdate(db, {
    updateId,
    userId: c.ownerId,
    email: true,
    minIntervalMs: 0,
    site: { appUrl: APP_URL },
  });
  expect(published).toBe("published");
  return updateId;
}

function worker(options: WorkerOptions = {}, send = sender.send): MailWorker {
  return new MailWorker(db, send, {
    site,
    ratePerSecond: 5000,
    concurrency: 5,
    batchSize: 200,
    backoffBaseMs: 50,
    backoffCapMs: 200,
    log: () => {},
    ...options,
  });
}

/** Rows of this update still to go: not yet queued, pending or being sent. */
async function unfinished(updateId: number): Promise<number> {
  const u = await db.selectFrom("updates").select("email_status").where("id", "=", updateId).executeTakeFirstOrThrow();
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("update_id", "=", updateId)
    .where("status", "in", ["pending", "sending"])
    .executeTakeFirstOrThrow();
  return Number(row.n) + (u.email_status === "queuing" ? 1 : 0);
}

/** Runs the worker round by round until the update is fully queued and nothing of it is left to send. */
async function drive(w: MailWorker, updateId: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let rounds = 0;
  for (;;) {
    const handled = await w.runOnce();
    rounds += 1;
    if ((await unfinished(updateId)) === 0) return rounds;
    if (Date.now() > deadline)
      throw new Error(`update ${updateId} not sent within ${timeoutMs} ms (${await unfinished(updateId)} left)`);
    // Only retries waiting for their backoff: wait for them rather than spin.
    if (handled === 0) await sleep(20);
  }
}

/** Messages received per address, for the addresses starting with `prefix`. */
function receivedBy<M extends { envelopeTo: string[] }>(
  prefix: string,
  messages: M[] = smtp.messages as unknown as M[],
): Map<string, M[]> {
  const by = new Map<string, M[]>();
  for (const m of messages) {
    for (const to of m.envelopeTo) {
      if (!to.startsWith(prefix)) continue;
      const list = by.get(to) ?? [];
      list.push(m);
      by.set(to, list);
    }
  }
  return by;
}

/** A header's value as it came over the wire (mailparser turns List-* headers into objects). */
function headerOf(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name)?.line ?? "";
  return line.slice(line.indexOf(":") + 1).trim();
}

/** Every subscriber got exactly one message and nobody excluded got any. */
function expectExactlyOnce(label: string, c: Campaign, messages: { envelopeTo: string[] }[] = smtp.messages) {
  const by = receivedBy(`${label}-`, messages);
  const wrongCounts = c.subscribers
    .filter((s) => by.get(s.email)?.length !== 1)
    .map((s) => [s.email, by.get(s.email)?.length ?? 0]);
  expect(wrongCounts).toEqual([]);
  const excluded = Object.values(c.excluded).flat();
  expect(excluded.filter((email) => by.has(email))).toEqual([]);
  expect(by.size).toBe(c.subscribers.length);
}

describe("an update emailed to 10,000 subscribers", () => {
  // About 15 s on a quiet machine; the bounds leave room for a busy one.
  test("arrives exactly once at each subscriber and at nobody else", { timeout: 90_000 }, async () => {
    const c = await seedCampaign("big", 10_000);
    const updateId = await publishEmailUpdate(c);
    const started = Date.now();
    const rounds = await drive(worker({}, bulkSender.send), updateId, 85_000);
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `10,000 subscribers: sent in ${seconds.toFixed(1)} s (${Math.round(10_000 / seconds)}/s), ${rounds} worker rounds`,
    );

    expectExactlyOnce("big", c, bulk.messages);
    expect(await updateProgress(db, updateId)).toEqual({ queued: 0, sent: 10_000, failed: 0, cancelled: 0 });
    const u = await db.selectFrom("updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
    expect(u).toMatchObject({ email_status: "sending", recipients: 10_000 });

    // Each copy is this recipient's own: Message-ID fixed in the outbox, one-click unsubscribe for their signature.
    const rows = await db
      .selectFrom("outbox")
      .select(["signature_id", "to_address", "message_id", "attempts"])
      .where("update_id", "=", updateId)
      .execute();
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const byAddress = receivedBy("big-", bulk.messages);
    for (const s of [c.subscribers[0], c.subscribers[4_321], c.subscribers.at(-1)!]) {
      const arrived = byAddress.get(s.email)![0];
      const mail = await simpleParser(arrived.raw);
      const row = rows.find((r) => r.signature_id === s.id)!;
      expect(arrived.messageId).toBe(row.message_id);
      expect(mail.messageId).toBe(row.message_id);
      expect(mail.subject).toBe(u.email_subject);
      const listUnsubscribe = headerOf(mail, "list-unsubscribe");
      const token = /\/unsubscribe\/([^>\s]+)>/.exec(listUnsubscribe)?.[1];
      expect(token && readUnsubscribeToken(site.unsubscribeSecret, token)).toEqual({
        signatureId: s.id,
        scope: "petition",
      });
      expect(headerOf(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
      expect(mail.text).toContain(`${APP_URL}/unsubscribe/${token}`);
      expect(mail.text).not.toContain("%%");
      expect(mail.html).not.toContain("%%");
    }
  });
});

describe("when the mail server or the worker has trouble", () => {
  test(
    "a server that says 'try later' (451) for a while, then recovers: nothing lost, nothing doubled",
    { timeout: 30_000 },
    async () => {
      const c = await seedCampaign("later", 600, 10);
      const updateId = await publishEmailUpdate(c);
      const refusals = 250;
      smtp.refuseNext(refusals, 451);
      await drive(worker({ backoffBaseMs: 50, backoffCapMs: 400 }), updateId, 25_000);

      expectExactlyOnce("later", c);
      expect(await updateProgress(db, updateId)).toEqual({ queued: 0, sent: 600, failed: 0, cancelled: 0 });
      const rows = await db
        .selectFrom("outbox")
        .select(["attempts", "last_error"])
        .where("update_id", "=", updateId)
        .execute();
      // Every refusal was one attempt of a message that then went again: attempts add up exactly.
      expect(rows.reduce((sum, r) => sum + r.attempts, 0)).toBe(600 + refusals);
      expect(rows.filter((r) => r.attempts > 1).length).toBeGreaterThan(0);
      expect(rows.every((r) => r.last_error === null)).toBe(true);
    },
  );

  test("a 550 fails that message, suppresses the address, and a later update's message to it is cancelled", async () => {
    const c = await seedCampaign("bounce", 30, 2);
    const first = await publishEmailUpdate(c, "First update");
    const second = await publishEmailUpdate(c, "Second update");
    // Both fully queued before anything is sent: the second update's message to the bouncing address exists.
    for (let i = 0; i < 10 && (await queuePendingUpdates(db, site)) > 0; i++);
    expect((await updateProgress(db, first)).queued).toBe(30);
    expect((await updateProgress(db, second)).queued).toBe(30);

    smtp.refuseNext(1, 550);
    // One round of 30 claims exactly the first update's messages (claims go in id order).
    const w = worker({ batchSize: 30 });
    expect(await w.runOnce()).toBe(30);
    const failed = await db
      .selectFrom("outbox")
      .selectAll()
      .where("update_id", "=", first)
      .where("status", "=", "failed")
      .execute();
    expect(failed).toHaveLength(1);
    const bounced = failed[0].to_address;
    expect(failed[0]).toMatchObject({ attempts: 1, locked_until: null });
    expect(failed[0].last_error).toContain("550");
    expect(
      await db.selectFrom("suppressions").selectAll().where("canonical_email", "=", canonicalEmail(bounced)).execute(),
    ).toEqual([expect.objectContaining({ reason: "bounce" })]);
    expect(await updateProgress(db, first)).toEqual({ queued: 0, sent: 29, failed: 1, cancelled: 0 });

    // The second update: its message to the suppressed address is cancelled at send time, not sent.
    expect(await w.runOnce()).toBe(30);
    const secondRow = await db
      .selectFrom("outbox")
      .selectAll()
      .where("update_id", "=", second)
      .where("to_address", "=", bounced)
      .executeTakeFirstOrThrow();
    expect(secondRow.status).toBe("cancelled");
    expect(await updateProgress(db, second)).toEqual({ queued: 0, sent: 29, failed: 0, cancelled: 1 });

    // An update published after the bounce does not even queue it.
    const third = await publishEmailUpdate(c, "Third update");
    await drive(w, third, 10_000);
    expect(
      await db
        .selectFrom("outbox")
        .select("id")
        .where("update_id", "=", third)
        .where("to_address", "=", bounced)
        .execute(),
    ).toEqual([]);
    expect(await updateProgress(db, third)).toEqual({ queued: 0, sent: 29, failed: 0, cancelled: 0 });

    const by = receivedBy("bounce-");
    expect(by.has(bounced)).toBe(false);
    for (const s of c.subscribers.filter((s) => s.email !== bounced))
      expect([s.email, by.get(s.email)?.length]).toEqual([s.email, 3]);
    expect(
      Object.values(c.excluded)
        .flat()
        .filter((e) => by.has(e)),
    ).toEqual([]);
  });

  test(
    "a worker killed mid-send and started again completes the send, doubling at most what the dead worker had claimed",
    { timeout: 60_000 },
    async () => {
      const n = 3_000;
      const c = await seedCampaign("kill", n, 10);
      const updateId = await publishEmailUpdate(c);
      const first = bulk.messages.length;
      const mine = () => bulk.messages.slice(first);
      const arrived = () => bulk.messages.length - first;
      const messagesFor = (emails: Set<string>) => mine().filter((m) => m.envelopeTo.some((t) => emails.has(t))).length;

      // The first worker process: killed outright once 30-50 % has arrived.
      const firstWorker = startWorkerProcess();
      try {
        await waitUntil(
          () => arrived() >= n * 0.35,
          30_000,
          () => `35 % of ${n} to arrive (${arrived()} so far)\n${firstWorker.output()}`,
        );
        firstWorker.proc.kill("SIGKILL");
        await firstWorker.exited;
      } finally {
        firstWorker.stop();
      }
      const killedAt = Date.now();
      const atKill = arrived();
      // Claimed by the dead worker and never recorded: still "sending" under its short lease.
      const orphans = await db
        .selectFrom("outbox")
        .select(["id", "to_address", "locked_until"])
        .where("update_id", "=", updateId)
        .where("status", "=", "sending")
        .execute();
      const orphanAddresses = new Set(orphans.map((o) => o.to_address));
      const orphanMessagesAtKill = messagesFor(orphanAddresses);
      console.log(
        `killed the worker with ${atKill} of ${n} arrived (${Math.round((100 * atKill) / n)} %); ${orphans.length} messages left claimed, ${orphanMessagesAtKill} of them had reached the server`,
      );
      expect(atKill).toBeGreaterThanOrEqual(n * 0.3);
      expect(atKill).toBeLessThan(n);
      // The lease is short: another worker may take these over at most LEASE_MS after the kill.
      expect(orphans.length).toBeGreaterThan(0);
      for (const o of orphans) expect(Date.parse(o.locked_until!)).toBeLessThanOrEqual(killedAt + LEASE_MS);

      const second = startWorkerProcess();
      try {
        // Everything else goes. (That the dead worker's claims are left alone until their lease ends is
        // tests/integration/outbox.test.ts's, with the clock moved; here the lease is what the real one was.)
        const orphanIds = new Set(orphans.map((o) => o.id));
        const onlyOrphansLeft = async () => {
          const open = await db
            .selectFrom("outbox")
            .select("id")
            .where("update_id", "=", updateId)
            .where("status", "in", ["pending", "sending"])
            .execute();
          return open.every((o) => orphanIds.has(o.id));
        };
        await waitUntil(onlyOrphansLeft, 60_000, () => `the rest to be sent\n${second.output()}`);

        // The lease's end, brought forward here rather than waited for: the lapsed claims are taken over.
        await db
          .updateTable("outbox")
          .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
          .where("id", "in", [...orphanIds])
          .where("status", "=", "sending")
          // Only the dead worker's claims: one the second worker already took over keeps its own lease.
          .where("locked_until", "in", [...new Set(orphans.map((o) => o.locked_until!))])
          .execute();
        await waitUntil(
          async () => (await unfinished(updateId)) === 0,
          20_000,
          () => `the lapsed claims to be retried\n${second.output()}`,
        );
        second.proc.kill("SIGTERM");
        await second.exited;
      } finally {
        second.stop();
      }

      const by = receivedBy("kill-", mine());
      const missing = c.subscribers.filter((s) => !by.has(s.email)).map((s) => s.email);
      expect(missing).toEqual([]);
      expect(
        Object.values(c.excluded)
          .flat()
          .filter((e) => by.has(e)),
      ).toEqual([]);
      const duplicated = [...by.entries()].filter(([, mails]) => mails.length > 1);
      console.log(
        `after the restart: ${by.size} subscribers reached, ${duplicated.length} got a second copy (of ${orphans.length} the dead worker held)`,
      );
      // Only a message the dead worker had claimed and the server had taken, not yet marked sent, can come
      // twice, and never more than twice.
      expect(duplicated.every(([, mails]) => mails.length === 2)).toBe(true);
      expect(duplicated.every(([address]) => orphanAddresses.has(address))).toBe(true);
      const ids = new Map(
        (
          await db.selectFrom("outbox").select(["to_address", "message_id"]).where("update_id", "=", updateId).execute()
        ).map((r) => [r.to_address, r.message_id]),
      );
      // A duplicate keeps the Message-ID fixed in the outbox, so mail systems fold the two.
      for (const [address, mails] of duplicated)
        expect(mails.map((m) => m.messageId)).toEqual([ids.get(address), ids.get(address)]);
      expect(await updateProgress(db, updateId)).toEqual({ queued: 0, sent: n, failed: 0, cancelled: 0 });
    },
  );
});

describe("queueing and stopping", () => {
  test("queueing resumes after a crash where it stopped, and never queues anyone twice", async () => {
    const n = QUEUE_BATCH + 500;
    const c = await seedCampaign("resume", n, 20);
    const updateId = await publishEmailUpdate(c);
    const queuedRows = () =>
      db.selectFrom("outbox").select(["signature_id", "to_address"]).where("update_id", "=", updateId).execute();

    for (let i = 0; i < 3; i++) expect(await queueUpdateBatch(db, updateId, site, 400)).toBe(400);
    let u = await db.selectFrom("updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
    expect(u).toMatchObject({ email_status: "queuing", queue_cursor: c.subscribers[1199].id, recipients: 1200 });
    expect(await queuedRows()).toHaveLength(1200);

    // The process dies here: nothing more is called. Even a step repeated from an older cursor
    // (here: the cursor moved back two steps) cannot queue a second copy; the unique key says no.
    await db.updateTable("updates").set({ queue_cursor: c.subscribers[399].id }).where("id", "=", updateId).execute();

    // Later, the next worker's queueing carries on from the cursor until everyone is queued.
    let steps = 0;
    while ((await queuePendingUpdates(db, site)) > 0 && steps < 20) steps += 1;
    u = await db.selectFrom("updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
    expect(u).toMatchObject({ email_status: "sending", recipients: n });

    const rows = await queuedRows();
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.signature_id)).size).toBe(n);
    expect(rows.map((r) => r.signature_id).sort((a, b) => a! - b!)).toEqual(c.subscribers.map((s) => s.id));
    const excluded = new Set(Object.values(c.excluded).flat());
    expect(rows.filter((r) => excluded.has(r.to_address))).toEqual([]);
    expect(await updateProgress(db, updateId)).toEqual({ queued: n, sent: 0, failed: 0, cancelled: 0 });

    // Nothing more to do, however often it is called.
    expect(await queuePendingUpdates(db, site)).toBe(0);
    expect(await queueUpdateBatch(db, updateId, site)).toBe(0);
    expect(await queuedRows()).toHaveLength(n);
    // And the key itself refuses a second copy written by hand.
    const one = rows[0];
    await expect(
      db
        .insertInto("outbox")
        .values({
          kind: "update",
          to_address: one.to_address,
          subject: "",
          html: "",
          text: "",
          headers: null,
          status: "pending",
          next_attempt_at: new Date().toISOString(),
          message_id: "<dup@test>",
          created_at: new Date().toISOString(),
          update_id: updateId,
          signature_id: one.signature_id,
        })
        .execute(),
    ).rejects.toThrow(/UNIQUE|duplicate key/);
  });

  test("stopping an update mid-way: nothing more is sent or queued, and what waited is cancelled", async () => {
    const n = QUEUE_BATCH + 1_000;
    const c = await seedCampaign("stop", n, 10);
    const updateId = await publishEmailUpdate(c);
    // No time for more than one queueing step a round: the update is stopped while still being queued.
    const w = worker({ batchSize: 100, queueBudgetMs: 0 });
    // One round: a queueing step (QUEUE_BATCH recipients) and a batch of 100 sent. The round's clock
    // is a second ahead so that the rows it has just queued (stamped a moment after it began) are due.
    await w.runOnce(new Date(Date.now() + 1000));
    expect(await updateProgress(db, updateId)).toEqual({
      queued: QUEUE_BATCH - 100,
      sent: 100,
      failed: 0,
      cancelled: 0,
    });
    expect(receivedBy("stop-").size).toBe(100);

    const moderator = await findOrCreateUser(db, "stop-moderator@moderators.test");
    expect(await stopUpdateEmails(db, { updateId, moderatorId: moderator.id })).toBe(QUEUE_BATCH - 100);
    for (let i = 0; i < 5; i++) expect(await w.runOnce(new Date(Date.now() + 1000))).toBe(0);

    expect(receivedBy("stop-").size).toBe(100);
    expect(await updateProgress(db, updateId)).toEqual({
      queued: 0,
      sent: 100,
      failed: 0,
      cancelled: QUEUE_BATCH - 100,
    });
    const u = await db.selectFrom("updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
    expect(u).toMatchObject({ email_status: "stopped", stopped_by: moderator.id, recipients: QUEUE_BATCH });
    // Stopping twice changes nothing.
    expect(await stopUpdateEmails(db, { updateId, moderatorId: moderator.id })).toBe(0);
  });

  test(
    "stopping an update while a running worker sends it: only the messages already in the lanes still go",
    { timeout: 30_000 },
    async () => {
      const n = 2_000;
      const batchSize = 50;
      const concurrency = 5;
      const c = await seedCampaign("live", n, 5);
      const updateId = await publishEmailUpdate(c);
      const w = worker({ batchSize, concurrency, ratePerSecond: 1000, idleMs: 20 }, bulkSender.send);
      const sent = () => receivedBy("live-", bulk.messages).size;
      w.start();
      try {
        await waitUntil(
          () => sent() >= 300,
          20_000,
          () => `300 messages (${sent()} so far)`,
        );
        const moderator = await findOrCreateUser(db, "live-moderator@moderators.test");
        await stopUpdateEmails(db, { updateId, moderatorId: moderator.id });
        const atStop = sent();
        await sleep(1_000);
        await w.stop();
        const after = sent();
        console.log(
          `stopped with ${atStop} sent; ${after - atStop} more went out (claimed batch ${batchSize}, ${concurrency} lanes)`,
        );
        // The rest of the claimed batch is held back; a message already composed in a lane may still go.
        expect(after - atStop).toBeLessThanOrEqual(concurrency);
        const progress = await updateProgress(db, updateId);
        expect(progress.queued).toBe(0);
        expect(progress.sent).toBe(after);
        expect(progress.sent + progress.cancelled).toBe(n);
        for (const [, mails] of receivedBy("live-", bulk.messages)) expect(mails).toHaveLength(1);
      } finally {
        await w.stop();
      }
    },
  );
});

/** Polls until `done` holds, or fails after `timeoutMs` saying what it waited for. */
async function waitUntil(done: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what()}`);
    await sleep(10);
  }
}

/**
 * `npm run worker` (scripts/worker.ts) as its own process, on this test's
 * database and SMTP server, configured only by its environment. It runs as
 * `node --import tsx` rather than through npx, so that its pid is the worker
 * itself and SIGKILL hits the process that sends (npx would leave it running).
 */
function startWorkerProcess(): { proc: ChildProcess; exited: Promise<void>; output: () => string; stop: () => void } {
  // Nothing inherited but the basics; NODE_ENV unset (vitest's "test" too): the app's development configuration, with a real SMTP_URL.
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    DATABASE_URL: file,
    SMTP_URL: bulk.url,
    MAIL_FROM: FROM,
    MAIL_RATE: "10000",
    APP_URL,
    SESSION_SECRET,
  };
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: process.cwd(),
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return {
    proc,
    exited,
    output: () => `worker output:\n${output.slice(-2000)}`,
    stop: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
    },
  };
}
