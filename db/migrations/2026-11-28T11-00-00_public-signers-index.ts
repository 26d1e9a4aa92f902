import { sql, type Kysely } from "kysely";

// The campaign page's "Recent signers" (recentPublicSigners). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // Only the signatures the list can show: confirmed, not held, with a name shown, newest first per petition.
  // With only (petition_id, status, confirmed_at) the query walked back through every confirmed signature to
  // find ten that show a name: when none of a million did, 1.2 s a page. Here it reads at most the ten it shows.
  // The query must name these conditions as literals, not parameters, for SQLite to use a partial index.
  // Its columns are those of signatures_petition_status_idx, which the query could use as well: with equal
  // costs and no statistics SQLite takes the index created last, this one (and, after ANALYZE, this one too).
  // tests/integration/public-signers.test.ts checks the plan.
  await db.schema
    .createIndex("signatures_petition_public_signers_idx")
    .on("signatures")
    .columns(["petition_id", "status", "confirmed_at"])
    // (sql.ref: the builder's types only offer the indexed columns here.) Pending signatures are not in it,
    // so the sign POST's insert never writes to it.
    .where(sql.ref("status"), "=", "confirmed")
    .where(sql.ref("hold"), "is", null)
    .where(sql.ref("name_display"), "!=", "hidden")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("signatures_petition_public_signers_idx").execute();
}
