import type { DB } from "../../db/connection";

/**
 * Claims for scheduled jobs (app/jobs.server.ts), portable to PostgreSQL: a
 * conditional UPDATE that moves a job's `period_start` forward. Whichever
 * process's statement changes the row runs the job for that interval; every
 * other process's finds it already moved and changes nothing. The first claim
 * of a job ever is an INSERT that the primary key lets only one process make.
 */
export async function claimJobRun(
  db: DB,
  args: { name: string; periodStart: string; now: Date; runner: string },
): Promise<boolean> {
  const nowIso = args.now.toISOString();
  // A read first: in the common case (another process got there) no write lock is taken at all.
  const row = await db.selectFrom("job_runs").select("period_start").where("name", "=", args.name).executeTakeFirst();
  if (!row) {
    const inserted = await db
      .insertInto("job_runs")
      .values({
        name: args.name,
        period_start: args.periodStart,
        started_at: nowIso,
        finished_at: null,
        runner: args.runner,
        last_error: null,
      })
      .onConflict((oc) => oc.column("name").doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  if (row.period_start >= args.periodStart) return false;
  const updated = await db
    .updateTable("job_runs")
    .set({
      period_start: args.periodStart,
      started_at: nowIso,
      finished_at: null,
      runner: args.runner,
      last_error: null,
    })
    .where("name", "=", args.name)
    .where("period_start", "<", args.periodStart)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Records that the run of `periodStart` ended, with its error if it failed. */
export async function finishJobRun(
  db: DB,
  args: { name: string; periodStart: string; now: Date; error: string | null },
): Promise<void> {
  await db
    .updateTable("job_runs")
    .set({ finished_at: args.now.toISOString(), last_error: args.error })
    .where("name", "=", args.name)
    .where("period_start", "=", args.periodStart)
    .execute();
}

export async function listJobRuns(db: DB) {
  return db.selectFrom("job_runs").selectAll().orderBy("name").execute();
}
