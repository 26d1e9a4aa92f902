import { describe, expect, test } from "vitest";
import { goalFor, highestGoalCrossed } from "../../app/lib/goal";

/** Every count from 1 to `to` at which a count rising one at a time reaches a goal. */
function milestonesUpTo(to: number, fixedGoal: number | null): number[] {
  const reached: number[] = [];
  for (let count = 1; count <= to; count++) {
    const goal = highestGoalCrossed(count - 1, count, fixedGoal);
    if (goal !== null) reached.push(goal);
  }
  return reached;
}

describe("when a rising count reaches a goal", () => {
  test("without a goal of its own, a petition reaches each rung of the ladder once", () => {
    expect(milestonesUpTo(12_000, null)).toEqual([100, 200, 500, 1_000, 2_000, 5_000, 10_000]);
  });

  test("the 100th signature reaches 100; the 99th and the 101st reach nothing", () => {
    expect(highestGoalCrossed(98, 99, null)).toBeNull();
    expect(highestGoalCrossed(99, 100, null)).toBe(100);
    expect(highestGoalCrossed(100, 101, null)).toBeNull();
  });

  test("an organizer's own goal is reached once, then the ladder above it", () => {
    expect(milestonesUpTo(2_500, 150)).toEqual([150, 200, 500, 1_000, 2_000]);
    // Rungs below the organizer's goal are not goals the page ever showed.
    expect(milestonesUpTo(1_200, 750)).toEqual([750, 1_000]);
  });

  test("an own goal that is also a rung is reached once", () => {
    expect(milestonesUpTo(600, 500)).toEqual([500]);
  });

  test("a batch that passes a goal without landing on it reaches it; one that passes several reaches the highest", () => {
    expect(highestGoalCrossed(95, 120, null)).toBe(100);
    expect(highestGoalCrossed(90, 600, null)).toBe(500);
    expect(highestGoalCrossed(140, 160, 150)).toBe(150);
    expect(highestGoalCrossed(101, 199, null)).toBeNull();
  });

  test("the goal reached is the goal the page showed just before, and the page then shows the next one", () => {
    for (const fixed of [null, 10, 150, 1_000]) {
      for (let count = 1; count <= 3_000; count++) {
        const reached = highestGoalCrossed(count - 1, count, fixed);
        if (reached !== null) {
          expect(goalFor(count - 1, fixed)).toBe(count);
          expect(goalFor(count, fixed)).toBeGreaterThan(count);
        } else {
          expect(goalFor(count - 1, fixed)).not.toBe(count);
        }
      }
    }
  });

  test("a count that does not rise reaches nothing", () => {
    expect(highestGoalCrossed(0, 0, null)).toBeNull();
    expect(highestGoalCrossed(100, 100, 10)).toBeNull();
    expect(highestGoalCrossed(101, 99, null)).toBeNull();
  });
});
