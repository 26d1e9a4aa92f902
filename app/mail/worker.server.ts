import nodemailer, { type Transporter } from "nodemailer";
import type { DB } from "../../db/connection";
import type { OutboxMessage, Update } from "../../db/schema";
import { composeUpdateMessage, queuePendingUpdates, suppressAddress } from "../models/update.server";
import { claimDueMessages, markSent, releaseClaims, renewClaims } from "./claims.server";

/** How one send ended, as the worker sees it. */
export type SendResult = { ok: true } | { ok: false; permanent: boolean; error: string };

export type MailSender = (message: OutboxMessage) => Promise<SendResult>;

export type WorkerOptions = {
  /** Bulk (update) messages claimed per round; also how many lapsed claims a round takes back. */
  batchSize?: number;
  /** Messages a person is waiting for (confirmations, sign-in links) claimed per round. */
  transactionalBatchSize?: number;
  /** Pause between rounds when nothing was due. */
  idleMs?: number;
  /** First retry after this long; each further retry waits twice as long, up to backoffCapMs. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** After this many attempts a temporary failure is treated as final. */
  maxAttempts?: number;
  /**
   * How long a claim lasts unless renewed. The worker renews what it holds every
   * renewEveryMs while it is alive; the claims of a worker that died lapse this
   * long after its last renewal, and another worker sends them.
   */
  leaseMs?: number;
  /** How often a round renews the claims it still holds (default: a third of the lease). */
  renewEveryMs?: number;
  /** Messages sent at the same time (the SMTP pool's connections). */
  concurrency?: number;
  /** Bulk (update) messages a second at most (MAIL_RATE). */
  ratePerSecond?: number;
  /** Messages a person is waiting for, a second at most (MAIL_RATE_TRANSACTIONAL); null: not paced. */
  transactionalRatePerSecond?: number | null;
  /**
   * Messages the SMTP server accepted are marked sent together, at the end of a
   * round and at most this long apart within one: one write for many messages.
   */
  markSentEveryMs?: number;
  /**
   * Time a round may spend queueing update recipients, in steps of QUEUE_BATCH (one short
   * transaction each), before it sends. At least one step runs.
   */
  queueBudgetMs?: number;
  /** Needed to send updates: links in them are made per recipient at send time. */
  site?: { appUrl: string; unsubscribeSecret: string } | null;
  log?: (line: string) => void;
};

/** How long a claim lasts without renewal: the wait for a dead worker's messages (docs/decisions/0021). */
export const LEASE_MS = 30_000;

const DEFAULTS = {
  batchSize: 20,
  transactionalBatchSize: 200,
  idleMs: 500,
  backoffBaseMs: 30_000,
  backoffCapMs: 6 * 60 * 60 * 1000,
  maxAttempts: 10,
  leaseMs: LEASE_MS,
  renewEveryMs: 0,
  concurrency: 5,
  ratePerSecond: 50,
  transactionalRatePerSecond: null,
  markSentEveryMs: 100,
  queueBudgetMs: 100,
  site: null,
  log: (line: string) => console.log(line),
} satisfies Required<WorkerOptions>;

/** SMTP replies 5xx are final; 4xx and network trouble may pass, so they are retried. */
export function classifySmtpError(err: unknown): { permanent: boolean; error: string } {
  const e = (typeof err === "object" && err !== null ? err : {}) as {
    responseCode?: number;
    code?: string;
    message?: string;
  };
  const error = `${e.code ?? "Error"}${e.responseCode ? ` ${e.responseCode}` : ""}: ${e.message ?? String(err)}`.slice(
    0,
    1000,
  );
  if (typeof e.responseCode === "number") return { permanent: e.responseCode >= 500, error };
  // No reply code: the address was refused before any server saw it, or the network failed.
  return { permanent: e.code === "EENVELOPE", error };
}

/**
 * Sends through nodemailer: a pool of SMTP connections when a URL is
 * configured (DKIM-signed when a key is), otherwise nowhere (the dev inbox
 * reads the outbox).
 */
export function createMailSender(opts: {
  smtpUrl: string | null;
  from: string;
  dkim?: { domainName: string; keySelector: string; privateKey: string } | null;
  maxConnections?: number;
}): { send: MailSender; close: () => void } {
  const transporter: Transporter = opts.smtpUrl
    ? nodemailer.createTransport(
        `${opts.smtpUrl}${opts.smtpUrl.includes("?") ? "&" : "?"}pool=true&maxConnections=${opts.maxConnections ?? 5}`,
        opts.dkim ? { dkim: opts.dkim } : undefined,
      )
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    close: () => transporter.close(),
    send: async (m) => {
      try {
        await transporter.sendMail({
          from: opts.from,
          to: m.to_address,
          subject: m.subject,
          html: m.html,
          text: m.text,
          messageId: m.message_id,
          // "prepared": written exactly as given, on one line. A folded List-Unsubscribe header breaks
          // DKIM signatures at some providers, and RFC 8058 wants it whole.
          headers: m.headers
            ? Object.fromEntries(
                Object.entries(JSON.parse(m.headers) as Record<string, string>).map(([k, v]) => [
                  k,
                  { prepared: true, value: v },
                ]),
              )
            : undefined,
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, ...classifySmtpError(err) };
      }
    },
  };
}

