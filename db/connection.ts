import path from "node:path";
import { sql, type Kysely } from "kysely";
import { createPostgresDb, maskPassword } from "./postgres";
import type { Database } from "./schema";
import { createSqliteDb, scrubLog, scrubLogSoon } from "./sqlite";

/**
 * The database, or an open transaction on it: in Kysely a Transaction is a Kysely, so model functions take
 * a DB first and compose inside db.transaction().
 */
export type DB = Kysely<Database>;

/** Connections a process keeps open to PostgreSQL, unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the database at `location`: a postgres:// (or postgresql://) URL, or the path of a SQLite file
 * (created, with its folder, if it is not there). Everything above db/ is the same for both.
 */
export function createDb(location: string, opts: { poolSize?: number } = {}): DB {
  return isPostgresUrl(location)
    ? createPostgresDb(location, opts.poolSize ?? DEFAULT_POOL_SIZE)
    : createSqliteDb(location);
}

/** Where the database is, for a log line: the file's full path, or the URL without its password. */
export function describeDatabase(location: string): string {
  return isPostgresUrl(location) ? maskPassword(location) : path.resolve(location);
}

/**
 * Checks that the database answers, so that a process fails at start with a message naming DATABASE_URL
 * (its password hidden) instead of a stack trace at its first request.
 */
export async function checkReachable(db: DB, location: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    throw new Error(
      `Could not reach the database at DATABASE_URL=${describeDatabase(location)}: ${(err as Error).message || String(err)}`,
      { cause: err },
    );
  }
}

/**
 * After personal data was erased or overwritten: makes sure, within seconds, that no copy of it stays in the
 * database's files (SQLite: its log is cut back; what was deleted is already zeroed in the file). On
 * PostgreSQL old row versions live on until vacuum: see docs/decisions/0017-erasure-on-disk.md.
 */
export function forgetOnDisk(db: DB): void {
  scrubLogSoon(db);
}

/** The same, now, for a command that ends straight after (it may wait for readers in other processes). */
export async function forgetOnDiskNow(db: DB): Promise<void> {
  await scrubLog(db);
}
