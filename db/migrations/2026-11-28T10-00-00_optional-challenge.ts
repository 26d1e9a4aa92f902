import type { Kysely } from "kysely";

// The optional proof-of-work challenge on a campaign under attack (ADR 0013). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // When a moderator switched the challenge on; null while it is off. A time rather than a flag, so the
  // moderators' page can say since when, at no extra cost (the audit log keeps the whole history).
  await db.schema.alterTable("petitions").addColumn("challenge_required_since", "varchar(30)").execute();

  // Challenges whose solutions have been spent, so that each solves for one signature only. Kept only
  // until the challenge expires (after that it is refused as expired anyway); the daily retention job
  // deletes the rest. Nothing personal: a hash of the challenge's own random signature.
  await db.schema
    .createTable("spent_challenges")
    .addColumn("challenge_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("spent_challenges_expires_idx").on("spent_challenges").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("spent_challenges").execute();
  await db.schema.alterTable("petitions").dropColumn("challenge_required_since").execute();
}
