import { Migrator, sql, type MigrationResultSet } from "kysely";
import type { DB } from "./connection";
import { dialectOf } from "./dialect";
import { migrations } from "./migrations/index";

/**
 * Brings the database to the latest schema. Processes that start together take turns: on PostgreSQL Kysely's
 * migrator holds an advisory lock inside its transaction. On SQLite it takes no lock and runs no transaction
 * (it takes the database to be one process's), so two processes starting at once would both run the same
 * migration: here the whole run is one transaction that takes the write lock first (BEGIN IMMEDIATE), and the
 * second process waits for it under the busy timeout, then finds nothing left to do. A failed migration
 * leaves the schema as it was, on both.
 */
export async function migrateToLatest(db: DB): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const sqlite = dialectOf(db) === "sqlite";
  // SQLite's one connection: these statements and the migrator's run on it in turn.
  if (sqlite) await sql`begin immediate`.execute(db);
  let result: MigrationResultSet;
  try {
    result = await migrator.migrateToLatest();
  } catch (err) {
    if (sqlite) await sql`rollback`.execute(db);
    throw err;
  }
  if (sqlite) await (result.error ? sql`rollback` : sql`commit`).execute(db);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}
