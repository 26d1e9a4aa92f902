import type { Kysely } from "kysely";

// A big campaign's dashboard figures, counted every few minutes off the request path
// (app/models/dashboard.server.ts tallyBigPetitions). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("petition_tallies")
    .addColumn("petition_id", "integer", (c) => c.primaryKey().references("petitions.id").onDelete("cascade"))
    .addColumn("confirmed", "integer", (c) => c.notNull())
    .addColumn("pending", "integer", (c) => c.notNull())
    .addColumn("subscribers", "integer", (c) => c.notNull())
    .addColumn("held", "integer", (c) => c.notNull())
    .addColumn("hidden", "integer", (c) => c.notNull())
    .addColumn("counted_at", "varchar(30)", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("petition_tallies").execute();
}
