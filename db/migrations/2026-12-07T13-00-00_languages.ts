import type { Kysely } from "kysely";

// Every page and email is in the person's language (app/lib/i18n.ts). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // The language the signer signed in: every email to them (confirmation, manage links, updates, responses) is in it.
  await db.schema
    .alterTable("signatures")
    .addColumn("locale", "varchar(10)", (c) => c.notNull().defaultTo("en"))
    .execute();
  // The language a campaign is written in, which its organizer picks: its text carries it as `lang`.
  await db.schema
    .alterTable("petitions")
    .addColumn("language", "varchar(10)", (c) => c.notNull().defaultTo("en"))
    .execute();
  // An organizer's or a moderator's language, for the emails they get: the one they last chose on the site.
  await db.schema
    .alterTable("users")
    .addColumn("locale", "varchar(10)", (c) => c.notNull().defaultTo("en"))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("locale").execute();
  await db.schema.alterTable("petitions").dropColumn("language").execute();
  await db.schema.alterTable("signatures").dropColumn("locale").execute();
}
