/** The automatic goal ladder, as large campaign sites use: 100, 200, 500, 1k, 2k, 5k, 10k, ... */
export function nextGoal(count: number): number {
  let scale = 100;
  for (;;) {
    for (const step of [1, 2, 5]) {
      const goal = step * scale;
      if (count < goal) return goal;
    }
    scale *= 10;
  }
}

/** The goal a petition shows: its own, or the next rung once its own is reached. */
export function goalFor(count: number, fixedGoal: number | null): number {
  if (fixedGoal !== null && count < fixedGoal) return fixedGoal;
  return nextGoal(count);
}

/**
 * The highest goal reached as the count rose from `before` to `after`, or null. Counts are folded in
 * batches (app/models/counts.server.ts), so one step may pass a goal without landing on it, or pass more
 * than one: the organizers hear of the highest.
 */
export function highestGoalCrossed(before: number, after: number, fixedGoal: number | null): number | null {
  let reached: number | null = null;
  for (let goal = goalFor(before, fixedGoal); goal <= after; goal = goalFor(goal, fixedGoal)) reached = goal;
  return reached;
}
