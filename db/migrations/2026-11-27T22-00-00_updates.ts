import type { Kysely } from "kysely";
import { idColumn } from "../dialect";

// Updates to signers, bulk email and suppressions. Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("updates")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("published_at", "varchar(30)")
    .addColumn("email_status", "varchar(20)", (c) => c.notNull().defaultTo("none"))
    .addColumn("email_subject", "varchar(300)")
    .addColumn("email_html", "text")
    .addColumn("email_text", "text")
    .addColumn("email_queued_at", "varchar(30)")
    .addColumn("queue_cursor", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("recipients", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("stopped_at", "varchar(30)")
    .addColumn("stopped_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("updates_petition_idx")
    .on("updates")
    .columns(["petition_id", "status", "published_at"])
    .execute();
  await db.schema.createIndex("updates_email_status_idx").on("updates").column("email_status").execute();

  // An update's email to a signer is one outbox row; the pair is unique, so a second copy cannot exist.
  await db.schema.alterTable("outbox").addColumn("update_id", "integer").execute();
  await db.schema.alterTable("outbox").addColumn("signature_id", "integer").execute();
  await db.schema
    .createIndex("outbox_update_signature_key")
    .on("outbox")
    .columns(["update_id", "signature_id"])
    .unique()
    .execute();

  // Addresses the site never mails again: a permanent SMTP failure, or "stop all email from this site".
  await db.schema
    .createTable("suppressions")
    .addColumn("canonical_email", "varchar(254)", (c) => c.primaryKey())
    .addColumn("reason", "varchar(40)", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("suppressions").execute();
  await db.schema.dropIndex("outbox_update_signature_key").execute();
  await db.schema.alterTable("outbox").dropColumn("signature_id").execute();
  await db.schema.alterTable("outbox").dropColumn("update_id").execute();
  await db.schema.dropTable("updates").execute();
}
