/**
 * A process that runs the real JobScheduler (app/jobs.server.ts) on a test's
 * database with one short job, for tests/integration/scheduled-jobs.test.ts:
 * `node --import tsx tests/helpers/job-process.ts <database file> <interval ms>`.
 * It prints "ready", then a line for every claim it tries: "claim <period> won"
 * or "claim <period> lost", and "ran <period>" when its job ran.
 */
import { JobScheduler } from "../../app/jobs.server";
import { createDb } from "../../db/connection";

const [file, interval] = process.argv.slice(2);
const db = createDb(file);
const scheduler = new JobScheduler(
  db,
  [
    {
      name: "test-tick",
      everyMs: Number(interval),
      run: async (now) => {
        const period = new Date(Math.floor(now.getTime() / Number(interval)) * Number(interval)).toISOString();
        console.log(`ran ${period}`);
      },
    },
  ],
  // Every process tries at the very start of each interval: they collide on purpose.
  { jitterMs: 0, onClaim: (_job, period, won) => console.log(`claim ${period} ${won ? "won" : "lost"}`) },
);
scheduler.start();
console.log("ready");
// A timer that keeps the process alive: the scheduler's own do not.
const alive = setInterval(() => {}, 60_000);
process.on("SIGTERM", () => {
  clearInterval(alive);
  void scheduler
    .stop()
    .then(() => db.destroy())
    .then(() => process.exit(0));
});