/** Messages a round claims at a rate: about a tenth of a second of sending, 20 to 200. */
function batchFor(ratePerSecond: number | null): number {
  if (ratePerSecond === null) return 200;
  return Math.min(200, Math.max(20, Math.round(ratePerSecond / 10)));
}

/**
 * The worker's settings from the configuration. A round claims about a tenth
 * of a second of sending at each rate (20 to 200 messages): each round has a
 * fixed cost (a queueing step, the claim, lanes waiting for the slowest), and
 * at 20 a round that cost held a worker told to send 2,000 a second to about
 * 400 (bench/bulk-email.ts). Email a person is waiting for is not paced by
 * MAIL_RATE, which is for bulk updates; MAIL_RATE_TRANSACTIONAL paces it if set.
 */
export function workerOptions(config: {
  appUrl: string;
  unsubscribeSecret: string;
  mailRate: number;
  mailRateTransactional?: number | null;
  mailConnections?: number;
}): WorkerOptions {
  const transactionalRate = config.mailRateTransactional ?? null;
  return {
    site: { appUrl: config.appUrl, unsubscribeSecret: config.unsubscribeSecret },
    ratePerSecond: config.mailRate,
    batchSize: batchFor(config.mailRate),
    transactionalRatePerSecond: transactionalRate,
    transactionalBatchSize: batchFor(transactionalRate),
    concurrency: config.mailConnections ?? DEFAULTS.concurrency,
  };
}

