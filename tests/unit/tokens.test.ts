import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { DAY_MS, expiresAt, hashToken, isExpired, isWellFormedToken, newToken } from "../../app/lib/tokens.server";

describe("confirmation tokens", () => {
  test("a new token is 43 URL-safe characters carrying 32 random bytes", () => {
    const { token } = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(newToken().token).not.toBe(token);
  });

  test("only the SHA-256 of a token is kept, never the token itself", () => {
    const { token, hash } = newToken();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hash).not.toBe(token);
    expect(hashToken(token)).toBe(hash);
  });

  test("a link expires at its expiry time exactly, not a millisecond later", () => {
    const now = new Date("2026-11-27T12:00:00.000Z");
    const expiry = expiresAt(now, 14 * DAY_MS);
    expect(expiry).toBe("2026-12-11T12:00:00.000Z");
    expect(isExpired(expiry, new Date("2026-12-11T11:59:59.999Z"))).toBe(false);
    expect(isExpired(expiry, new Date("2026-12-11T12:00:00.000Z"))).toBe(true);
    expect(isExpired(expiry, new Date("2026-12-11T12:00:00.001Z"))).toBe(true);
  });

  test("a used link (no expiry kept) counts as expired", () => {
    expect(isExpired(null, new Date())).toBe(true);
  });

  test("a link mangled by a mail client is recognised as not ours before the database is asked", () => {
    const { token } = newToken();
    expect(isWellFormedToken(token)).toBe(true);
    expect(isWellFormedToken("A".repeat(43))).toBe(true);
    expect(isWellFormedToken(token.slice(0, 42))).toBe(false);
    expect(isWellFormedToken(`${token}A`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(0, 42)}=`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(0, 42)}+`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(0, 42)}/`)).toBe(false);
    expect(isWellFormedToken(` ${token.slice(1)}`)).toBe(false);
    expect(isWellFormedToken(`${token}\n`)).toBe(false);
    expect(isWellFormedToken("")).toBe(false);
  });
});
