import type { Kysely } from "kysely";
import { idColumn } from "../dialect";

// A campaign's title, summary and text in another language, written by its organizers
// (docs/decisions/0034-campaign-translations.md). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("petition_translations")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    // One of app/lib/i18n.ts LANGUAGES, never the campaign's own.
    .addColumn("language", "varchar(10)", (c) => c.notNull())
    .addColumn("title", "varchar(200)", (c) => c.notNull())
    .addColumn("summary", "varchar(400)", (c) => c.notNull())
    .addColumn("body_markdown", "text", (c) => c.notNull())
    // Rendered and sanitized like the campaign's own text (app/lib/markdown.server.ts).
    .addColumn("body_html", "text", (c) => c.notNull())
    // "pending": waits for a moderator (when moderation is on); "approved": shown; "declined": not shown.
    .addColumn("status", "varchar(20)", (c) => c.notNull().defaultTo("pending"))
    .addColumn("reviewed_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("reviewed_at", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("petition_translations_petition_language_key")
    .on("petition_translations")
    .columns(["petition_id", "language"])
    .unique()
    .execute();
  await db.schema
    .createIndex("petition_translations_status_idx")
    .on("petition_translations")
    .column("status")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("petition_translations").execute();
}
