import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig, type Config } from "../../app/config.server";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { foldCountsJob, JobScheduler } from "../../app/jobs.server";
import { createMailSender, MailWorker, workerOptions, type WorkerOptions } from "../../app/mail/worker.server";
import { checkpointInBackground } from "../../db/checkpoints";
import type { DB } from "../../db/connection";
import { freshDatabase } from "./database";
import { seedDemoPetitions } from "../../db/seed";
import { createApp, importBuild } from "../../server/app";
import { answerBeforeExpress } from "../../server/request-rules";

export const UNLIMITED_SIGNING = {
  LIMIT_ADDRESS_BURST: "1000000/60",
  LIMIT_ADDRESS: "1000000/3600",
  LIMIT_NETWORK: "1000000/3600",
  LIMIT_DOMAIN: "1000000/3600",
  LIMIT_ADDRESS_SITE: "1000000/3600",
};

/** A fresh, migrated database of the run's kind (tests/helpers/database.ts). */
export const tempDb = freshDatabase;

export type TestApp = {
  url: string;
  /** The HTTP server itself, for a test that watches what it answers. */
  server: http.Server;
  db: DB;
  config: Config;
  /** The database's DATABASE_URL: a SQLite file's path, or a postgres:// URL. */
  dbLocation: string;
  worker: MailWorker | null;
  /** The whole-page cache's clock (PAGE_CACHE_MS): real time plus every `advance`, so a test can age its pages at once. */
  pageCacheClock: { now(): number; advance(ms: number): void };
  /** The clock the forms' time stamps are made by: Date.now() plus every `advance`, so a test can age a stamp at once. */
  formStampClock: { now(): number; advance(ms: number): void };
  stop: () => Promise<void>;
};

/**
 * The real app (the production build from `remix build`) on a loopback port,
 * with its own database seeded with the demo campaigns and, when an SMTP URL
 * is given, a mail worker sending to it.
 */
export async function startTestApp(
  opts: {
    smtpUrl?: string;
    env?: Record<string, string>;
    worker?: WorkerOptions | false;
    /** Fold confirmations into the stored counts every second, as production does (counts read live either way). */
    foldCounts?: boolean;
  } = {},
): Promise<TestApp> {
  const { db, location, cleanup } = await tempDb();
  await seedDemoPetitions(db, renderMarkdown);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: location,
    APP_URL: url,
    PORT: String(port),
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    // Every test request comes from 127.0.0.1: the signing limits would hold most of them as
    // suspect. Tests of the limits themselves set their own (tests/integration/fraud*.test.ts).
    ...UNLIMITED_SIGNING,
    // Tests read a page right after changing what it shows: no page cache, unless a test asks for one.
    PAGE_CACHE_MS: "0",
    // The worker's pace in production (MAIL_RATE) would only slow the tests down.
    MAIL_RATE: "10000",
    // Test clients send forms back at once; tests/integration/form-timing.test.ts checks the timing itself.
    MIN_FILL_SECONDS: "0",
    ...opts.env,
  });
  const build = await importBuild();
  const pageCacheClock = movableClock(() => performance.now());
  const formStampClock = movableClock(() => Date.now());
  server.on("request", createApp({ config, db, getBuild: () => build, pageCacheClock, formStampClock }));
  answerBeforeExpress(server);
  // As server/main.ts does: checkpoints from a worker thread. A fallback is printed in the test output;
  // tests/integration/checkpoints.test.ts checks the worker itself.
  const checkpoints = checkpointInBackground(db, {
    onFallback: (reason) => console.error("test app: the checkpoint worker failed:", reason),
  });

  // As the scheduled jobs do: confirmations are folded into the stored counts, and goals tell the organizers.
  const folding =
    opts.foldCounts === false ? null : new JobScheduler(db, [foldCountsJob(db, config)], { log: () => {} });
  folding?.start();
  let worker: MailWorker | null = null;
  let sender: ReturnType<typeof createMailSender> | null = null;
  if (opts.worker !== false) {
    sender = createMailSender({ smtpUrl: config.smtpUrl, from: config.mailFrom, dkim: config.dkim });
    worker = new MailWorker(db, sender.send, {
      ...workerOptions(config),
      idleMs: 50,
      log: () => {},
      ...(opts.worker ?? {}),
    });
    worker.start();
  }
  return {
    url,
    server,
    db,
    config,
    dbLocation: location,
    worker,
    pageCacheClock,
    formStampClock,
    stop: async () => {
      await folding?.stop();
      await worker?.stop();
      sender?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await checkpoints?.stop();
      await cleanup();
    },
  };
}

/** A clock that reads `real` plus every `advance`. */
function movableClock(real: () => number) {
  let skipped = 0;
  return { now: () => real() + skipped, advance: (ms: number) => void (skipped += ms) };
}

/** Posts a form as a browser without JavaScript would, without following redirects. */
export async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}
