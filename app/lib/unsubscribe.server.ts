import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Unsubscribe links carry a signed token instead of a stored one: a million
 * update emails need a million links, and a link must keep working for as
 * long as the email sits in someone's inbox (RFC 8058 and the law expect
 * that). The token names the signature and the scope, with an HMAC over
 * both, so it cannot be forged or pointed at another signature; unsubscribing
 * is idempotent, so it does not need to be single-use. See docs/decisions.
 */
export type UnsubscribeScope = "petition" | "all";

const SCOPE_CODE: Record<UnsubscribeScope, string> = { petition: "p", all: "a" };

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`unsubscribe:${payload}`).digest();
}

export function unsubscribeToken(secret: string, signatureId: number, scope: UnsubscribeScope): string {
  const payload = `${SCOPE_CODE[scope]}${signatureId}`;
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

export function readUnsubscribeToken(
  secret: string,
  token: string,
): { signatureId: number; scope: UnsubscribeScope } | null {
  const match = /^([pa])(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, code, id, signature] = match;
  const expected = mac(secret, `${code}${id}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { signatureId: Number(id), scope: code === "p" ? "petition" : "all" };
}
