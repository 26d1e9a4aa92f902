/**
 * `npm run retention`: forgets what is past its time now, as the daily job
 * does (docs/decisions/0009-signer-data.md). `npm run retention -- --dry-run`
 * only counts and prints what would change.
 */
import { ConfigError, loadConfig, type Config } from "../app/config.server";
import { describeRetention, retentionCutoff, runRetention } from "../app/models/retention.server";
import { createDb, forgetOnDiskNow } from "../db/connection";
import { migrateToLatest } from "../db/migrate";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--dry-run");
if (unknown.length > 0) {
  console.error(`usage: npm run retention [-- --dry-run]\nUnknown argument: ${unknown.join(" ")}`);
  process.exit(2);
}
const dryRun = args.includes("--dry-run");

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
await migrateToLatest(db);
const months = config.retentionMonths;
const now = new Date();
const report = await runRetention(db, { months, now, dryRun });
console.log(
  `${dryRun ? "Dry run: nothing was changed. " : ""}Retention ${months} month(s): petitions that closed before ${retentionCutoff(now, months)}.`,
);
for (const line of describeRetention(report, { months, dryRun })) console.log(line);
// What was overwritten must not outlive this command in the database's log (docs/decisions/0017).
if (!dryRun) await forgetOnDiskNow(db);
await db.destroy();
