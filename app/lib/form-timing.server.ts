import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * When a form was handed out, signed so that a bot cannot make up an old
 * time: "<milliseconds>.<mac>". A submission that comes back sooner than a
 * person could fill the form in is held as suspect (never refused: the
 * person sees the usual page, and a moderator can release it).
 */
export function formStamp(secret: string, now = Date.now()): string {
  return `${now}.${mac(secret, String(now))}`;
}

/** Seconds since the stamp was made, or null if it is missing, malformed or forged. */
export function secondsSinceStamp(secret: string, stamp: unknown, now = Date.now()): number | null {
  if (typeof stamp !== "string") return null;
  const match = /^(\d{13})\.([A-Za-z0-9_-]{22})$/.exec(stamp);
  if (!match) return null;
  const expected = Buffer.from(mac(secret, match[1]));
  const given = Buffer.from(match[2]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return (now - Number(match[1])) / 1000;
}

function mac(secret: string, value: string): string {
  return createHmac("sha256", secret).update(`form-stamp:${value}`).digest("base64url").slice(0, 22);
}
