import type { DB } from "../../db/connection";
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../db/schema";

/** Site-wide switches, as key and text value. */
export type SettingKey = "signing_paused_message";

export async function getSetting(db: DB, key: SettingKey): Promise<string | null> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setSetting(db: DB, key: SettingKey, value: string | null, now = new Date()): Promise<void> {
  if (value === null) {
    await db.deleteFrom("settings").where("key", "=", key).execute();
    return;
  }
  await db
    .insertInto("settings")
    .values({ key, value, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now.toISOString() }))
    .execute();
}

/**
 * Why signing is paused on this petition right now, or null if it is not:
 * a site-wide pause wins over a petition's own. `sitePaused` is the site-wide
 * message as read with the petition (sitePauseColumn).
 */
export function pauseMessage(
  sitePaused: string | null,
  petition: { signing_paused_message: string | null },
): string | null {
  return sitePaused ?? petition.signing_paused_message;
}

/**
 * The site-wide pause message as a column (a scalar subquery) of a query on
 * petitions, so that the campaign page and the sign POST read it with the
 * petition itself: one query instead of two, and never stale.
 */
export function sitePauseColumn(eb: ExpressionBuilder<Database, "petitions">) {
  return eb
    .selectFrom("settings")
    .select("value")
    .where("key", "=", "signing_paused_message" satisfies SettingKey)
    .as("site_paused_message");
}
