/**
 * `npm run worker`: sends the outbox on its own, for deployments that run the
 * web process with MAIL_WORKER=off. Safe beside an inline worker: each message
 * is claimed before it is sent.
 */
import { loadConfig } from "../app/config.server";
import { startScheduledJobs } from "../app/jobs.server";
import { createProgressReporter } from "../app/mail/progress.server";
import { createMailSender, MailWorker, workerOptions } from "../app/mail/worker.server";
import { createDb } from "../db/connection";
import { migrateToLatest } from "../db/migrate";

const config = loadConfig();
const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
await migrateToLatest(db);
const sender = createMailSender({ smtpUrl: config.smtpUrl, from: config.mailFrom, dkim: config.dkim });
const worker = new MailWorker(db, sender.send, workerOptions(config));
worker.start();
startScheduledJobs(db, config);
console.log(
  `Mail worker running: ${config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : "dev inbox only (no SMTP_URL)"}`,
);

// While an update goes out, a line every 5 s: "update 12: 431,200 queued, 120,000 sent, 3 failed (512/s)".
const PROGRESS_EVERY_MS = 5000;
const progress = createProgressReporter(db);
let reporting = false;
const progressTimer = setInterval(() => {
  if (reporting) return; // a slow count on a huge outbox must not pile up
  reporting = true;
  progress()
    .then((lines) => lines.forEach((line) => console.log(line)))
    .catch((err) => console.error(`progress: ${String(err)}`))
    .finally(() => (reporting = false));
}, PROGRESS_EVERY_MS);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    clearInterval(progressTimer);
    await worker.stop();
    sender.close();
    await db.destroy();
    process.exit(0);
  });
}
