import { describe, expect, test } from "vitest";
import { goalFor, nextGoal } from "../../app/lib/goal";

describe("the goal ladder a petition climbs", () => {
  test("a new petition aims for 100, then 200, 500, 1,000 and so on", () => {
    const ladder: [number, number][] = [
      [0, 100],
      [99, 100],
      [100, 200],
      [199, 200],
      [200, 500],
      [499, 500],
      [500, 1_000],
      [999, 1_000],
      [1_000, 2_000],
      [4_999, 5_000],
      [5_000, 10_000],
      [123_456, 200_000],
      [1_000_000, 2_000_000],
    ];
    for (const [count, goal] of ladder) expect([count, nextGoal(count)]).toEqual([count, goal]);
  });

  test("an organizer's own goal is shown until it is reached", () => {
    expect(goalFor(0, 1_000)).toBe(1_000);
    expect(goalFor(999, 1_000)).toBe(1_000);
  });

  test("once the organizer's goal is reached, the next rung of the ladder takes over", () => {
    expect(goalFor(1_000, 1_000)).toBe(2_000);
    expect(goalFor(1_500, 750)).toBe(2_000);
  });

  test("a petition without its own goal follows the ladder", () => {
    expect(goalFor(150, null)).toBe(200);
  });
});
