import { sql, type Kysely } from "kysely";
import { idColumn } from "../dialect";

// Counts kept as changes, signing limits in a table of our own, and review flags that do not stop a
// signature counting (docs/decisions/0016-counting.md, 0010-fraud-defences.md). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // A confirmation, withdrawal or fraud move adds a row here instead of updating the petition's row: on a
  // popular petition every signature would otherwise wait for the one before it to commit. A job folds the
  // rows into petitions.signature_count, country_counts and daily_counts every second or so; until then
  // readers add them up (app/models/counts.server.ts).
  await db.schema
    .createTable("count_changes")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("country", "varchar(2)", (c) => c.notNull())
    // The UTC day the signature was confirmed ("2026-12-06"): the dashboard's chart counts by it.
    .addColumn("day", "varchar(10)", (c) => c.notNull())
    .addColumn("delta", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("count_changes_petition_idx").on("count_changes").column("petition_id").execute();

  // Confirmed, counted signatures per petition and day, so that the dashboard's chart never reads every
  // signature of a petition.
  await db.schema
    .createTable("daily_counts")
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("day", "varchar(10)", (c) => c.notNull())
    .addColumn("signature_count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("daily_counts_pk", ["petition_id", "day"])
    .execute();
  await db
    .insertInto("daily_counts")
    .columns(["petition_id", "day", "signature_count"])
    .expression((eb) =>
      eb
        .selectFrom("signatures")
        .select(["petition_id", sql`substr(confirmed_at, 1, 10)`.as("day"), sql`count(*)`.as("signature_count")])
        .where("status", "=", "confirmed")
        .where("hold", "is", null)
        .where("confirmed_at", "is not", null)
        .groupBy(["petition_id", sql`substr(confirmed_at, 1, 10)`]),
    )
    .execute();

  // Signing limits: one fixed window per key, charged in the signature's own transaction. The table of the
  // same name that the rate-limiter-flexible library made at run time had other columns; its counts were
  // for windows of an hour at most, so nothing worth keeping is lost.
  await sql`drop table if exists rate_limits`.execute(db);
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "varchar(200)", (c) => c.primaryKey())
    .addColumn("points", "integer", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_limits_expires_idx").on("rate_limits").column("expires_at").execute();

  // Why a moderator may want to look at a signature that counts (over a signing limit, a form sent back
  // very fast). Unlike a hold, it never stops a confirmed signature from counting.
  await db.schema.alterTable("signatures").addColumn("review_reason", "varchar(200)").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("signatures").dropColumn("review_reason").execute();
  await db.schema.dropTable("rate_limits").execute();
  await db.schema.dropTable("daily_counts").execute();
  await db.schema.dropTable("count_changes").execute();
}
