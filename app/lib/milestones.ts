import type { DeliverAt } from "../../db/schema";
import { highestGoalCrossed } from "./goal";

/**
 * When a petition is sent to a decision maker by itself (docs/decisions/0029-decision-maker-responses.md):
 * at each goal it reaches (the organizers' own milestones), at counts the organizer chose, or never.
 */

/** The counts as stored ("10000,100000"), as numbers; anything unreadable is left out. */
export function storedCounts(stored: string | null): number[] {
  if (!stored) return [];
  return stored
    .split(",")
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0);
}

/** Counts as they are stored: ascending, each once. */
export function countsToStore(counts: readonly number[]): string | null {
  const sorted = [...new Set(counts)].sort((a, b) => a - b);
  return sorted.length ? sorted.join(",") : null;
}

/**
 * The milestone at which the petition is sent to a decision maker as its count rose from `before` to
 * `after`, or null. Counts are folded in batches, so one step can pass several milestones: the highest
 * is the one delivered. A milestone at or below one already delivered (`lastDelivered`) is never
 * delivered again, so a count that falls (withdrawals) and rises again sends nothing twice.
 */
export function milestoneReached(opts: {
  deliverAt: DeliverAt;
  counts: readonly number[];
  goal: number | null;
  before: number;
  after: number;
  lastDelivered: number | null;
}): number | null {
  if (opts.after <= opts.before) return null;
  let reached: number | null = null;
  if (opts.deliverAt === "goal") reached = highestGoalCrossed(opts.before, opts.after, opts.goal);
  if (opts.deliverAt === "counts") {
    for (const c of opts.counts)
      if (c > opts.before && c <= opts.after && (reached === null || c > reached)) reached = c;
  }
  if (reached === null || (opts.lastDelivered !== null && reached <= opts.lastDelivered)) return null;
  return reached;
}
