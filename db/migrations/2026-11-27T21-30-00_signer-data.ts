import type { Kysely } from "kysely";

// Signers' control over their data, and retention. Indexes only. Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // "Send me my manage links" finds a mailbox's signatures on every petition.
  await db.schema.createIndex("signatures_canonical_email_idx").on("signatures").column("canonical_email").execute();
  // Retention reads a petition's not-yet-anonymised rows a batch at a time; once anonymised they leave this range.
  await db.schema
    .createIndex("signatures_petition_anonymised_idx")
    .on("signatures")
    .columns(["petition_id", "anonymised_at"])
    .execute();
  // The daily cap on manage-link emails, and removing a signer's copies of sent mail.
  await db.schema.createIndex("outbox_to_address_idx").on("outbox").columns(["to_address", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    "signatures_canonical_email_idx",
    "signatures_petition_anonymised_idx",
    "outbox_to_address_idx",
  ]) {
    await db.schema.dropIndex(index).execute();
  }
}
