import type { Kysely } from "kysely";

// Bulk email at scale (the bulk-email benchmark). Indexes only. Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // A petition's subscribers in id order: each queueing step (queueUpdateBatch) reads the next batch
  // after its cursor from here. Without it, every step read and sorted all the petition's confirmed
  // signatures: about 0.4 s a step at a million, 200 s to queue them all; with it, about 5 ms a step.
  await db.schema
    .createIndex("signatures_petition_subscribers_idx")
    .on("signatures")
    .columns(["petition_id", "status", "updates_consent", "id"])
    .execute();
  // Email someone is waiting for (a confirmation, a sign-in link) goes before an update's bulk mail:
  // the worker reads due messages without an update_id from here, in the order they fell due.
  await db.schema
    .createIndex("outbox_transactional_due_idx")
    .on("outbox")
    .columns(["status", "update_id", "next_attempt_at", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("outbox_transactional_due_idx").execute();
  await db.schema.dropIndex("signatures_petition_subscribers_idx").execute();
}
