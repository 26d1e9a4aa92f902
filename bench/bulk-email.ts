/**
 * The bulk-email part of `npm run bench` (BENCH_ONLY=bulk runs it alone): an
 * update emailed to a million subscribers of one campaign. It measures how
 * long the worker takes to queue them all, how fast it then sends, and what
 * that does to the campaign page's latency. See bench/README.md.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import SQLite from "better-sqlite3";
import { renderMarkdown } from "../app/lib/markdown.server";
import { workerOptions } from "../app/mail/worker.server";
import { createUpdate, publishUpdate } from "../app/models/update.server";
import { findOrCreateUser } from "../app/models/user.server";
import { createDb } from "../db/connection";
import { migrateToLatest } from "../db/migrate";
import { seedDemoPetitions } from "../db/seed";
import { insertSubscribers } from "./database";
import { runScenario, type LoadSettings, type RunFigures } from "./load";
import { bulkEmailQueryPlans, fullScanSigns, type QueryPlan } from "./query-plans";
import {
  HOST,
  ServerTree,
  freePort,
  readCpuMs,
  startNodeChild,
  tailOf,
  waitForHttp,
  waitForTcp,
  type Child,
} from "./processes";
import type { Verdict } from "./report";

export const BULK_TARGETS = {
  /** Seconds to queue every subscriber of the update. */
  queueSeconds: 60,
  /** Messages a second the worker sends once queued. */
  drainPerSecond: 500,
  /** The campaign page's p99 while the update is queued and sent, as a multiple of its p99 at rest. */
  pageP99Ratio: 2,
};

export type BulkSettings = {
  subscribers: number;
  /** MAIL_RATE given to the worker. */
  mailRate: number;
  /** Length of the window over which the sending rate is measured. */
  drainSeconds: number;
  /** Give up waiting for the queueing after this long (it is then reported as it stood). */
  queueTimeoutSeconds: number;
  /** The worker process's nice value (0: the same priority as the web process). */
  workerNice: number;
};

export type BulkResults = {
  settings: BulkSettings & { slug: string; worker: string; batchSize: number | string; concurrency: number | string };
  seedSeconds: number;
  /** Seconds from publishing until every recipient was in the outbox (null: not within the timeout). */
  queueSeconds: number | null;
  queued: number;
  queuedPerSecond: number;
  /** Sent during the queueing (the worker sends between queueing steps). */
  sentWhileQueueing: number;
  /** CPU time the worker process used per message sent in the window: steadier than the rate on a busy machine. */
  drain: {
    seconds: number;
    sent: number;
    perSecond: number;
    workerCpuMsPerMessage: number | null;
    sinkCpuMsPerMessage: number | null;
  };
  pageAtRest: RunFigures;
  pageWhileSending: RunFigures;
  pageP99Ratio: number;
  /** Outbox rows of the update, and how many distinct signatures they go to (equal: nobody twice). */
  outbox: { rows: number; distinctSignatures: number; byStatus: Record<string, number> };
  sinkReceived: number | null;
  queryPlans: QueryPlan[];
  workerRssMb: number | null;
  targets: Verdict[];
  checks: Verdict[];
  pass: boolean;
};

type Env = (extra: Record<string, string>) => NodeJS.ProcessEnv;

function log(line: string) {
  console.log(`[bench] ${line}`);
}

/** A fresh, migrated database with the demo campaigns, an organizer for `slug`, and `count` subscribers on it. */
async function prepareDatabase(dbFile: string, slug: string, count: number) {
  const db = createDb(dbFile);
  try {
    await migrateToLatest(db);
    await seedDemoPetitions(db, renderMarkdown);
    const petition = await db.selectFrom("petitions").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    const organizer = await findOrCreateUser(db, "bench-organizer@example.org");
    await db
      .insertInto("petition_organizers")
      .values({ petition_id: petition.id, user_id: organizer.id, role: "owner", created_at: new Date().toISOString() })
      .execute();
    // The demo seed's own mail (none today) would only blur the figures.
    await db.updateTable("outbox").set({ status: "cancelled" }).where("status", "=", "pending").execute();
  } finally {
    await db.destroy();
  }
  const started = Date.now();
  insertSubscribers(dbFile, slug, count);
  return (Date.now() - started) / 1000;
}

/** Outbox figures of one update, read on a connection of our own. */
function outboxOf(sqlite: SQLite.Database, updateId: number) {
  const byStatus = Object.fromEntries(
    (
      sqlite.prepare("SELECT status, COUNT(*) AS n FROM outbox WHERE update_id = ? GROUP BY status").all(updateId) as {
        status: string;
        n: number;
      }[]
    ).map((r) => [r.status, r.n]),
  );
  return byStatus as Record<string, number>;
}

