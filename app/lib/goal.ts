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
 * The goal that the confirmation taking the count to `count` has just reached,
 * or null. A goal is reached when the goal shown before it (at count - 1) is
 * exactly the new count: the organizer's own goal, then each rung of the ladder
 * above it. The count rises one at a time, so each boundary is met exactly once
 * on the way up.
 */
export function goalReached(count: number, fixedGoal: number | null): number | null {
  if (count < 1) return null;
  return goalFor(count - 1, fixedGoal) === count ? count : null;
}
