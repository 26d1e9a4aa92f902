import type { Kysely } from "kysely";
import { idColumn } from "../dialect";

// Fraud defences, signer control and signing pauses. Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // A held signature never counts: "suspect" (over a limit, a moderator may release it) or
  // "invalidated" (by a bulk invalidation, which can be undone).
  await db.schema.alterTable("signatures").addColumn("hold", "varchar(20)").execute();
  await db.schema.alterTable("signatures").addColumn("hold_reason", "varchar(200)").execute();
  await db.schema.alterTable("signatures").addColumn("invalidation_id", "integer").execute();
  // Keyed hashes (HMAC) of the client address and its network: enough to group and limit, useless if leaked.
  await db.schema.alterTable("signatures").addColumn("ip_hash", "varchar(64)").execute();
  await db.schema.alterTable("signatures").addColumn("network_hash", "varchar(64)").execute();
  await db.schema.alterTable("signatures").addColumn("email_domain", "varchar(254)").execute();
  // The "manage my signature" key sent in every email about the signature.
  await db.schema.alterTable("signatures").addColumn("manage_token_hash", "varchar(64)").execute();
  await db.schema.alterTable("signatures").addColumn("manage_token_expires_at", "varchar(30)").execute();
  await db.schema.alterTable("signatures").addColumn("anonymised_at", "varchar(30)").execute();
  await db.schema
    .createIndex("signatures_manage_token_key")
    .on("signatures")
    .column("manage_token_hash")
    .unique()
    .execute();
  await db.schema
    .createIndex("signatures_petition_network_idx")
    .on("signatures")
    .columns(["petition_id", "network_hash", "created_at"])
    .execute();
  await db.schema
    .createIndex("signatures_petition_domain_idx")
    .on("signatures")
    .columns(["petition_id", "email_domain", "created_at"])
    .execute();
  await db.schema
    .createIndex("signatures_petition_created_idx")
    .on("signatures")
    .columns(["petition_id", "created_at"])
    .execute();

  await db.schema
    .createTable("invalidations")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("criteria", "text", (c) => c.notNull())
    .addColumn("matched", "integer", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("undone_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("undone_at", "varchar(30)")
    .execute();

  await db.schema.alterTable("petitions").addColumn("signing_paused_message", "varchar(500)").execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "varchar(60)", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("settings").execute();
  await db.schema.dropTable("invalidations").execute();
  await db.schema.alterTable("petitions").dropColumn("signing_paused_message").execute();
  for (const index of [
    "signatures_manage_token_key",
    "signatures_petition_network_idx",
    "signatures_petition_domain_idx",
    "signatures_petition_created_idx",
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of [
    "hold",
    "hold_reason",
    "invalidation_id",
    "ip_hash",
    "network_hash",
    "email_domain",
    "manage_token_hash",
    "manage_token_expires_at",
    "anonymised_at",
  ]) {
    await db.schema.alterTable("signatures").dropColumn(column).execute();
  }
}
