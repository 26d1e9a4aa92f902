import { createHmac, timingSafeEqual } from "node:crypto";
import { FORM_STAMP_FIELD, HONEYPOT_FIELD } from "../schemas/signature-fields";

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

type TimingConfig = { minFillSeconds: number; addressSecret: string };

/**
 * Why a form came back too soon to have been filled in by a person, in the
 * words the moderators' pages show (signatures.hold_reason), or null when it
 * took long enough or no minimum is set. `genuine` says whether the stamp was
 * one of ours (only then is it worth handing back).
 */
export function tooFast(
  config: TimingConfig,
  stamp: unknown,
  now = Date.now(),
): { reason: string; genuine: boolean } | null {
  if (config.minFillSeconds <= 0) return null;
  const seconds = secondsSinceStamp(config.addressSecret, stamp, now);
  if (seconds === null) return { reason: "the form came back without a valid time stamp", genuine: false };
  return seconds < config.minFillSeconds
    ? { reason: `the form came back after ${seconds.toFixed(1)} s`, genuine: true }
    : null;
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

export function checkRequestForm(form: FormData, config: TimingConfig, now = Date.now()): RequestFormCheck {
  const honeypot = form.get(HONEYPOT_FIELD);
  if (typeof honeypot === "string" && honeypot !== "") return { verdict: "bot" };
  const stamp = form.get(FORM_STAMP_FIELD);
  const problem = tooFast(config, stamp, now);
  if (!problem) return { verdict: "ok" };
  return { verdict: "too-fast", stamp: problem.genuine ? (stamp as string) : null };
}

/** What a person sees when a form came back too fast (checkRequestForm). */
export const TOO_FAST_MESSAGE =
  "That was quicker than we expected. Please check your email address and press the button again.";
