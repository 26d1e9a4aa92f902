import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, URL-safe. Only its hash is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A token is well-formed if it is exactly what newToken() makes: 43 base64url characters. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function expiresAt(now: Date, ms: number): string {
  return new Date(now.getTime() + ms).toISOString();
}

export function isExpired(expiresAtIso: string | null, now: Date): boolean {
  return expiresAtIso === null || expiresAtIso <= now.toISOString();
}

export const DAY_MS = 24 * 60 * 60 * 1000;
