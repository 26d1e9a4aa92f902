/** `npm run db:recount`: rebuilds every count from the confirmed signatures and reports any drift it repaired. */
import { loadConfig } from "../app/config.server";
import { recountAll } from "../app/models/counts.server";
import { createDb } from "../db/connection";
import { migrateToLatest } from "../db/migrate";

const config = loadConfig();
const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
await migrateToLatest(db);
const drifted = await recountAll(db);
if (drifted.length === 0) {
  console.log("All petition counts match their confirmed signatures. Country counts rebuilt.");
} else {
  for (const d of drifted) console.log(`${d.slug}: stored ${d.stored}, actual ${d.actual} (repaired)`);
  console.log(`Repaired ${drifted.length} petition count(s). Country counts rebuilt.`);
}
await db.destroy();
