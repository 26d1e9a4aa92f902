import fs from "node:fs";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { ConfigError, loadConfig } from "../app/config.server";
import { renderMarkdown } from "../app/lib/markdown.server";
import { startScheduledJobs } from "../app/jobs.server";
import { createMailSender, MailWorker, workerOptions } from "../app/mail/worker.server";
import { checkpointInBackground } from "../db/checkpoints";
import { checkReachable, createDb, describeDatabase } from "../db/connection";
import { migrateToLatest } from "../db/migrate";
import { seedDemoPetitions } from "../db/seed";
import { BUILD_PATH, createApp, importBuild } from "./app";
import { answerBeforeExpress } from "./request-rules";

/** Starts the site: configuration, database, mail worker, HTTP. `npm start` and `npm run dev` run this. */
async function main() {
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

  const db = createDb(config.databaseUrl, { poolSize: config.databasePoolSize });
  try {
    await checkReachable(db, config.databaseUrl);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
  await migrateToLatest(db);
  // The write-ahead log is copied back into the database file off the thread that serves requests.
  const checkpoints = checkpointInBackground(db, {
    onFallback: (reason) => console.error("Checkpoints are back on the request thread:", reason),
  });
  if (config.seedDemo) {
    const added = await seedDemoPetitions(db, renderMarkdown);
    if (added) console.log(`Seeded ${added} demo campaigns.`);
  }

  let worker: MailWorker | null = null;
  let sender: ReturnType<typeof createMailSender> | null = null;
  if (config.mailWorker === "inline") {
    sender = createMailSender({ smtpUrl: config.smtpUrl, from: config.mailFrom, dkim: config.dkim });
    worker = new MailWorker(db, sender.send, workerOptions(config));
    worker.start();
    startScheduledJobs(db, config);
  }

  // Under `remix dev` the build changes while we run: load the newest one on each request.
  const isRemixDev = Boolean(process.env.REMIX_DEV_ORIGIN);
  let build = await importBuild();
  let buildStamp = fs.statSync(BUILD_PATH).mtimeMs;
  const getBuild = async (): Promise<ServerBuild> => {
    if (!isRemixDev) return build;
    const stamp = fs.statSync(BUILD_PATH).mtimeMs;
    if (stamp !== buildStamp) {
      buildStamp = stamp;
      build = await importBuild(`?t=${stamp}`);
      await broadcastDevReady(build);
    }
    return build;
  };

  const app = createApp({ config, db, getBuild });
  const server = app.listen(config.port, config.host, () => {
    const mail = config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : `the dev inbox at ${config.appUrl}/dev/mail`;
    console.log(
      `Undersigned is listening on ${config.appUrl} (database ${describeDatabase(config.databaseUrl)}, mail to ${mail})`,
    );
    if (isRemixDev) void broadcastDevReady(build);
  });
  answerBeforeExpress(server);

  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    server.close();
    await worker?.stop();
    sender?.close();
    await checkpoints?.stop();
    await db.destroy();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
