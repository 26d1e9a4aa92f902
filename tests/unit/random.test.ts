import { expect, test } from "vitest";
import { randomString } from "../../app/lib/random.server";

test("each call gives fresh bytes of the asked length, across many refills of the pool", () => {
  const seen = new Set<string>();
  // 32 bytes at a time, 128 to a 4 KiB pool: 2,000 calls refill it 15 times, at varying offsets with the odd sizes between.
  for (let i = 0; i < 2000; i++) {
    const token = randomString(32, "hex");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    seen.add(token);
    if (i % 7 === 0) expect(randomString(5, "hex")).toHaveLength(10);
  }
  expect(seen.size).toBe(2000);
});

test("encodings and lengths", () => {
  expect(randomString(32, "base64url")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(randomString(16, "base64")).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(() => randomString(4097, "hex")).toThrow(RangeError);
});

test("the bytes look random: every byte value turns up, none far more often than the rest", () => {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 1000; i++) for (const byte of Buffer.from(randomString(64, "hex"), "hex")) counts[byte]++;
  // 64,000 bytes: 250 of each value expected; a fair source stays well inside these bounds.
  expect(Math.min(...counts)).toBeGreaterThan(150);
  expect(Math.max(...counts)).toBeLessThan(360);
});