export function backoffMs(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

type UpdateSource = Pick<Update, "email_status" | "email_subject" | "email_html" | "email_text" | "petition_id">;

/**
 * Sends what the outbox holds. Messages are claimed with a conditional
 * update before they are sent, so two workers (in one process or in several)
 * never send the same message; the claims a round holds are renewed while it
 * runs, and the messages the server accepted are marked sent in batches. See
 * docs/decisions/0004-outbox.md and 0021-mail-worker-process.md.
 */
export class MailWorker {
  private readonly o: Required<WorkerOptions>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** The next free send slot of each pace, in Date.now() time, kept from round to round. */
  private readonly nextSlot = { bulk: 0, transactional: 0 };

  constructor(
    private readonly db: DB,
    private readonly send: MailSender,
    options: WorkerOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
    if (!this.o.renewEveryMs) this.o.renewEveryMs = Math.max(1, Math.floor(this.o.leaseMs / 3));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let handled = 0;
        try {
          handled = await this.runOnce();
        } catch (err) {
          this.o.log(`mail worker: ${String(err)}`);
        }
        if (handled === 0 && this.running) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.o.idleMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /**
   * One round: queueing for any update being sent (steps for up to
   * queueBudgetMs), then claims a batch of due messages in one statement and
   * sends them, a few at a time, bulk mail no faster than its rate. Returns how
   * many it handled. `now` is the round's time at its start (tests move it);
   * within the round it runs on with the real clock.
   */
  async runOnce(now = new Date()): Promise<number> {
    const startedAt = Date.now();
    const time = () => new Date(now.getTime() + (Date.now() - startedAt));
    let queued = 0;
    if (this.o.site) {
      // One step a round held a million recipients to 500 rounds of sending before the last was
      // queued (150 s at 2,000 a second); steps for a tenth of a second a round take about 10 s.
      const until = Date.now() + this.o.queueBudgetMs;
      for (;;) {
        const added = await queuePendingUpdates(this.db, this.o.site, undefined, now);
        queued += added;
        if (added === 0 || Date.now() >= until) break;
      }
    }
    let heldUntil = new Date(now.getTime() + this.o.leaseMs);
    const claimed = await claimDueMessages(this.db, now, heldUntil, {
      transactional: this.o.transactionalBatchSize,
      bulk: this.o.batchSize,
    });
    if (claimed.length === 0) return queued;
    // Email someone is waiting for first, whatever order the claim returned.
    claimed.sort((a, b) => Number(a.update_id !== null) - Number(b.update_id !== null) || a.id - b.id);

    /** Claimed and not yet recorded (sent messages stay here until their mark is written). */
    const held = new Set(claimed.map((m) => m.id));
    /** Taken over by another worker after this one's claim lapsed: never sent from here. */
    const lost = new Set<number>();
    let sent: number[] = [];
    let lastMark = Date.now();
    let marking: Promise<void> = Promise.resolve();
    const flushSent = () => {
      const ids = sent;
      sent = [];
      lastMark = Date.now();
      marking = marking.then(async () => {
        await markSent(this.db, ids, time());
        for (const id of ids) held.delete(id);
      });
      return marking;
    };

    // While the round runs, its claims are renewed, so that a slow SMTP server or a long paced batch is
    // never taken for a dead worker.
    let renewing: Promise<void> = Promise.resolve();
    const renewTimer = setInterval(() => {
      renewing = renewing.then(async () => {
        const ids = [...held];
        const until = new Date(time().getTime() + this.o.leaseMs);
        try {
          const renewed = await renewClaims(this.db, ids, heldUntil, until);
          heldUntil = until;
          for (const id of ids) if (!renewed.has(id)) lost.add(id);
        } catch (err) {
          // Not renewed: the claims run out at the old time, and the check before each send holds back
          // what could not go in time.
          this.o.log(`mail worker: could not renew claims: ${String(err)}`);
        }
      });
    }, this.o.renewEveryMs);

    const updates = new Map<number, UpdateSource>();
    const unsent: number[] = [];
    let index = 0;
    const sendOne = async (m: OutboxMessage) => {
      let message = m;
      if (m.update_id !== null) {
        const composed = this.o.site ? await composeUpdateMessage(this.db, m, this.o.site, updates) : null;
        if (!composed) {
          await this.db
            .updateTable("outbox")
            .set({ status: "cancelled", locked_until: null })
            .where("id", "=", m.id)
            .execute();
          held.delete(m.id);
          return;
        }
        message = {
          ...m,
          subject: composed.subject,
          html: composed.html,
          text: composed.text,
          headers: JSON.stringify(composed.headers),
        };
      }
      // Pace the sends: each waits for its slot, whichever of the parallel lanes it is in.
      const rate = m.update_id === null ? this.o.transactionalRatePerSecond : this.o.ratePerSecond;
      if (rate) {
        const pace = m.update_id === null ? "transactional" : "bulk";
        const slot = Math.max(this.nextSlot[pace], Date.now());
        this.nextSlot[pace] = slot + 1000 / rate;
        if (slot > Date.now()) await new Promise((r) => setTimeout(r, slot - Date.now()));
      }
      // Start a send only with a good part of the lease left: a send begun just before the claim lapses
      // could still be under way when another worker takes the message and sends it too.
      if (lost.has(m.id) || heldUntil.getTime() - time().getTime() < this.o.leaseMs / 3) {
        unsent.push(m.id);
        return;
      }
      const result = await this.send(message);
      if (result.ok) {
        sent.push(m.id);
        if (Date.now() - lastMark >= this.o.markSentEveryMs) await flushSent();
        return;
      }
      // The same clock as the claim: a retry is scheduled from the `now` this round was given.
      await this.recordFailure(m, result, now);
      held.delete(m.id);
    };
    try {
      const lanes = Array.from({ length: Math.min(this.o.concurrency, claimed.length) }, async () => {
        while (index < claimed.length) await sendOne(claimed[index++]);
      });
      await Promise.all(lanes);
    } finally {
      clearInterval(renewTimer);
      await renewing;
      await flushSent();
    }
    const giveBack = unsent.filter((id) => !lost.has(id));
    if (giveBack.length > 0) {
      await releaseClaims(this.db, giveBack, heldUntil);
      this.o.log(`mail worker: gave back ${giveBack.length} message(s) its lease was too short to send`);
    }
    return claimed.length + queued;
  }

  private async recordFailure(m: OutboxMessage, result: Extract<SendResult, { ok: false }>, now: Date): Promise<void> {
    const final = result.permanent || m.attempts >= this.o.maxAttempts;
    // The address will never take mail (5xx): nothing more goes to it from this site.
    if (result.permanent) await suppressAddress(this.db, m.to_address, "bounce", now);
    const retryAt = new Date(now.getTime() + backoffMs(m.attempts, this.o.backoffBaseMs, this.o.backoffCapMs));
    await this.db
      .updateTable("outbox")
      .where("id", "=", m.id)
      .set({
        status: final ? "failed" : "pending",
        locked_until: null,
        last_error: result.error,
        next_attempt_at: final ? m.next_attempt_at : retryAt.toISOString(),
      })
      .execute();
    this.o.log(
      `mail worker: message ${m.id} (${m.kind}) ${final ? "failed for good" : `will be retried at ${retryAt.toISOString()}`}: ${result.error}`,
    );
  }
}
