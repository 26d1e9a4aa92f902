import type { Kysely } from "kysely";

// An emailed update (or response) rendered once in each language but English, which stays in updates.email_*:
// each recipient gets the copy in their signature's language. Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("update_emails")
    .addColumn("update_id", "integer", (c) => c.notNull().references("updates.id").onDelete("cascade"))
    .addColumn("locale", "varchar(10)", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("update_emails_pk", ["update_id", "locale"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("update_emails").execute();
}
