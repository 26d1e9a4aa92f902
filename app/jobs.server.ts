import type { DB } from "../db/connection";
import type { Config } from "./config.server";
import { closeDuePetitions } from "./models/organize.server";
import { describeRetention, retentionChangedAnything, runRetention } from "./models/retention.server";

const MINUTE = 60_000;
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
  void run();
  void runDaily();
  const timer = setInterval(run, MINUTE);
  const daily = setInterval(runDaily, DAY);
  timer.unref();
  daily.unref();
  return () => {
    clearInterval(timer);
    clearInterval(daily);
  };
}
