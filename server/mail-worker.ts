/**
 * A mail worker process: sends the outbox and runs the scheduled jobs, on a
 * database connection of its own, so none of its queries waits behind the
 * web process's requests (docs/decisions/0021-mail-worker-process.md).
 * `npm start` forks one (MAIL_WORKER=process, the default); `npm run worker`
 * runs one by itself. Any number may run against one database: each message
 * is claimed before it is sent, and each job runs once per interval.
 */
import { ConfigError, loadConfig } from "../app/config.server";
import { startScheduledJobs } from "../app/jobs.server";
import { createProgressReporter } from "../app/mail/progress.server";
import { createMailSender, MailWorker, workerOptions } from "../app/mail/worker.server";
import { openDatabase } from "./database";

/** While an update goes out, a line this often: "update 12: 431,200 queued, 120,000 sent, 3 failed (512/s)". */
const PROGRESS_EVERY_MS = 5000;

export async function runMailWorker(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const db = await openDatabase(config);
  const sender = createMailSender({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    dkim: config.dkim,
    maxConnections: config.mailConnections,
  });
  const worker = new MailWorker(db, sender.send, workerOptions(config));
  worker.start();
  const jobs = startScheduledJobs(db, config);
  console.log(
    `Mail worker running (pid ${process.pid}): ${config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : "dev inbox only (no SMTP_URL)"}`,
  );
  // Forked by `npm start` (server/primary.ts): it waits for this before counting the worker as started.
  process.send?.({ type: "ready" });

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

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(progressTimer);
    // The round in progress ends first: what it sent is marked sent, what it did not is given back.
    await worker.stop();
    await jobs.stop();
    sender.close();
    await db.destroy();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown());
}
