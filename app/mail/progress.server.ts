import type { DB } from "../../db/connection";
import { updateProgress, updatesBeingSent } from "../models/update.server";

/**
 * Progress lines for `npm run worker` while an update is going out, e.g.
 * "update 12: 431,200 queued, 120,000 sent, 3 failed (512/s)", and one last
 * line when it has all gone. The worker itself knows nothing of this: the
 * reporter reads the outbox, like any other observer.
 */

const NUMBER = new Intl.NumberFormat("en-GB");

export type Progress = Awaited<ReturnType<typeof updateProgress>>;

export function formatProgress(updateId: number, p: Progress, perSecond: number | null, done = false): string {
  const parts = done ? [] : [`${NUMBER.format(p.queued)} queued`];
  parts.push(`${NUMBER.format(p.sent)} sent`, `${NUMBER.format(p.failed)} failed`);
  if (p.cancelled > 0) parts.push(`${NUMBER.format(p.cancelled)} cancelled`);
  const rate = perSecond === null ? "" : ` (${NUMBER.format(Math.round(perSecond))}/s)`;
  return `update ${updateId}: ${done ? "done, " : ""}${parts.join(", ")}${rate}`;
}

/**
 * Returns `tick`: call it every few seconds. It reports each update that is
 * being queued or has messages waiting, with the send rate since the last
 * tick, and reports an update once more when nothing of it is left to send.
 * Updates that finished long ago cost nothing: only messages still due are
 * looked at to find the active ones.
 */
export function createProgressReporter(db: DB, clock: () => number = Date.now) {
  const last = new Map<number, { sent: number; at: number }>();
  return async function tick(): Promise<string[]> {
    const active = new Set(await updatesBeingSent(db));
    const lines: string[] = [];
    for (const id of [...new Set([...active, ...last.keys()])].sort((a, b) => a - b)) {
      const p = await updateProgress(db, id);
      const now = clock();
      const before = last.get(id);
      const rate = before && now > before.at ? ((p.sent - before.sent) * 1000) / (now - before.at) : null;
      if (active.has(id)) {
        last.set(id, { sent: p.sent, at: now });
        lines.push(formatProgress(id, p, rate));
      } else {
        last.delete(id);
        lines.push(formatProgress(id, p, null, true));
      }
    }
    return lines;
  };
}
