import type { Kysely } from "kysely";
import { idColumn } from "../dialect";

// Organizers' API tokens for the OSDI API, and where a signature came from (docs/decisions/0028-osdi.md).
// Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "varchar(60)", (c) => c.notNull())
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("last_used_at", "varchar(30)")
    .addColumn("revoked_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("api_tokens_user_idx").on("api_tokens").column("user_id").execute();

  // "web", or "api:<token name>" for a signature recorded through the OSDI helper; null before this column.
  await db.schema.alterTable("signatures").addColumn("source", "varchar(80)").execute();
  // OSDI referrer_data as JSON text (source, referrer, website, url), capped in size by the API.
  await db.schema.alterTable("signatures").addColumn("referrer_data", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("signatures").dropColumn("referrer_data").execute();
  await db.schema.alterTable("signatures").dropColumn("source").execute();
  await db.schema.dropTable("api_tokens").execute();
}
