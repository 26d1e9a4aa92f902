import type { Executor } from "./outbox.server";

/** Site-wide switches, as key and text value. */
export type SettingKey = "signing_paused_message";

export async function getSetting(db: Executor, key: SettingKey): Promise<string | null> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setSetting(db: Executor, key: SettingKey, value: string | null, now = new Date()): Promise<void> {
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
 * a site-wide pause wins over a petition's own.
 */
export async function signingPause(db: Executor, petition: { signing_paused_message: string | null }): Promise<string | null> {
  return (await getSetting(db, "signing_paused_message")) ?? petition.signing_paused_message;
}
