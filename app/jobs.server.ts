import type { DB } from "../db/connection";
import type { Config } from "./config.server";
import { closeDuePetitions } from "./models/organize.server";
import { describeRetention, retentionChangedAnything, runRetention } from "./models/retention.server";
import { foldCounts } from "./services/counting.server";

const MINUTE = 60_000;
/** How often confirmations are folded into the stored counts (readers add the rest themselves). */
export const COUNT_FOLD_MS = 1000;
const DAY = 24 * 60 * MINUTE;

/**
 * Jobs that run on a clock, in whichever process sends the mail (the web
 * process by default, or `npm run worker`). Each is safe to run in two
 * processes at once: it changes a row only if the row is still as it found it.
 */
export function startScheduledJobs(db: DB, config: Config, log: (line: string) => void = console.log): () => void {
  const run = async () => {
    try {
      const closed = await closeDuePetitions(db, { appUrl: config.appUrl });
      if (closed) log(`Closed ${closed} petition(s) whose closing date had passed.`);
    } catch (err) {
      log(`scheduled jobs: ${String(err)}`);
    }
  };
  // Retention (docs/decisions/0009-signer-data.md): at start, then once a day.
  const runDaily = async () => {
    try {
      const report = await runRetention(db, { months: config.retentionMonths });
      if (retentionChangedAnything(report)) {
        for (const line of describeRetention(report, { months: config.retentionMonths })) log(`retention: ${line}`);
      }
    } catch (err) {
      log(`retention: ${String(err)}`);
    }
  };
  const stopFolding = startCountFolding(db, config, log);
  void run();
  void runDaily();
  const timer = setInterval(run, MINUTE);
  const daily = setInterval(runDaily, DAY);
  timer.unref();
  daily.unref();
  return () => {
    clearInterval(timer);
    clearInterval(daily);
    stopFolding();
  };
}

/** Folds confirmations into the stored counts every COUNT_FOLD_MS (app/services/counting.server.ts). */
export function startCountFolding(
  db: DB,
  config: Pick<Config, "appUrl">,
  log: (line: string) => void = console.log,
): () => void {
  let folding = false;
  const fold = async () => {
    if (folding) return;
    folding = true;
    try {
      await foldCounts(db, { appUrl: config.appUrl });
    } catch (err) {
      log(`counts: ${String(err)}`);
    } finally {
      folding = false;
    }
  };
  const timer = setInterval(fold, COUNT_FOLD_MS);
  timer.unref();
  return () => clearInterval(timer);
}
