/**
 * `npm run db:backup -- <file>`: a consistent copy of the SQLite database while the site runs (SQLite's
 * online backup: readers and writers carry on). For PostgreSQL use pg_dump (docs/deployment.md).
 */
import { loadConfig } from "../app/config.server";
import { createDb, describeDatabase, isPostgresUrl } from "../db/connection";
import { backupSqlite } from "../db/sqlite";

const target = process.argv[2];
if (!target) {
  console.error("Usage: npm run db:backup -- <file to write>");
  process.exit(2);
}
const config = loadConfig();
if (isPostgresUrl(config.databaseUrl)) {
  console.error("DATABASE_URL is a PostgreSQL database: back it up with pg_dump (see docs/deployment.md).");
  process.exit(2);
}
const db = createDb(config.databaseUrl);
const pages = await backupSqlite(db, target);
console.log(`Backed up ${describeDatabase(config.databaseUrl)} to ${target} (${pages} pages).`);
await db.destroy();
