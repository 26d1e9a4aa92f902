import { randomFillSync } from "node:crypto";

/**
 * Random bytes from the operating system's CSPRNG, drawn a few kilobytes at a
 * time and handed out in slices, as Node does for crypto.randomUUID(). Each
 * crypto.randomBytes() call is a trip into OpenSSL: with three per sign POST
 * (two tokens and the page's CSP nonce) it was 3 % of the request's time in
 * profiles. The bytes are the same CSPRNG output either way; the pool only
 * moves forward, so every byte is handed out once, and only as a string, so
 * no caller keeps a view into the pool.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;

export function randomString(bytes: number, encoding: "base64url" | "base64" | "hex"): string {
  if (bytes > POOL_BYTES) throw new RangeError(`At most ${POOL_BYTES} random bytes at a time.`);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const text = pool.toString(encoding, used, used + bytes);
  used += bytes;
  return text;
}
