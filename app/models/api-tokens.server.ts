import type { DB } from "../../db/connection";
import { hashToken, isWellFormedToken, newToken } from "../lib/tokens.server";
import { audit } from "./audit.server";

/**
 * Organizers' tokens for the OSDI API (docs/decisions/0028-osdi.md). A token acts for the organizer who made
 * it, on the campaigns that organizer organizes at the time of each request: the scope is read from
 * petition_organizers inside every query (app/models/organizer-team.server.ts `organizedBy`), so a token
 * loses a campaign the moment its maker stops organizing it. Only the SHA-256 of a token is stored; the
 * token itself is shown once, when it is made. A revoked token is kept (revoked_at) so the record of it
 * stays, and never works again.
 */

/** How many live tokens one organizer may hold: enough for a few CRMs, few enough to keep track of. */
export const MAX_LIVE_TOKENS = 10;
/** last_used_at is written at most this often per token, so that reading does not mean a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export type ApiTokenRow = {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

export async function listApiTokens(db: DB, userId: number): Promise<ApiTokenRow[]> {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at", "revoked_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

export type CreatedToken = { kind: "created"; id: number; token: string } | { kind: "too-many" };

/** Makes a token for the user, in one transaction with its audit entry; the token is handed back once. */
export async function createApiToken(db: DB, userId: number, name: string, now = new Date()): Promise<CreatedToken> {
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const live = await trx
      .selectFrom("api_tokens")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    if (Number(live.n) >= MAX_LIVE_TOKENS) return { kind: "too-many" } as const;
    const { token, hash } = newToken();
    const { id } = await trx
      .insertInto("api_tokens")
      .values({ user_id: userId, name, token_hash: hash, created_at: nowIso, last_used_at: null, revoked_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit(trx, { actorId: userId, action: "api-token.create", details: { tokenId: id, name } }, now);
    return { kind: "created", id, token } as const;
  });
}

/** Revokes one of the user's own tokens (the ownership check is in the update); false if there was none to revoke. */
export async function revokeApiToken(db: DB, userId: number, tokenId: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable("api_tokens")
      .set({ revoked_at: now.toISOString() })
      .where("id", "=", tokenId)
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .returning(["id", "name"])
      .executeTakeFirst();
    if (!revoked) return false;
    await audit(
      trx,
      { actorId: userId, action: "api-token.revoke", details: { tokenId: revoked.id, name: revoked.name } },
      now,
    );
    return true;
  });
}

/** Who a request's token acts for. */
export type ApiCaller = { tokenId: number; tokenName: string; userId: number };

/**
 * The live token a request presents, or null (missing, malformed, unknown or revoked: the API answers all
 * of them alike). Marks it used, at most once a minute.
 */
export async function authenticateApiToken(
  db: DB,
  presented: string | null,
  now = new Date(),
): Promise<ApiCaller | null> {
  if (!presented || !isWellFormedToken(presented)) return null;
  const row = await db
    .selectFrom("api_tokens")
    .select(["id", "name", "user_id", "last_used_at"])
    .where("token_hash", "=", hashToken(presented))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS).toISOString();
  if (row.last_used_at === null || row.last_used_at < stale) {
    await db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", row.id).execute();
  }
  return { tokenId: row.id, tokenName: row.name, userId: row.user_id };
}