function sinkCount(logFile: string): number | null {
  const match = /smtp sink: (\d+) messages received/.exec(
    fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "",
  );
  return match ? Number(match[1]) : null;
}

export async function measureBulkEmail(opts: {
  tmp: string;
  slug: string;
  load: Omit<LoadSettings, "origin">;
  bulk: BulkSettings;
  /** The app's environment with nothing inherited from the shell (run.ts's cleanEnv). */
  env: Env;
  /** NODE_ENV for the app and the worker, or "" for unset. */
  nodeEnv: string;
}): Promise<BulkResults> {
  const { tmp, slug, bulk } = opts;
  const dbFile = path.join(tmp, "bulk.sqlite");
  log(`bulk email: seeding ${bulk.subscribers.toLocaleString("en-GB")} confirmed subscribers on ${slug}`);
  const seedSeconds = await prepareDatabase(dbFile, slug, bulk.subscribers);
  log(`bulk email: seeded in ${seedSeconds.toFixed(1)} s`);

  const children: Child[] = [];
  const sqlite = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  const db = createDb(dbFile);
  try {
    const smtpPort = await freePort();
    const sink = startNodeChild(
      "smtp sink",
      "bench/smtp-sink.ts",
      opts.env({ PORT: String(smtpPort) }),
      path.join(tmp, "bulk-smtp.log"),
    );
    children.push(sink);
    await waitForTcp(smtpPort, sink);

    const port = await freePort();
    const origin = `http://${HOST}:${port}`;
    const shared = {
      DATABASE_URL: dbFile,
      APP_URL: origin,
      SMTP_URL: `smtp://${HOST}:${smtpPort}`,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      ...(opts.nodeEnv ? { NODE_ENV: opts.nodeEnv } : {}),
    };
    // The web process leaves the mail to `npm run worker`, as a deployment that sends in bulk would.
    const app = startNodeChild(
      "app server (bulk)",
      "server/start.ts",
      opts.env({ ...shared, PORT: String(port), HOST, SEED_DEMO: "0", MAIL_WORKER: "off" }),
      path.join(tmp, "bulk-app.log"),
    );
    children.push(app);
    await waitForHttp(`${origin}/healthz`, app, 90_000);
    await waitForHttp(`${origin}/petitions/${slug}`, app, 10_000);
    // The server is a primary and its web process (MAIL_WORKER=off): the CPU time of both.
    const tree = new ServerTree(app.pid);
    const s = { ...opts.load, origin, serverCpuMs: () => tree.cpuMs() };
    const pageScenario = (key: string, label: string) => ({
      key,
      label,
      method: "GET" as const,
      path: `/petitions/${slug}`,
      expect: "2xx" as const,
      maxRequests: (opts.load.seconds + opts.load.warmupSeconds) * 50_000,
    });

    log(
      `bulk email: campaign page at rest (${bulk.subscribers.toLocaleString("en-GB")} signatures, no mail going out)`,
    );
    const pageAtRest = await runScenario(pageScenario("bulkPageAtRest", "campaign page, at rest"), s);

    const worker = startNodeChild(
      "mail worker",
      "scripts/worker.ts",
      opts.env({ ...shared, MAIL_RATE: String(bulk.mailRate) }),
      path.join(tmp, "bulk-worker.log"),
    );
    children.push(worker);
    // As `nice -n N npm run worker` would: the web process wins when both want the CPU.
    if (bulk.workerNice) os.setPriority(worker.pid, bulk.workerNice);
    const workerDeadline = Date.now() + 60_000;
    while (!/Mail worker running/.test(tailOf(worker.logFile, 50))) {
      if (worker.exited() || Date.now() > workerDeadline)
        throw new Error(`the mail worker did not start:\n${tailOf(worker.logFile)}`);
      await sleep(100);
    }

    // Publish with email through the model, as the organizer's button does.
    const petition = await db.selectFrom("petitions").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
    const organizer = await findOrCreateUser(db, "bench-organizer@example.org");
    const updateId = await createUpdate(db, {
      petitionId: petition.id,
      userId: organizer.id,
      input: { title: "We handed in the petition", body: "Thank you all. **Next:** the minister answers on Monday." },
    });
    if (updateId === null) throw new Error("bulk email: could not create the update");
    const published = Date.now();
    const outcome = await publishUpdate(db, {
      updateId,
      userId: organizer.id,
      email: true,
      minIntervalMs: 0,
      site: { appUrl: origin },
    });
    if (outcome !== "published") throw new Error(`bulk email: publishing gave ${outcome}`);
    log(`bulk email: update ${updateId} published; the worker queues and sends while the campaign page is loaded`);

    // Watch the queueing while the page is under load (and after, until it is done or the timeout).
    const readUpdate = sqlite.prepare("SELECT email_status, recipients FROM updates WHERE id = ?");
    const countSent = sqlite.prepare("SELECT COUNT(*) AS n FROM outbox WHERE update_id = ? AND status = 'sent'");
    const sentNow = () => (countSent.get(updateId) as { n: number }).n;
    let queueSeconds: number | null = null;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const u = readUpdate.get(updateId) as { email_status: string; recipients: number };
        if (u.email_status !== "queuing") {
          queueSeconds = (Date.now() - published) / 1000;
          return;
        }
        if (Date.now() - published > bulk.queueTimeoutSeconds * 1000) return;
        await sleep(50);
      }
    })();
    const pageWhileSending = await runScenario(
      pageScenario("bulkPageWhileSending", "campaign page, update going out"),
      s,
    );
    const sentAfterPageRun = sentNow();
    await watcher;
    watching = false;
    const queuedRow = readUpdate.get(updateId) as { email_status: string; recipients: number };
    const sentWhileQueueing = sentNow();
    const queueElapsed = queueSeconds ?? (Date.now() - published) / 1000;
    log(
      queueSeconds === null
        ? `bulk email: queueing NOT finished after ${queueElapsed.toFixed(1)} s (${queuedRow.recipients.toLocaleString("en-GB")} queued)`
        : `bulk email: ${queuedRow.recipients.toLocaleString("en-GB")} queued in ${queueElapsed.toFixed(1)} s; ${sentAfterPageRun} sent by the end of the page run`,
    );

    log(`bulk email: measuring the sending rate over ${bulk.drainSeconds} s`);
    const drainStart = Date.now();
    const sentBefore = sentNow();
    const cpuBefore = { worker: readCpuMs(worker.pid), sink: readCpuMs(sink.pid) };
    await sleep(bulk.drainSeconds * 1000);
    const sentAfter = sentNow();
    const cpuAfter = { worker: readCpuMs(worker.pid), sink: readCpuMs(sink.pid) };
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const perMessage = (before: number | null, after: number | null) =>
      before !== null && after !== null && sentAfter > sentBefore
        ? Math.round(((after - before) / (sentAfter - sentBefore)) * 1000) / 1000
        : null;
    const workerRss = readRss(worker.pid);

    await worker.stop();
    await app.stop();
    await sink.stop();
    const byStatus = outboxOf(sqlite, updateId);
    const totals = sqlite
      .prepare(
        "SELECT COUNT(*) AS rows, COUNT(DISTINCT signature_id) AS distinctSignatures FROM outbox WHERE update_id = ?",
      )
      .get(updateId) as {
      rows: number;
      distinctSignatures: number;
    };
    const sentAll = (sqlite.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'").get() as { n: number }).n;
    const sinkReceived = sinkCount(sink.logFile);
    // The worker's settings as scripts/worker.ts makes them from its configuration.
    const options = workerOptions({ appUrl: origin, unsubscribeSecret: "", mailRate: bulk.mailRate });
    const queryPlans = await bulkEmailQueryPlans(dbFile, {
      updateId,
      petitionId: petition.id,
      batchSize: options.batchSize ?? 20,
    });
    const drainPerSecond = Math.round((sentAfter - sentBefore) / drainSeconds);
    const ratio =
      pageAtRest.latencyMs.p99 > 0
        ? Math.round((pageWhileSending.latencyMs.p99 / pageAtRest.latencyMs.p99) * 100) / 100
        : 0;
    const targets: Verdict[] = [
      {
        name: `queue ${bulk.subscribers.toLocaleString("en-GB")} recipients < ${BULK_TARGETS.queueSeconds} s`,
        value:
          queueSeconds === null
            ? `not done in ${queueElapsed.toFixed(0)} s (${queuedRow.recipients} queued)`
            : `${queueElapsed.toFixed(1)} s`,
        pass: queueSeconds !== null && queueElapsed < BULK_TARGETS.queueSeconds,
      },
      {
        name: `worker sends >= ${BULK_TARGETS.drainPerSecond} messages/s (MAIL_RATE ${bulk.mailRate})`,
        value: `${drainPerSecond}/s over ${drainSeconds.toFixed(0)} s`,
        pass: drainPerSecond >= BULK_TARGETS.drainPerSecond,
      },
      {
        name: `campaign page p99 while sending <= ${BULK_TARGETS.pageP99Ratio}x at rest`,
        value: `${pageWhileSending.latencyMs.p99} ms vs ${pageAtRest.latencyMs.p99} ms (${ratio.toFixed(2)}x)`,
        pass: ratio > 0 && ratio <= BULK_TARGETS.pageP99Ratio,
      },
    ];
    const checks: Verdict[] = [
      {
        name: "no subscriber queued twice (outbox rows = distinct signatures)",
        value: `${totals.rows} rows, ${totals.distinctSignatures} signatures`,
        pass: totals.rows === totals.distinctSignatures,
      },
      ...(queueSeconds !== null
        ? [
            {
              name: "every subscriber queued",
              value: `${totals.rows} of ${bulk.subscribers}`,
              pass: totals.rows === bulk.subscribers,
            },
          ]
        : []),
      {
        name: "the SMTP sink received what the outbox says was sent",
        value: `${sinkReceived ?? "?"} received, ${sentAll} sent`,
        pass: sinkReceived === sentAll,
      },
      {
        name: "campaign page runs: no errors, every answer a 2xx",
        value: `${pageAtRest.unexpected + pageWhileSending.unexpected} other, ${pageAtRest.errors + pageWhileSending.errors} errors`,
        pass: pageAtRest.unexpected + pageWhileSending.unexpected + pageAtRest.errors + pageWhileSending.errors === 0,
      },
    ];
    return {
      settings: {
        ...bulk,
        slug,
        worker: "npm run worker (scripts/worker.ts) in its own process; web process MAIL_WORKER=off",
        batchSize: options.batchSize ?? "worker default",
        concurrency: options.concurrency ?? "worker default",
      },
      seedSeconds: round(seedSeconds),
      queueSeconds: queueSeconds === null ? null : round(queueElapsed),
      queued: queuedRow.recipients,
      queuedPerSecond: Math.round(queuedRow.recipients / queueElapsed),
      sentWhileQueueing,
      drain: {
        seconds: round(drainSeconds),
        sent: sentAfter - sentBefore,
        perSecond: drainPerSecond,
        workerCpuMsPerMessage: perMessage(cpuBefore.worker, cpuAfter.worker),
        sinkCpuMsPerMessage: perMessage(cpuBefore.sink, cpuAfter.sink),
      },
      pageAtRest,
      pageWhileSending,
      pageP99Ratio: ratio,
      outbox: { ...totals, byStatus },
      sinkReceived,
      queryPlans,
      workerRssMb: workerRss === null ? null : round(workerRss),
      targets,
      checks,
      pass: [...targets, ...checks].every((v) => v.pass),
    };
  } catch (err) {
    for (const c of children) console.error(`[bench] ${c.name} log (last lines):\n${tailOf(c.logFile)}`);
    throw err;
  } finally {
    for (const c of children.reverse()) await c.stop();
    sqlite.close();
    await db.destroy();
  }
}

function readRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

export function bulkLines(r: BulkResults): string[] {
  const p = (f: RunFigures) => `${f.reqPerSec} req/s, p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms`;
  const lines = [
    `bulk email: ${r.settings.subscribers.toLocaleString("en-GB")} subscribers on ${r.settings.slug} (seeded in ${r.seedSeconds} s); worker MAIL_RATE ${r.settings.mailRate}, nice ${r.settings.workerNice}, batch ${r.settings.batchSize}, concurrency ${r.settings.concurrency}; ${r.settings.worker}`,
    `  queueing:  ${r.queueSeconds === null ? `not finished (${r.queued.toLocaleString("en-GB")} queued)` : `${r.queued.toLocaleString("en-GB")} in ${r.queueSeconds} s`} (${r.queuedPerSecond.toLocaleString("en-GB")}/s); ${r.sentWhileQueueing.toLocaleString("en-GB")} sent meanwhile`,
    `  sending:   ${r.drain.perSecond}/s (${r.drain.sent.toLocaleString("en-GB")} in ${r.drain.seconds} s); CPU per message: worker ${r.drain.workerCpuMsPerMessage ?? "?"} ms (1000 / that = the most one core could send), SMTP sink ${r.drain.sinkCpuMsPerMessage ?? "?"} ms; worker RSS ${r.workerRssMb ?? "?"} MB`,
    `  page:      at rest ${p(r.pageAtRest)}; while the update goes out ${p(r.pageWhileSending)}; p99 ratio ${r.pageP99Ratio.toFixed(2)}x`,
    `  outbox:    ${JSON.stringify(r.outbox.byStatus)}; SMTP sink received ${r.sinkReceived ?? "?"}`,
    "  query plans (EXPLAIN QUERY PLAN of the statements as the code writes them):",
  ];
  for (const q of r.queryPlans) {
    const signs = fullScanSigns(q.plan);
    lines.push(
      `    ${q.name}${signs.length ? "  <- reads every matching row: " + signs.map((l) => l.trim()).join("; ") : ""}`,
    );
    for (const line of q.plan) lines.push(`      ${line}`);
  }
  return lines;
}
