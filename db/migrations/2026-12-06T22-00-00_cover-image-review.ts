import type { Kysely } from "kysely";

// A new or replaced cover image on a published petition waits for a moderator (docs/decisions/0007). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // The image waiting for a moderator, and when it was uploaded (the queue's order). The page keeps showing image_id.
  await db.schema.alterTable("petitions").addColumn("pending_image_id", "integer").execute();
  await db.schema.alterTable("petitions").addColumn("pending_image_at", "varchar(30)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("petitions").dropColumn("pending_image_at").execute();
  await db.schema.alterTable("petitions").dropColumn("pending_image_id").execute();
}
