/** `npm run db:migrate`: brings the database up to the latest schema (the server also does this at start). */
import { loadConfig } from "../app/config.server";
import { createDb } from "../db/connection";
import { migrateToLatest } from "../db/migrate";

const config = loadConfig();
const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
const { results } = await migrateToLatest(db);
for (const r of results ?? []) console.log(`${r.migrationName}: ${r.status}`);
if (!results?.length) console.log("Already up to date.");
await db.destroy();
