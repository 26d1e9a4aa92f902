import type { Kysely } from "kysely";
import { idColumn } from "../dialect";

// Frozen in time: migrations use Kysely<any> so later schema changes never break them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("petitions")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("slug", "varchar(120)", (c) => c.notNull().unique())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("summary", "varchar(500)", (c) => c.notNull())
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("country", "varchar(2)")
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("goal", "integer")
    .addColumn("signature_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("opened_at", "varchar(30)")
    .addColumn("closes_at", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("petitions_status_idx").on("petitions").columns(["status", "signature_count"]).execute();

  await db.schema
    .createTable("decision_makers")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "varchar(200)", (c) => c.notNull())
    .addColumn("role", "varchar(200)")
    .execute();
  await db.schema
    .createIndex("decision_makers_petition_idx")
    .on("decision_makers")
    .columns(["petition_id", "position"])
    .execute();

  await db.schema
    .createTable("signatures")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("name", "varchar(100)", (c) => c.notNull())
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("canonical_email", "varchar(254)", (c) => c.notNull())
    .addColumn("country", "varchar(2)", (c) => c.notNull())
    .addColumn("postcode", "varchar(16)")
    .addColumn("name_display", "varchar(20)", (c) => c.notNull())
    .addColumn("updates_consent", "integer", (c) => c.notNull())
    .addColumn("consent_wording_version", "varchar(40)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("token_hash", "varchar(64)")
    .addColumn("token_expires_at", "varchar(30)")
    .addColumn("emails_sent", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .addColumn("confirmed_at", "varchar(30)")
    .execute();
  // One signature per person per petition, whatever the race: the database decides.
  await db.schema
    .createIndex("signatures_petition_canonical_email_key")
    .on("signatures")
    .columns(["petition_id", "canonical_email"])
    .unique()
    .execute();
  await db.schema.createIndex("signatures_token_hash_key").on("signatures").column("token_hash").unique().execute();
  await db.schema
    .createIndex("signatures_petition_status_idx")
    .on("signatures")
    .columns(["petition_id", "status", "confirmed_at"])
    .execute();

  await db.schema
    .createTable("country_counts")
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("country", "varchar(2)", (c) => c.notNull())
    .addColumn("signature_count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("country_counts_pkey", ["petition_id", "country"])
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("kind", "varchar(60)", (c) => c.notNull())
    .addColumn("to_address", "varchar(254)", (c) => c.notNull())
    .addColumn("subject", "varchar(300)", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("headers", "text")
    .addColumn("status", "varchar(20)", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "varchar(30)", (c) => c.notNull())
    .addColumn("locked_until", "varchar(30)")
    .addColumn("last_error", "text")
    .addColumn("message_id", "varchar(200)", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("sent_at", "varchar(30)")
    .execute();
  await db.schema.createIndex("outbox_due_idx").on("outbox").columns(["status", "next_attempt_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["outbox", "country_counts", "signatures", "decision_makers", "petitions"]) {
    await db.schema.dropTable(table).execute();
  }
}
