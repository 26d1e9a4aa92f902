import type { Config } from "../app/config.server";
import { checkReachable, createDb, type DB } from "../db/connection";
import { migrateToLatest } from "../db/migrate";

/**
 * The database a server process uses, reachable and at the latest schema. A database that cannot be
 * reached stops the process with one line naming DATABASE_URL (its password hidden), not a stack trace.
 * Processes starting together migrate one at a time: the migrator takes a lock first.
 */
export async function openDatabase(config: Pick<Config, "databaseUrl" | "databasePoolSize">): Promise<DB> {
  const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
  try {
    await checkReachable(db, config.databaseUrl);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  await migrateToLatest(db);
  return db;
}
