import { describe, expect, test } from "vitest";
import { countsToStore, milestoneReached, storedCounts } from "../../app/lib/milestones";

const reached = (opts: Partial<Parameters<typeof milestoneReached>[0]>) =>
  milestoneReached({ deliverAt: "goal", counts: [], goal: null, before: 0, after: 0, lastDelivered: null, ...opts });

describe("when a petition is sent to a decision maker", () => {
  test("at its own goal, then at each goal after it, as the organizers' milestones", () => {
    expect(reached({ goal: 250, before: 249, after: 250 })).toBe(250);
    expect(reached({ goal: 250, before: 248, after: 249 })).toBeNull();
    expect(reached({ goal: 250, before: 250, after: 499 })).toBeNull();
    expect(reached({ goal: 250, before: 499, after: 500 })).toBe(500);
    // Automatic goals: each rung of the ladder.
    expect(reached({ before: 99, after: 100 })).toBe(100);
    expect(reached({ before: 150, after: 1_200 })).toBe(1_000);
  });

  test("at chosen counts, the highest one a batch passes, once each", () => {
    const counts = [10, 100, 1_000];
    expect(reached({ deliverAt: "counts", counts, before: 9, after: 10 })).toBe(10);
    expect(reached({ deliverAt: "counts", counts, before: 5, after: 150 })).toBe(100);
    expect(reached({ deliverAt: "counts", counts, before: 10, after: 99 })).toBeNull();
    expect(reached({ deliverAt: "counts", counts: [], before: 0, after: 1_000_000 })).toBeNull();
  });

  test("never below or at a milestone already delivered: a count that falls and rises again sends nothing twice", () => {
    expect(reached({ deliverAt: "counts", counts: [10, 100], before: 9, after: 10, lastDelivered: 10 })).toBeNull();
    expect(reached({ deliverAt: "counts", counts: [10, 100], before: 9, after: 10, lastDelivered: 100 })).toBeNull();
    expect(reached({ deliverAt: "counts", counts: [10, 100], before: 99, after: 100, lastDelivered: 10 })).toBe(100);
    expect(reached({ goal: null, before: 99, after: 100, lastDelivered: 200 })).toBeNull();
  });

  test("never by itself when the organizer chose 'only when I press Deliver', and never as the count falls", () => {
    expect(reached({ deliverAt: "manual", before: 99, after: 100 })).toBeNull();
    expect(reached({ deliverAt: "counts", counts: [10], before: 11, after: 9 })).toBeNull();
    expect(reached({ before: 100, after: 100 })).toBeNull();
  });

  test("counts are stored ascending, each once, and read back leaving out anything unreadable", () => {
    expect(countsToStore([1_000, 10, 1_000, 100])).toBe("10,100,1000");
    expect(countsToStore([])).toBeNull();
    expect(storedCounts("10,100,1000")).toEqual([10, 100, 1_000]);
    expect(storedCounts("10,,x,-5,20")).toEqual([10, 20]);
    expect(storedCounts(null)).toEqual([]);
  });
});
