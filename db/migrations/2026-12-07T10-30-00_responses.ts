import type { Kysely } from "kysely";
import { idColumn } from "../dialect";

// Decision makers hear from us and answer in public (docs/decisions/0029-decision-maker-responses.md).
// Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // Where and when a decision maker is sent the petition. The address is personal data: it is never shown
  // publicly and is forgotten with the signers' details when the petition passes its retention time.
  await db.schema.alterTable("decision_makers").addColumn("contact_email", "varchar(254)").execute();
  // When the address last changed: a manual delivery to a new address is not held back by the last one.
  await db.schema.alterTable("decision_makers").addColumn("contact_updated_at", "varchar(30)").execute();
  // "goal": at each goal the petition reaches; "counts": at the counts in deliver_counts; "manual": never by itself.
  await db.schema
    .alterTable("decision_makers")
    .addColumn("deliver_at", "varchar(10)", (c) => c.notNull().defaultTo("goal"))
    .execute();
  // Ascending whole numbers separated by commas, e.g. "10000,100000".
  await db.schema.alterTable("decision_makers").addColumn("deliver_counts", "varchar(200)").execute();

  // One row per time the petition was sent to a decision maker, with the private link that came with it.
  await db.schema
    .createTable("deliveries")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("decision_maker_id", "integer", (c) => c.notNull().references("decision_makers.id").onDelete("cascade"))
    // The count that triggered it, or null when an organizer pressed "Deliver".
    .addColumn("milestone", "integer")
    .addColumn("signature_count", "integer", (c) => c.notNull())
    // SHA-256 of the response link's token; null once the petition is past retention (the link is dead).
    .addColumn("token_hash", "varchar(64)")
    // The email in the outbox; its copy is deleted 30 days after sending, and mail_status keeps the outcome.
    .addColumn("outbox_id", "integer")
    .addColumn("mail_status", "varchar(20)")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    // The first press of the link's button (opening the link alone counts for nothing: mail scanners open links).
    .addColumn("opened_at", "varchar(30)")
    .addColumn("revoked_at", "varchar(30)")
    .execute();
  // Once per milestone per decision maker, whatever the count does afterwards. Manual deliveries (a null
  // milestone) are distinct from each other on both databases.
  await db.schema
    .createIndex("deliveries_maker_milestone_key")
    .on("deliveries")
    .columns(["decision_maker_id", "milestone"])
    .unique()
    .execute();
  await db.schema.createIndex("deliveries_token_hash_key").on("deliveries").column("token_hash").unique().execute();
  await db.schema.createIndex("deliveries_petition_idx").on("deliveries").column("petition_id").execute();

  await db.schema
    .createTable("responses")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("decision_maker_id", "integer", (c) => c.notNull().references("decision_makers.id").onDelete("cascade"))
    // "decision_maker": written through the private link; "organizer": recorded by an organizer from elsewhere.
    .addColumn("source", "varchar(20)", (c) => c.notNull())
    .addColumn("delivery_id", "integer", (c) => c.references("deliveries.id").onDelete("set null"))
    .addColumn("recorded_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    // The name and title as the response should be signed.
    .addColumn("name", "varchar(200)", (c) => c.notNull())
    .addColumn("title", "varchar(200)")
    .addColumn("body_markdown", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    // The day the response was given ("2027-03-03"): the day of publication, or the letter's date.
    .addColumn("responded_on", "varchar(10)", (c) => c.notNull())
    .addColumn("source_url", "varchar(500)")
    .addColumn("published_at", "varchar(30)", (c) => c.notNull())
    // The random key of the form that published it: a form sent twice publishes once.
    .addColumn("form_key", "varchar(64)", (c) => c.notNull())
    // The update that emails it to subscribers, or null if it was not emailed.
    .addColumn("update_id", "integer", (c) => c.references("updates.id").onDelete("set null"))
    .addColumn("hidden_at", "varchar(30)")
    .addColumn("hidden_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("hidden_reason", "varchar(1000)")
    .execute();
  await db.schema.createIndex("responses_form_key_key").on("responses").column("form_key").unique().execute();
  await db.schema
    .createIndex("responses_petition_idx")
    .on("responses")
    .columns(["petition_id", "published_at"])
    .execute();
  await db.schema.createIndex("responses_maker_idx").on("responses").column("decision_maker_id").execute();
  await db.schema.createIndex("responses_update_idx").on("responses").column("update_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("responses").execute();
  await db.schema.dropTable("deliveries").execute();
  for (const column of ["deliver_counts", "deliver_at", "contact_updated_at", "contact_email"]) {
    await db.schema.alterTable("decision_makers").dropColumn(column).execute();
  }
}
