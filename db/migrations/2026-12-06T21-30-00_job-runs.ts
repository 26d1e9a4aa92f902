import type { Kysely } from "kysely";

// Scheduled jobs run once per interval across every process (app/jobs.server.ts). Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("job_runs")
    .addColumn("name", "varchar(60)", (c) => c.primaryKey())
    .addColumn("period_start", "varchar(30)", (c) => c.notNull())
    .addColumn("started_at", "varchar(30)", (c) => c.notNull())
    .addColumn("finished_at", "varchar(30)")
    .addColumn("runner", "varchar(200)", (c) => c.notNull())
    .addColumn("last_error", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_runs").execute();
}
