/**
 * What reached the benchmark's SMTP sink (bench/smtp-sink.ts, ARRIVALS_FILE),
 * and the figures the mail runs take from it: when each signer's confirmation
 * arrived, how long after the sign POST's answer, and how many copies of each
 * message came.
 */
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import SQLite from "better-sqlite3";

export class Arrivals {
  private offset = 0;
  private rest = "";
  /** Arrival times (ms since 1970) of the messages to each recipient, in order. */
  readonly byRecipient = new Map<string, number[]>();
  /** Copies of each Message-ID. */
  readonly byMessageId = new Map<string, number>();
  /** Message-IDs of the messages to each recipient. */
  readonly idsByRecipient = new Map<string, string[]>();
  count = 0;

  constructor(readonly file: string) {}

  /** Reads what the sink has written since the last call. */
  read(): this {
    if (!fs.existsSync(this.file)) return this;
    const fd = fs.openSync(this.file, "r");
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return this;
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.rest + buffer.toString("utf8")).split("\n");
      this.rest = lines.pop() ?? "";
      for (const line of lines) {
        const [at, messageId, to] = line.split("\t");
        this.count += 1;
        this.byMessageId.set(messageId, (this.byMessageId.get(messageId) ?? 0) + 1);
        for (const address of to.split(",")) {
          const times = this.byRecipient.get(address) ?? [];
          times.push(Number(at));
          this.byRecipient.set(address, times);
          const ids = this.idsByRecipient.get(address) ?? [];
          ids.push(messageId);
          this.idsByRecipient.set(address, ids);
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    return this;
  }

  /** When the first message to `address` arrived, if one has. */
  first(address: string): number | undefined {
    return this.byRecipient.get(address)?.[0];
  }

  /**
   * Polls until a message has arrived for every address, or `deadline` (ms
   * since 1970) passes. Returns the addresses still missing and the last
   * first-arrival among the others.
   */
  async waitForAll(addresses: Iterable<string>, deadline: number): Promise<{ missing: string[]; last: number }> {
    let waiting = [...addresses];
    let last = 0;
    for (;;) {
      this.read();
      waiting = waiting.filter((address) => {
        const at = this.first(address);
        if (at === undefined) return true;
        last = Math.max(last, at);
        return false;
      });
      if (waiting.length === 0 || Date.now() >= deadline) return { missing: waiting, last };
      await sleep(100);
    }
  }

  /** Of the messages to these addresses: how many came more than once, and the most copies of one. */
  copies(addresses: Iterable<string>): { duplicated: number; maxCopies: number; messages: number } {
    this.read();
    const ids = new Set<string>();
    for (const address of addresses) for (const id of this.idsByRecipient.get(address) ?? []) ids.add(id);
    let duplicated = 0;
    let maxCopies = 0;
    for (const id of ids) {
      const n = this.byMessageId.get(id) ?? 0;
      if (n > 1) duplicated += 1;
      maxCopies = Math.max(maxCopies, n);
    }
    return { duplicated, maxCopies, messages: ids.size };
  }
}

export type WaitFigures = { count: number; p50: number; p90: number; p99: number; max: number; missing: number };

/** Seconds from each answer (address -> ms) to its email's first arrival; missing ones are counted apart. */
export function waitFigures(answeredAt: Map<string, number>, arrivals: Arrivals): WaitFigures {
  arrivals.read();
  const waits: number[] = [];
  let missing = 0;
  for (const [address, at] of answeredAt) {
    const arrived = arrivals.first(address);
    if (arrived === undefined) missing += 1;
    else waits.push(Math.max(0, arrived - at) / 1000);
  }
  waits.sort((a, b) => a - b);
  const pick = (q: number) => (waits.length ? waits[Math.min(waits.length - 1, Math.ceil(q * waits.length) - 1)] : 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    count: waits.length,
    p50: round(pick(0.5)),
    p90: round(pick(0.9)),
    p99: round(pick(0.99)),
    max: round(waits.at(-1) ?? 0),
    missing,
  };
}

/** The outbox's messages still to go (pending, or claimed and being sent), read on a connection of our own. */
export function outboxBacklog(dbFile: string): { pending: number; sending: number } {
  const sqlite = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    const rows = sqlite
      .prepare("SELECT status, COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending') GROUP BY status")
      .all() as { status: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    return { pending: by.pending ?? 0, sending: by.sending ?? 0 };
  } finally {
    sqlite.close();
  }
}

/** Polls the outbox until nothing is left to send or `deadline` passes; returns when it emptied, or null. */
export async function waitForEmptyOutbox(dbFile: string, deadline: number): Promise<number | null> {
  for (;;) {
    const b = outboxBacklog(dbFile);
    if (b.pending + b.sending === 0) return Date.now();
    if (Date.now() >= deadline) return null;
    await sleep(100);
  }
}
