import { sql } from "kysely";
import nodemailer, { type Transporter } from "nodemailer";
import type { DB } from "../../db/connection";
import type { OutboxMessage, Update } from "../../db/schema";
import { composeUpdateMessage, queuePendingUpdates, suppressAddress } from "../models/update.server";

/** How one send ended, as the worker sees it. */
export type SendResult = { ok: true } | { ok: false; permanent: boolean; error: string };

export type MailSender = (message: OutboxMessage) => Promise<SendResult>;

export type WorkerOptions = {
  /** Messages claimed per round. */
  batchSize?: number;
  /** Pause between rounds when nothing was due. */
  idleMs?: number;
  /** First retry after this long; each further retry waits twice as long, up to backoffCapMs. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** After this many attempts a temporary failure is treated as final. */
  maxAttempts?: number;
  /** How long a claim lasts; a message still "sending" after that (its worker died) is retried. */
  leaseMs?: number;
  /** Messages sent at the same time (the SMTP pool's connections). */
  concurrency?: number;
  /** At most this many messages a second (MAIL_RATE). */
  ratePerSecond?: number;
  /**
   * Time a round may spend queueing update recipients, in steps of QUEUE_BATCH (one short
   * transaction each), before it sends. At least one step runs.
   */
  queueBudgetMs?: number;
  /** Needed to send updates: links in them are made per recipient at send time. */
  site?: { appUrl: string; unsubscribeSecret: string } | null;
  log?: (line: string) => void;
};

const DEFAULTS = {
  batchSize: 20,
  idleMs: 500,
  backoffBaseMs: 30_000,
  backoffCapMs: 6 * 60 * 60 * 1000,
  maxAttempts: 10,
  leaseMs: 5 * 60 * 1000,
  concurrency: 5,
  ratePerSecond: 50,
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

/**
 * The worker's settings from the configuration. A round claims about a tenth
 * of a second of sending at MAIL_RATE (20 to 200 messages): each round has a
 * fixed cost (a queueing step, the claim, lanes waiting for the slowest), and
 * at 20 a round that cost held a worker told to send 2,000 a second to about
 * 400 (bench/bulk-email.ts).
 */
export function workerOptions(config: { appUrl: string; unsubscribeSecret: string; mailRate: number }): WorkerOptions {
  return {
    site: { appUrl: config.appUrl, unsubscribeSecret: config.unsubscribeSecret },
    ratePerSecond: config.mailRate,
    batchSize: Math.min(200, Math.max(DEFAULTS.batchSize, Math.round(config.mailRate / 10))),
  };
}

export function backoffMs(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends what the outbox holds. Messages are claimed with a conditional
 * update before they are sent, so two workers (the web process and
 * `npm run worker`) never send the same message; each is marked sent straight
 * after the server accepts it. See docs/decisions/0004-outbox.md.
 */
export class MailWorker {
  private readonly o: Required<WorkerOptions>;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly db: DB,
    private readonly send: MailSender,
    options: WorkerOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
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
   * sends them, a few at a time and no faster than the rate. Returns how many
   * it handled.
   */
  async runOnce(now = new Date()): Promise<number> {
    const nowIso = now.toISOString();
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
    const claimed = await this.db
      .updateTable("outbox")
      .set((eb) => ({
        status: "sending",
        attempts: eb("attempts", "+", 1),
        locked_until: new Date(now.getTime() + this.o.leaseMs).toISOString(),
      }))
      // Claims that lapsed (their worker died) first, then due messages nobody bulk-sent, then the rest in
      // the order they fell due.
      // Two branches, each reading only its batch from outbox_due_idx (status, next_attempt_at): one OR
      // across both made SQLite collect and sort every due row, all of a million-recipient update,
      // for each claim (0.1-0.5 s a claim).
      .where("id", "in", (eb) =>
        eb
          .selectFrom(
            eb
              .selectFrom(
                eb
                  .selectFrom("outbox")
                  .select("id")
                  .where("status", "=", "sending")
                  .where("locked_until", "<=", nowIso)
                  .orderBy("next_attempt_at")
                  .orderBy("id")
                  .limit(this.o.batchSize)
                  .as("lapsed"),
              )
              .select("lapsed.id")
              // Then email a person is waiting for (confirmations, sign-in links), ahead of bulk updates.
              .unionAll(
                eb
                  .selectFrom(
                    eb
                      .selectFrom("outbox")
                      .select("id")
                      .where("status", "=", "pending")
                      .where("update_id", "is", null)
                      .where("next_attempt_at", "<=", nowIso)
                      .orderBy("next_attempt_at")
                      .orderBy("id")
                      .limit(this.o.batchSize)
                      .as("waiting"),
                  )
                  .select("waiting.id"),
              )
              .unionAll(
                eb
                  .selectFrom(
                    eb
                      .selectFrom("outbox")
                      .select("id")
                      .where("status", "=", "pending")
                      .where("next_attempt_at", "<=", nowIso)
                      .orderBy("next_attempt_at")
                      .orderBy("id")
                      .limit(this.o.batchSize)
                      .as("due"),
                  )
                  .select("due.id"),
              )
              .as("claimable"),
          )
          .select("claimable.id")
          .limit(this.o.batchSize),
      )
      // Again here: another worker may have claimed some of them between the two reads. A CASE, not
      // an OR: with an OR, SQLite walked every due row to test it against the ids above.
      .where(
        sql<boolean>`case ${sql.ref("status")} when 'pending' then ${sql.ref("next_attempt_at")} <= ${nowIso} when 'sending' then ${sql.ref("locked_until")} <= ${nowIso} else false end`,
      )
      .returningAll()
      .execute();
    claimed.sort((a, b) => a.id - b.id);

    const updates = new Map<
      number,
      Pick<Update, "email_status" | "email_subject" | "email_html" | "email_text" | "petition_id">
    >();
    const spacingMs = 1000 / this.o.ratePerSecond;
    let next = Date.now();
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
      const slot = Math.max(next, Date.now());
      next = slot + spacingMs;
      if (slot > Date.now()) await new Promise((r) => setTimeout(r, slot - Date.now()));
      const result = await this.send(message);
      // The same clock as the claim: a retry is scheduled from the `now` this round was given.
      await this.record(m, result, now);
    };
    const lanes = Array.from({ length: Math.min(this.o.concurrency, claimed.length) }, async () => {
      while (index < claimed.length) await sendOne(claimed[index++]);
    });
    await Promise.all(lanes);
    return claimed.length + queued;
  }

  private async record(m: OutboxMessage, result: SendResult, now: Date): Promise<void> {
    const update = this.db.updateTable("outbox").where("id", "=", m.id);
    if (result.ok) {
      await update.set({ status: "sent", sent_at: now.toISOString(), locked_until: null, last_error: null }).execute();
      return;
    }
    const final = result.permanent || m.attempts >= this.o.maxAttempts;
    // The address will never take mail (5xx): nothing more goes to it from this site.
    if (result.permanent) await suppressAddress(this.db, m.to_address, "bounce", now);
    const retryAt = new Date(now.getTime() + backoffMs(m.attempts, this.o.backoffBaseMs, this.o.backoffCapMs));
    await update
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
