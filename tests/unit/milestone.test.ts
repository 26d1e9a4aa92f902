import { describe, expect, test } from "vitest";
import { goalFor, goalReached } from "../../app/lib/goal";

/** Every count from 1 to `to` at which a confirmation reaches a goal. */
function milestonesUpTo(to: number, fixedGoal: number | null): number[] {
  const reached: number[] = [];
  for (let count = 1; count <= to; count++) if (goalReached(count, fixedGoal) !== null) reached.push(count);
  return reached;
}

describe("when a confirmation reaches a goal", () => {
  test("without a goal of its own, a petition reaches each rung of the ladder once", () => {
    expect(milestonesUpTo(12_000, null)).toEqual([100, 200, 500, 1_000, 2_000, 5_000, 10_000]);
  });

  test("the 100th signature reaches 100; the 99th and the 101st reach nothing", () => {
    expect(goalReached(99, null)).toBeNull();
    expect(goalReached(100, null)).toBe(100);
    expect(goalReached(101, null)).toBeNull();
  });

  test("an organizer's own goal is reached once, then the ladder above it", () => {
    expect(milestonesUpTo(2_500, 150)).toEqual([150, 200, 500, 1_000, 2_000]);
    // Rungs below the organizer's goal are not goals the page ever showed.
    expect(milestonesUpTo(1_200, 750)).toEqual([750, 1_000]);
  });

  test("an own goal that is also a rung is reached once", () => {
    expect(milestonesUpTo(600, 500)).toEqual([500]);
  });

  test("the goal reached is the goal the page showed just before, and the page then shows the next one", () => {
    for (const fixed of [null, 10, 150, 1_000]) {
      for (let count = 1; count <= 3_000; count++) {
        const reached = goalReached(count, fixed);
        if (reached !== null) {
          expect(goalFor(count - 1, fixed)).toBe(count);
          expect(goalFor(count, fixed)).toBeGreaterThan(count);
        } else {
          expect(goalFor(count - 1, fixed)).not.toBe(count);
        }
      }
    }
  });

  test("no signatures reach nothing", () => {
    expect(goalReached(0, null)).toBeNull();
    expect(goalReached(0, 10)).toBeNull();
  });
});
