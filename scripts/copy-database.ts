/**
 * `npm run db:copy -- --from data/undersigned.sqlite --to postgres://user:pass@host:5432/db`: moves a
 * deployment from SQLite to PostgreSQL. Copies every table into an empty database, ids and all, sets the
 * id sequences, checks the row counts and runs the recount, which must find nothing to repair.
 */
import { parseArgs } from "node:util";
import { recountAll } from "../app/models/counts.server";
import { createDb, describeDatabase } from "../db/connection";
import { copyDatabase } from "../db/copy";

const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" } } });
if (!values.from || !values.to) {
  console.error(
    "Usage: npm run db:copy -- --from <SQLite file or postgres:// URL> --to <postgres:// URL or SQLite file>",
  );
  process.exit(2);
}
const source = createDb(values.from);
const target = createDb(values.to);
let failed = false;
try {
  console.log(`Copying ${describeDatabase(values.from)} into ${describeDatabase(values.to)}...`);
  const report = await copyDatabase(source, target, (line) => console.log(`  ${line}`));
  const rows = report.reduce((n, t) => n + t.rows, 0);
  const drifted = await recountAll(target);
  if (drifted.length > 0) {
    failed = true;
    console.error(`The copy's counts differ from its signatures for ${drifted.length} petition(s):`);
    for (const d of drifted) console.error(`  ${d.slug}: shown ${d.stored}, confirmed ${d.actual}`);
  } else {
    console.log(
      `Copied ${rows} rows in ${report.length} tables; row counts match and the recount found nothing to repair.`,
    );
  }
} catch (err) {
  failed = true;
  console.error((err as Error).message);
} finally {
  await source.destroy();
  await target.destroy();
}
process.exit(failed ? 1 : 0);
