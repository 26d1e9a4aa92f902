import type { DB } from "../db/connection";
import type { Config } from "./config.server";
import { closeDuePetitions } from "./models/organize.server";

const MINUTE = 60_000;

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
  void run();
  const timer = setInterval(run, MINUTE);
  timer.unref();
  return () => clearInterval(timer);
}
