import fs from "node:fs";
import http from "node:http";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { ConfigError, loadConfig } from "../app/config.server";
import { renderMarkdown } from "../app/lib/markdown.server";
import { startScheduledJobs, type JobScheduler } from "../app/jobs.server";
import { createMailSender, MailWorker, workerOptions } from "../app/mail/worker.server";
import { checkpointInBackground } from "../db/checkpoints";
import { describeDatabase } from "../db/connection";
import { seedDemoPetitions } from "../db/seed";
import { BUILD_PATH, createApp, importBuild } from "./app";
import { openDatabase } from "./database";
import type { Layout } from "./primary";
import { answerBeforeExpress } from "./request-rules";

/**
 * A web process: configuration, database, HTTP (and the mail worker too with
 * MAIL_WORKER=inline). `npm start` and `npm run dev` run one or more of these
 * (WEB_CONCURRENCY) under server/primary.ts.
 */
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

  const db = await openDatabase(config);
  // The write-ahead log is copied back into the database file off the thread that serves requests.
  const checkpoints = checkpointInBackground(db, {
    onFallback: (reason) => console.error("Checkpoints are back on the request thread:", reason),
  });
  if (config.seedDemo) {
    const added = await seedDemoPetitions(db, renderMarkdown);
    if (added) console.log(`Seeded ${added} demo campaigns.`);
  }

  // MAIL_WORKER=inline: this process sends the outbox too. By default a mail worker process of its own
  // does (server/primary.ts forks it), so that its queries never wait behind requests.
  let worker: MailWorker | null = null;
  let sender: ReturnType<typeof createMailSender> | null = null;
  let jobs: JobScheduler | null = null;
  if (config.mailWorker === "inline") {
    sender = createMailSender({
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      dkim: config.dkim,
      maxConnections: config.mailConnections,
    });
    worker = new MailWorker(db, sender.send, workerOptions(config));
    worker.start();
    jobs = startScheduledJobs(db, config);
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
  const server = http.createServer(app).listen(config.port, config.host, () => {
    const mail = config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : `the dev inbox at ${config.appUrl}/dev/mail`;
    console.log(
      `Undersigned is listening on ${config.appUrl} (database ${describeDatabase(config.databaseUrl)}, mail to ${mail})`,
    );
    if (isRemixDev) void broadcastDevReady(build);
    // Forked by `npm start` (server/primary.ts): it starts the other processes once this one is serving.
    // The first also tells it the layout, from the configuration this process checked.
    process.send?.({
      type: "ready",
      layout: { webConcurrency: config.webConcurrency, mailWorker: config.mailWorker, appUrl: config.appUrl },
    } satisfies { type: "ready"; layout: Layout });
  });
  answerBeforeExpress(server);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down (web process ${process.pid})`);
    server.close();
    await worker?.stop();
    await jobs?.stop();
    sender?.close();
    await checkpoints?.stop();
    await db.destroy();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
