import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { recountAll } from "../../app/models/counts.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import type { DB } from "../../db/connection";
import type { NewSignature } from "../../db/schema";

let seeded = 0;

/**
 * Signatures written straight into the table (the signing journey has its own tests), then counted as
 * `npm run db:recount` would. Addresses are `<prefix>-<n>@example.org`, numbered from 1. Pending ones get a
 * confirmation token each, returned in order, for `confirm()`.
 */
export async function seedSigners(
  db: DB,
  petitionId: number,
  n: number,
  opts: { prefix: string; consent?: boolean; status?: "confirmed" | "pending"; country?: string },
): Promise<string[]> {
  const now = new Date().toISOString();
  const status = opts.status ?? "confirmed";
  const tokens: string[] = [];
  const rows: NewSignature[] = Array.from({ length: n }, (_, i) => {
    const email = `${opts.prefix}-${i + 1}@example.org`;
    seeded += 1;
    const token = status === "pending" ? newToken() : null;
    if (token) tokens.push(token.token);
    return {
      petition_id: petitionId,
      name: `Signer ${seeded}`,
      email,
      canonical_email: email,
      country: opts.country ?? "GB",
      postcode: null,
      name_display: "full",
      updates_consent: opts.consent ? 1 : 0,
      consent_wording_version: UPDATES_CONSENT.version,
      status,
      token_hash: token?.hash ?? null,
      token_expires_at: token ? expiresAt(new Date(), 14 * DAY_MS) : null,
      created_at: now,
      updated_at: now,
      confirmed_at: status === "confirmed" ? now : null,
      hold: null,
      hold_reason: null,
      invalidation_id: null,
      ip_hash: null,
      network_hash: null,
      email_domain: "example.org",
      manage_token_hash: null,
      manage_token_expires_at: null,
      anonymised_at: null,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("signatures")
      .values(rows.slice(i, i + 500))
      .execute();
  await recountAll(db);
  return tokens;
}

/** The private response link's token in a delivery email's text. */
export function respondTokenIn(text: string): string {
  const match = text.match(/\/respond\/([A-Za-z0-9_-]{43})/);
  if (!match) throw new Error(`No response link in: ${text.slice(0, 300)}`);
  return match[1];
}
