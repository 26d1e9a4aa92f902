import { describe, expect, test, vi } from "vitest";
import { cachedRead } from "../../app/lib/read-cache.server";

/** A clock that moves only when the test moves it. */
function testClock() {
  let at = 0;
  return { now: () => at, advance: (ms: number) => void (at += ms) };
}

/** A read that counts how often it ran and answers with that count. */
function counter(answer: (n: number) => unknown = (n) => n) {
  let n = 0;
  const read = vi.fn(async () => answer(++n));
  return read;
}

describe("the page cache", () => {
  test("serves the same read to every request within the TTL, then reads again", async () => {
    const db = {};
    const read = counter();
    const clock = testClock();
    expect(await cachedRead(db, "page", 100, read, clock)).toBe(1);
    clock.advance(99);
    expect(await cachedRead(db, "page", 100, read, clock)).toBe(1);
    expect(read).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect(await cachedRead(db, "page", 100, read, clock)).toBe(2);
    expect(read).toHaveBeenCalledTimes(2);
    expect(await cachedRead(db, "page", 100, read, clock)).toBe(2);
  });

  test("requests that arrive while a read is under way wait for it instead of reading too", async () => {
    const read = counter();
    const db = {};
    const results = await Promise.all([1, 2, 3].map(() => cachedRead(db, "page", 1000, read)));
    expect(results).toEqual([1, 1, 1]);
    expect(read).toHaveBeenCalledTimes(1);
  });

  test("a TTL of 0 reads every time", async () => {
    const read = counter();
    const db = {};
    expect(await cachedRead(db, "page", 0, read)).toBe(1);
    expect(await cachedRead(db, "page", 0, read)).toBe(2);
  });

  test("keeps pages apart by key and by database", async () => {
    const read = counter();
    const [db1, db2] = [{}, {}];
    expect(await cachedRead(db1, "a", 1000, read)).toBe(1);
    expect(await cachedRead(db1, "b", 1000, read)).toBe(2);
    expect(await cachedRead(db2, "a", 1000, read)).toBe(3);
    expect(await cachedRead(db1, "a", 1000, read)).toBe(1);
  });

  test("does not keep a page that was not found, or a read that failed", async () => {
    const db = {};
    const missing = counter(() => undefined);
    expect(await cachedRead(db, "gone", 1000, missing)).toBeUndefined();
    expect(await cachedRead(db, "gone", 1000, missing)).toBeUndefined();
    expect(missing).toHaveBeenCalledTimes(2);

    const failing = counter((n) => {
      if (n === 1) throw new Error("database is locked");
      return n;
    });
    await expect(cachedRead(db, "flaky", 1000, failing)).rejects.toThrow("database is locked");
    expect(await cachedRead(db, "flaky", 1000, failing)).toBe(2);
  });
});
