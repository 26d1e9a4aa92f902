import nodemailer, { type Transporter } from "nodemailer";
import type { DB } from "../../db/connection";
import type { OutboxMessage } from "../../db/schema";

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
  log?: (line: string) => void;
};

const DEFAULTS = {
  batchSize: 20,
  idleMs: 500,
  backoffBaseMs: 30_000,
  backoffCapMs: 6 * 60 * 60 * 1000,
  maxAttempts: 10,
  leaseMs: 5 * 60 * 1000,
  log: (line: string) => console.log(line),
} satisfies Required<WorkerOptions>;

/** SMTP replies 5xx are final; 4xx and network trouble may pass, so they are retried. */
export function classifySmtpError(err: unknown): { permanent: boolean; error: string } {
  const e = (typeof err === "object" && err !== null ? err : {}) as { responseCode?: number; code?: string; message?: string };
  const error = `${e.code ?? "Error"}${e.responseCode ? ` ${e.responseCode}` : ""}: ${e.message ?? String(err)}`.slice(0, 1000);
  if (typeof e.responseCode === "number") return { permanent: e.responseCode >= 500, error };
  // No reply code: the address was refused before any server saw it, or the network failed.
  return { permanent: e.code === "EENVELOPE", error };
}

/** Sends through nodemailer: SMTP when a URL is configured, otherwise nowhere (the dev inbox reads the outbox). */
export function createMailSender(opts: { smtpUrl: string | null; from: string }): { send: MailSender; close: () => void } {
  const transporter: Transporter = opts.smtpUrl
    ? nodemailer.createTransport(opts.smtpUrl)
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
          headers: m.headers ? (JSON.parse(m.headers) as Record<string, string>) : undefined,
        });
        return { ok: true };
      } catch (err) {
        return { ok: false, ...classifySmtpError(err) };
      }
    },
  };
}

export function backoffMs(attempts: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends what the outbox holds. Each message is claimed with a conditional
 * update before it is sent, so two workers (the web process and
 * `npm run worker`) never send the same message; it is marked sent straight
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

  /** Claims and sends one batch of due messages; returns how many it handled. */
  async runOnce(now = new Date()): Promise<number> {
    const nowIso = now.toISOString();
    const due = await this.db
      .selectFrom("outbox")
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", nowIso)]),
          eb.and([eb("status", "=", "sending"), eb("locked_until", "<=", nowIso)]),
        ]),
      )
      .orderBy("id")
      .limit(this.o.batchSize)
      .execute();
    let handled = 0;
    for (const message of due) {
      if (!this.running && this.loop) break;
      if (!(await this.claim(message, now))) continue;
      const result = await this.send(message);
      // The same clock as the claim: a retry is scheduled from the `now` this round was given.
      await this.record(message, result, now);
      handled += 1;
    }
    return handled;
  }

  private async claim(m: OutboxMessage, now: Date): Promise<boolean> {
    const claimed = await this.db
      .updateTable("outbox")
      .set({
        status: "sending",
        attempts: m.attempts + 1,
        locked_until: new Date(now.getTime() + this.o.leaseMs).toISOString(),
      })
      .where("id", "=", m.id)
      .where("status", "=", m.status)
      .where("attempts", "=", m.attempts)
      .executeTakeFirst();
    m.attempts += 1;
    return claimed.numUpdatedRows === 1n;
  }

  private async record(m: OutboxMessage, result: SendResult, now: Date): Promise<void> {
    const update = this.db.updateTable("outbox").where("id", "=", m.id);
    if (result.ok) {
      await update.set({ status: "sent", sent_at: now.toISOString(), locked_until: null, last_error: null }).execute();
      return;
    }
    const final = result.permanent || m.attempts >= this.o.maxAttempts;
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
