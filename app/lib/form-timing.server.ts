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

/**
 * How a public form that only asks for an email address (sign in, "email me
 * my links") came back, judged by its honeypot and its time stamp:
 * - "bot": the honeypot is filled in. The sender is shown what a person is
 *   shown, and nothing is sent.
 * - "too-fast": sent back sooner than `minFillSeconds` after the page was
 *   shown, or without a valid stamp. Such a form cannot be kept and held for a
 *   moderator as a signature can, so the person is asked to press the button
 *   again; `stamp` is the form's own stamp when it was genuine, to hand back,
 *   so the time the person spends reading the message counts towards the minimum.
 * Neither depends on the address, so neither tells anything about it.
 */
export type RequestFormCheck = { verdict: "ok" } | { verdict: "bot" } | { verdict: "too-fast"; stamp: string | null };

export function checkRequestForm(
  form: FormData,
  config: { minFillSeconds: number; addressSecret: string },
  fields: { honeypot: string; stamp: string },
  now = Date.now(),
): RequestFormCheck {
  const honeypot = form.get(fields.honeypot);
  if (typeof honeypot === "string" && honeypot !== "") return { verdict: "bot" };
  if (config.minFillSeconds <= 0) return { verdict: "ok" };
  const stamp = form.get(fields.stamp);
  const seconds = secondsSinceStamp(config.addressSecret, stamp, now);
  if (seconds === null) return { verdict: "too-fast", stamp: null };
  return seconds < config.minFillSeconds ? { verdict: "too-fast", stamp: stamp as string } : { verdict: "ok" };
}

/** What a person sees when a form came back too fast (checkRequestForm). */
export const TOO_FAST_MESSAGE = "That was quicker than we expected. Please check your email address and press the button again.";
