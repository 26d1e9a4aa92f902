import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

export type ReceivedMail = ParsedMail & { envelopeTo: string[] };

/**
 * A real SMTP server on loopback that keeps what it receives. It can be told
 * to refuse the next messages with a given reply code, to test retries.
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  private refusals: { code: number; remaining: number } | null = null;
  /** While set, each message waits for it before the server answers (a slow server). */
  private hold: Promise<void> | null = null;
  /** Messages received and waiting for the hold to be released. */
  held = 0;
  private waiters: (() => void)[] = [];
  private server: SMTPServer;
  port = 0;
  /** Connections that broke, e.g. a client killed mid-message (tests/integration/bulk-email.test.ts). */
  readonly connectionErrors: Error[] = [];

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", async () => {
          if (this.hold) {
            this.held += 1;
            await this.hold;
            this.held -= 1;
          }
          if (this.refusals && this.refusals.remaining > 0) {
            this.refusals.remaining -= 1;
            const err = Object.assign(new Error(`Refused for the test (${this.refusals.code})`), {
              responseCode: this.refusals.code,
            });
            callback(err);
            return;
          }
          const parsed = await simpleParser(Buffer.concat(chunks));
          this.messages.push(Object.assign(parsed, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }));
          callback();
          for (const w of this.waiters.splice(0)) w();
        });
      },
    });
    // Without a listener, a client that vanishes mid-conversation (ECONNRESET) would crash the test process.
    this.server.on("error", (err) => this.connectionErrors.push(err));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Refuse the next `count` messages with this SMTP reply code (4xx: try later; 5xx: never). */
  refuseNext(count: number, code: number): void {
    this.refusals = { code, remaining: count };
  }

  /**
   * From now on the server takes each message but does not answer until the
   * returned function is called: the sender waits, as it would for a slow server.
   */
  holdReplies(): () => void {
    let release!: () => void;
    this.hold = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.hold = null;
      release();
    };
  }

  /** Messages to one address, in the order they arrived. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.envelopeTo.includes(address));
  }

  /** Waits until a message to `address` matches `predicate` (the newest one that does), or fails after `timeoutMs`. */
  async waitFor(
    address: string,
    predicate: (m: ReceivedMail) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(address).filter(predicate).at(-1);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`No email to ${address} arrived within ${timeoutMs} ms (got ${this.messages.length} in all)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The confirmation link in an email's text version. */
export function confirmLinkIn(mail: ParsedMail): string {
  const match = mail.text?.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}/);
  if (!match) throw new Error(`No confirmation link in: ${mail.subject}`);
  return match[0];
}
