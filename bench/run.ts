/**
 * `npm run bench`: the baseline (node:http + better-sqlite3) and the real app
 * from the production build, each in its own child process on 127.0.0.1,
 * loaded with autocannon; then an update emailed to a million subscribers
 * (bench/bulk-email.ts). BENCH_ONLY=web or bulk runs one part. Prints tables
 * with targets and writes bench/results/latest.json. See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { outboxBacklog } from "./arrivals";
import {
  confirmScenario,
  endToEnd,
  layoutNote,
  LIMIT_VARS,
  signBody,
  signScenario,
  startAppServer,
  type EndToEnd,
} from "./app-server";
import { BIG_TARGETS, bigLines, measureBig } from "./big";
import { BULK_TARGETS, bulkLines, measureBulkEmail } from "./bulk-email";
import { countLines, measureCount } from "./count";
import { insertPendingSignatures, readFacts } from "./database";
import { DATABASE_TARGETS, DEFAULT_BENCH_DATABASE_URL, databasesLines, measureDatabases } from "./databases";
import { runScenario, type LoadSettings, type RunFigures } from "./load";
import { MAIL_TARGETS, mailLines, measureMail } from "./mail";
import {
  HOST,
  RssSampler,
  freePort,
  killAllChildrenNow,
  readCpuMs,
  startNodeChild,
  tailOf,
  waitForHttp,
} from "./processes";
import {
  correctness,
  cpuRatioLine,
  ratios,
  table,
  targetVerdicts,
  verdictLines,
  writeResults,
  type Runs,
  type Verdict,
} from "./report";

const SLUG = "merseyside-model-uk-wide";
const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";
const RESULTS_FILE = path.resolve("bench/results/latest.json");

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number from ${min} to ${max}`);
  return n;
}

const SECONDS = envNumber("BENCH_SECONDS", 10, 1, 120);
const WARMUP_SECONDS = envNumber("BENCH_WARMUP_SECONDS", 2, 0, 30);
const CONNECTIONS = envNumber("BENCH_CONNECTIONS", 50, 1, 500);
const CONFIRM_TOKENS = envNumber("BENCH_CONFIRM_TOKENS", 60_000, 1_000, 1_000_000);
const TOTAL_SECONDS = SECONDS + WARMUP_SECONDS;
/**
 * BENCH_ONLY=web: only the request benchmark; mail: only the confirmation emails in a surge and after a
 * crash (bench/mail.ts); bulk: only the bulk email (bench/bulk-email.ts); count: only the count endpoint
 * (bench/count.ts); databases: SQLite against PostgreSQL (bench/databases.ts); big: a big database against a
 * fresh one (bench/big.ts, opt-in: its seed takes minutes); unset: the first five (web, count, mail, bulk,
 * databases), in that order.
 */
const ONLY = process.env.BENCH_ONLY || "";
if (!["", "web", "count", "mail", "bulk", "databases", "big"].includes(ONLY))
  throw new Error("BENCH_ONLY must be web, count, mail, bulk, databases or big");
/** The PostgreSQL server the databases part makes its databases on (a role that may create databases). */
const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL;
const MAIL = {
  surgeSeconds: envNumber("BENCH_SURGE_SECONDS", 30, 5, 300),
  surgeShare: envNumber("BENCH_SURGE_SHARE", 0.7, 0.05, 1.5),
  crashAfterSeconds: envNumber("BENCH_CRASH_AFTER_SECONDS", 10, 2, 120),
  drainTimeoutSeconds: envNumber("BENCH_DRAIN_TIMEOUT", 120, 10, 1_800),
  /** The app's MAIL_WORKER in the web and mail parts: npm start's default, or "inline" to compare. */
  mailWorker: (process.env.BENCH_MAIL_WORKER || "process") as "process" | "inline",
};
if (!["process", "inline"].includes(MAIL.mailWorker)) throw new Error("BENCH_MAIL_WORKER must be process or inline");
const BULK = {
  subscribers: envNumber("BENCH_SUBSCRIBERS", 1_000_000, 1_000, 5_000_000),
  mailRate: envNumber("BENCH_MAIL_RATE", 2_000, 1, 10_000),
  drainSeconds: envNumber("BENCH_DRAIN_SECONDS", 20, 5, 300),
  queueTimeoutSeconds: envNumber("BENCH_QUEUE_TIMEOUT", 180, 10, 1_800),
  // The deployment bench/README.md recommends: the worker below the web process (nice 10).
  workerNice: envNumber("BENCH_WORKER_NICE", 10, 0, 19),
};
/**
 * The app's NODE_ENV. Unset by default (the app's config is then development).
 * Mail goes to an SMTP sink on 127.0.0.1 either way; "production" also needs
 * SESSION_SECRET: the benchmark then gives a random one.
 */
const APP_NODE_ENV = process.env.BENCH_NODE_ENV || "";
if (!["", "development", "production"].includes(APP_NODE_ENV))
  throw new Error("BENCH_NODE_ENV must be development or production");
const NODE_ENV_NOTE =
  APP_NODE_ENV === "production"
    ? "NODE_ENV=production (mail goes by SMTP to a sink on 127.0.0.1)"
    : APP_NODE_ENV === "development"
      ? "NODE_ENV=development (mail goes by SMTP to a sink on 127.0.0.1; React still runs its production build, see server/start.ts)"
      : "NODE_ENV unset (the app's config defaults to development; mail goes by SMTP to a sink on 127.0.0.1; React still runs its production build, see server/start.ts)";

/** Configuration variables of the app: none is inherited from the shell running the benchmark. */
const APP_VARS = [
  "NODE_ENV",
  "PORT",
  "HOST",
  "DATABASE_URL",
  "SMTP_URL",
  "MAIL_FROM",
  "APP_URL",
  "SESSION_SECRET",
  "SEED_DEMO",
  "MAIL_WORKER",
  "WEB_CONCURRENCY",
  "MAIL_RATE",
  "MAIL_RATE_TRANSACTIONAL",
  "MAIL_CONNECTIONS",
  "UNDERSIGNED_PROCESS",
  "UNDERSIGNED_ENV",
  "BENCH_ROUTES",
  "REMIX_DEV_ORIGIN",
  "ADMIN_EMAILS",
  "MODERATION",
  ...LIMIT_VARS,
  "MIN_FILL_SECONDS",
  "PAGE_CACHE_MS",
  "DATABASE_POOL_SIZE",
];
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of APP_VARS) delete env[name];
  return { ...env, ...extra };
}

function log(line: string) {
  console.log(`[bench] ${line}`);
}

async function measureBaseline(tmp: string, settings: Omit<LoadSettings, "origin">) {
  const port = await freePort();
  const child = startNodeChild(
    "baseline server",
    "bench/baseline-server.ts",
    cleanEnv({ PORT: String(port), DB_FILE: path.join(tmp, "baseline.sqlite") }),
    path.join(tmp, "baseline.log"),
  );
  const origin = `http://${HOST}:${port}`;
  try {
    await waitForHttp(`${origin}/row`, child, 30_000);
    const s = { ...settings, origin, serverCpuMs: () => readCpuMs(child.pid) };
    log(`baseline GET  ${origin}/row`);
    const get = await runScenario(
      {
        key: "baselineGet",
        label: "baseline GET (node:http+sqlite)",
        method: "GET",
        path: "/row",
        expect: "2xx",
        maxRequests: TOTAL_SECONDS * 150_000,
      },
      s,
    );
    log(`baseline POST ${origin}/row`);
    const post = await runScenario(
      {
        key: "baselinePost",
        label: "baseline POST (node:http+sqlite)",
        method: "POST",
        path: "/row",
        build: (n) => ({ path: "/row", body: signBody(`baseline-${n}@example.org`) }),
        expect: "2xx",
        maxRequests: TOTAL_SECONDS * 60_000,
      },
      s,
    );
    return { get, post };
  } finally {
    await child.stop();
  }
}

async function measureApp(tmp: string, settings: Omit<LoadSettings, "origin">) {
  const server = await startAppServer({
    tmp,
    name: "app",
    env: cleanEnv,
    nodeEnv: APP_NODE_ENV,
    slug: SLUG,
    mailWorker: MAIL.mailWorker,
  });
  const { origin, dbFile, tree } = server;
  let sampler: RssSampler | null = null;
  try {
    sampler = new RssSampler(tree);
    sampler.start();
    const idleRssMb = sampler.window();
    log(
      `app server (primary pid ${server.child.pid}; web ${tree.part("web").join(", ")}; mail worker ${tree.part("mail").join(", ")}) on ${origin}, web process RSS after start ${idleRssMb.toFixed(0)} MB`,
    );
    const s = { ...settings, origin, serverCpuMs: () => tree.cpuMs() };
    // Each run's figures with the web process's highest RSS during it and the outbox's backlog at its end.
    const withRss = (f: RunFigures): RunFigures => ({
      ...f,
      serverMaxRssMb: sampler!.window(),
      outboxAtStop: outboxBacklog(dbFile),
    });

    log("bare Remix route GET /bench/floor");
    const floor = withRss(
      await runScenario(
        {
          key: "floor",
          label: "Remix floor GET /bench/floor",
          method: "GET",
          path: "/bench/floor",
          expect: "2xx",
          maxRequests: TOTAL_SECONDS * 50_000,
        },
        s,
      ),
    );
    log(`campaign page GET /petitions/${SLUG} (anonymous: served from the page cache, as in production)`);
    const pageScenario = {
      method: "GET",
      path: `/petitions/${SLUG}`,
      // What Chromium sends: the page goes out compressed, as browsers get it (docs/decisions/0018).
      headers: { "accept-encoding": BROWSER_ACCEPT_ENCODING },
      expect: "2xx",
      maxRequests: TOTAL_SECONDS * 50_000,
    } as const;
    const page = withRss(
      await runScenario({ ...pageScenario, key: "page", label: "campaign page GET (page cache)" }, s),
    );
    // The same page rendered by Remix every time: a Cookie header (any) keeps a request out of the page
    // cache, as it does a signed-in visitor's. This cookie is not the session's, so the page is the anonymous one.
    log(`campaign page GET /petitions/${SLUG}, rendered (not from the page cache)`);
    const pageRendered = withRss(
      await runScenario(
        {
          ...pageScenario,
          key: "pageRendered",
          label: "campaign page GET, rendered (no cache)",
          headers: { ...pageScenario.headers, cookie: "bench=1" },
        },
        s,
      ),
    );
    log(`sign POST /petitions/${SLUG}, then until every confirmation reached the SMTP sink`);
    const answered = new Map<string, number>();
    const signStart = Date.now();
    const signCpu = tree.cpuMs();
    const sign = withRss(
      await runScenario(
        signScenario({
          key: "sign",
          label: "sign POST (302)",
          slug: SLUG,
          runId: Date.now().toString(36),
          answered,
          maxRequests: TOTAL_SECONDS * 20_000,
        }),
        s,
      ),
    );
    const signEndToEnd = await endToEnd(
      server,
      { answered, startedAt: signStart, endedAt: Date.now(), cpuAtStart: signCpu },
      MAIL.drainTimeoutSeconds * 1000,
    );
    log(
      `sign: outbox backlog when the load stopped ${JSON.stringify(signEndToEnd.backlogAtStop)}; every confirmation out ${signEndToEnd.drainSeconds} s later; ${signEndToEnd.perSecond} signatures/s end to end`,
    );

    log(`inserting ${CONFIRM_TOKENS.toLocaleString("en-GB")} pending signatures with known tokens`);
    const started = Date.now();
    const tokens = insertPendingSignatures(dbFile, SLUG, CONFIRM_TOKENS);
    log(`inserted in ${Date.now() - started} ms; confirm POST /confirm/<token>`);
    sampler.window();
    const confirm = withRss(
      await runScenario(confirmScenario({ tokens, connections: CONNECTIONS, label: "confirm POST (302)" }), s),
    );
    sampler.stop();
    const outboxAfter = { ...server.arrivals.read().copies(answered.keys()), backlog: endBacklog(dbFile) };
    return {
      floor,
      page,
      pageRendered,
      sign,
      signEndToEnd,
      confirm,
      idleRssMb,
      maxRssMb: sampler.maxMb,
      maxTotalRssMb: sampler.maxTotalMb,
      maxPartsRssMb: sampler.maxPartsMb,
      rssSamples: sampler.samples,
      outboxAfter,
      dbFile,
    };
  } catch (err) {
    console.error(`[bench] app server log (last lines):\n${tailOf(server.child.logFile)}`);
    throw err;
  } finally {
    sampler?.stop();
    await server.stop();
  }
}

/** The outbox's backlog now (after the confirm run, which sends nothing). */
function endBacklog(dbFile: string) {
  return readFacts(dbFile, SLUG).outbox;
}

/** The commit measured, with "+dirty" when the work tree has changes. */
function gitCommit(): string | null {
  const git = (...args: string[]) =>
    execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    return git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain") ? "+dirty" : "");
  } catch {
    return null;
  }
}

let tmpDir: string | null = null;
function removeTmp() {
  if (!tmpDir) return;
  if (process.env.BENCH_KEEP_TMP === "1") log(`kept ${tmpDir}`);
  else fs.rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = null;
}

/** The results file as it stands (the other part's figures are kept when only one part runs), or an empty object. */
function previousResults(): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(RESULTS_FILE, "utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The request benchmark: the baseline and the app, their table, targets and checks. */
async function runWeb(
  tmp: string,
  settings: { connections: number; seconds: number; warmupSeconds: number },
  loadBefore: number[],
) {
  const baseline = await measureBaseline(tmp, settings);
  const app = await measureApp(tmp, settings);
  const facts = readFacts(app.dbFile, SLUG);
  const runs: Runs = {
    baselineGet: baseline.get,
    baselinePost: baseline.post,
    floor: app.floor,
    page: app.page,
    pageRendered: app.pageRendered,
    sign: app.sign,
    confirm: app.confirm,
  };
  const targets = targetVerdicts(runs, app.maxRssMb, app.signEndToEnd);
  const checks = [
    ...correctness(facts, app.sign, app.confirm),
    {
      name: "every answered sign POST's confirmation reached the SMTP sink",
      value: `${app.signEndToEnd.waits.missing} missing of ${app.signEndToEnd.signatures}`,
      pass: app.signEndToEnd.waits.missing === 0,
    },
    {
      name: "no confirmation reached the SMTP sink twice",
      value: `${app.outboxAfter.duplicated} of ${app.outboxAfter.messages}`,
      pass: app.outboxAfter.duplicated === 0,
    },
  ];

  const nodeEnv = NODE_ENV_NOTE;
  console.log("");
  console.log(`Undersigned benchmark, ${new Date().toISOString()}, node ${process.version}, ${nodeEnv}`);
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, loopback; latency in ms, ratios of req/s`,
  );
  console.log(table(runs));
  console.log(signLine(app.signEndToEnd, runs));
  const loadAfter = os.loadavg();
  console.log(
    `load average (1/5/15 min) before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")} (the benchmark's own two busy processes count in it)`,
  );
  console.log(cpuRatioLine(runs));
  console.log(
    `server RSS: web process ${app.idleRssMb.toFixed(0)} MB after start, ${app.maxRssMb.toFixed(0)} MB max under load; mail worker process ${app.maxPartsRssMb.mail.toFixed(0)} MB, primary ${app.maxPartsRssMb.primary.toFixed(0)} MB; all server processes ${app.maxTotalRssMb.toFixed(0)} MB max (${app.rssSamples} samples)`,
  );
  console.log(`outbox after the runs: ${JSON.stringify(facts.outbox)}`);
  console.log("");
  console.log(verdictLines("Targets:", targets));
  console.log(verdictLines("Correctness:", checks));

  const all = [...targets, ...checks];
  return {
    pass: all.every((v) => v.pass),
    failed: all.filter((v) => !v.pass).length,
    fields: {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      commit: gitCommit(),
      nodeEnv,
      loadAverage: { before: loadBefore, after: loadAfter },
      settings: {
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        confirmTokens: CONFIRM_TOKENS,
        host: HOST,
      },
      layout: layoutNote(MAIL.mailWorker),
      runs,
      signEndToEnd: app.signEndToEnd,
      ratios: { ...ratios(runs), signEndToEndVsFloor: ratio(app.signEndToEnd.perSecond, runs.floor.reqPerSec) },
      serverRssMb: {
        afterStart: round(app.idleRssMb),
        max: round(app.maxRssMb),
        mailWorkerMax: round(app.maxPartsRssMb.mail),
        primaryMax: round(app.maxPartsRssMb.primary),
        allProcessesMax: round(app.maxTotalRssMb),
        samples: app.rssSamples,
        intervalMs: 250,
      },
      database: facts,
      targets,
      checks,
    },
  };
}

/** The sign POST end to end: until every confirmation reached the SMTP sink. */
function signLine(e: EndToEnd, runs: Runs): string {
  return [
    `sign POST end to end (answered and the confirmation at the SMTP sink): ${e.signatures} signatures in ${e.seconds} s = ${e.perSecond}/s (${ratio(e.perSecond, runs.floor.reqPerSec).toFixed(2)}x floor), ${e.cpuMsPerSignature ?? "?"} ms server CPU a signature;`,
    `  outbox backlog when the load stopped ${JSON.stringify(e.backlogAtStop)}, all out ${e.drainSeconds} s later; wait from answer to email p50 ${e.waits.p50} s, p99 ${e.waits.p99} s, max ${e.waits.max} s`,
  ].join("\n");
}

/** The mail benchmark (bench/mail.ts): confirmations in a surge and after a crash. */
async function runMail(tmp: string, settings: { connections: number; seconds: number; warmupSeconds: number }) {
  const loadBefore = os.loadavg();
  const r = await measureMail({
    tmp,
    slug: SLUG,
    settings: { ...settings, ...MAIL },
    env: cleanEnv,
    nodeEnv: APP_NODE_ENV,
  });
  const loadAfter = os.loadavg();
  console.log("");
  console.log(`Undersigned mail benchmark, ${new Date().toISOString()}, node ${process.version}, ${NODE_ENV_NOTE}`);
  for (const line of mailLines(r)) console.log(line);
  const load = { before: loadBefore, after: loadAfter };
  return { failed: reportVerdicts("Mail", r, load), fields: { ...partFields(load), targetsSet: MAIL_TARGETS, ...r } };
}

/** The bulk-email benchmark (bench/bulk-email.ts). */
async function runBulk(tmp: string, settings: { connections: number; seconds: number; warmupSeconds: number }) {
  const loadBefore = os.loadavg();
  const r = await measureBulkEmail({
    tmp,
    slug: SLUG,
    load: settings,
    bulk: BULK,
    env: cleanEnv,
    nodeEnv: APP_NODE_ENV,
  });
  const loadAfter = os.loadavg();
  console.log("");
  console.log(
    `Undersigned bulk-email benchmark, ${new Date().toISOString()}, node ${process.version}, ${NODE_ENV_NOTE}`,
  );
  for (const line of bulkLines(r)) console.log(line);
  const load = { before: loadBefore, after: loadAfter };
  return {
    pass: r.pass,
    failed: reportVerdicts("Bulk email", r, load),
    fields: { ...partFields(load), targetsSet: BULK_TARGETS, ...r },
  };
}

const BIG = {
  signatures: envNumber("BENCH_BIG_SIGNATURES", 10_000_000, 10_000, 100_000_000),
  rounds: envNumber("BENCH_BIG_ROUNDS", 3, 1, 20),
  probeRate: envNumber("BENCH_BIG_PROBE_RATE", 20, 1, 500),
  probeSeconds: envNumber("BENCH_BIG_PROBE_SECONDS", 15, 3, 300),
  databases: (process.env.BENCH_BIG_DATABASES || "sqlite,postgres").split(","),
};
if (BIG.databases.some((d) => !["sqlite", "postgres"].includes(d)))
  throw new Error("BENCH_BIG_DATABASES must be sqlite, postgres or sqlite,postgres");

/** The big-database benchmark (bench/big.ts): a big database against a fresh one, SQLite and PostgreSQL. */
async function runBig(tmp: string, settings: { connections: number; seconds: number; warmupSeconds: number }) {
  const loadBefore = os.loadavg();
  const r = await measureBig({
    tmp,
    env: cleanEnv,
    nodeEnv: APP_NODE_ENV,
    adminUrl: BENCH_DATABASE_URL,
    signatures: BIG.signatures,
    settings,
    confirmTokens: CONFIRM_TOKENS,
    rounds: BIG.rounds,
    probeRate: BIG.probeRate,
    probeSeconds: BIG.probeSeconds,
    only: BIG.databases,
    log,
  });
  const loadAfter = os.loadavg();
  console.log("");
  console.log(
    `Undersigned big-database benchmark, ${new Date().toISOString()}, node ${process.version}, ${NODE_ENV_NOTE}`,
  );
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up; latency in ms; PAGE_CACHE_MS=0; MAIL_WORKER=process`,
  );
  for (const line of bigLines(r)) console.log(line);
  console.log(
    `load average (1/5/15 min) before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`,
  );
  console.log("");
  console.log(verdictLines("Big database targets:", r.targets));
  console.log(verdictLines("Big database checks:", r.checks));
  const all = [...r.targets, ...r.checks];
  return {
    failed: all.filter((v) => !v.pass).length,
    fields: {
      date: new Date().toISOString(),
      node: process.version,
      commit: gitCommit(),
      nodeEnv: NODE_ENV_NOTE,
      loadAverage: { before: loadBefore, after: loadAfter },
      settings: { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, ...BIG },
      targetsSet: BIG_TARGETS,
      pass: all.every((v) => v.pass),
      ...r,
    },
  };
}

/** The databases benchmark (bench/databases.ts): SQLite, PostgreSQL with one and with two web processes. */
async function runDatabases(tmp: string, settings: { connections: number; seconds: number; warmupSeconds: number }) {
  const loadBefore = os.loadavg();
  const r = await measureDatabases({
    tmp,
    slug: SLUG,
    settings,
    env: cleanEnv,
    nodeEnv: APP_NODE_ENV,
    adminUrl: BENCH_DATABASE_URL,
    confirmTokens: CONFIRM_TOKENS,
    drainTimeoutSeconds: MAIL.drainTimeoutSeconds,
    idleSeconds: envNumber("BENCH_IDLE_SECONDS", 3, 1, 60),
    log,
  });
  const loadAfter = os.loadavg();
  console.log("");
  console.log(
    `Undersigned databases benchmark, ${new Date().toISOString()}, node ${process.version}, ${NODE_ENV_NOTE}`,
  );
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up; latency in ms; PAGE_CACHE_MS=0; MAIL_WORKER=process`,
  );
  for (const line of databasesLines(r)) console.log(line);
  const load = { before: loadBefore, after: loadAfter };
  const all = [...r.targets, ...r.checks];
  return {
    failed: reportVerdicts("Databases", r, load, { print: !r.skipped }),
    fields: {
      ...partFields(load),
      settings: {
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        confirmTokens: CONFIRM_TOKENS,
      },
      targetsSet: DATABASE_TARGETS,
      pass: r.skipped ? undefined : all.every((v) => v.pass),
      ...r,
    },
  };
}

type LoadAverages = { before: number[]; after: number[] };

/**
 * The end of a part's report: the load average around it, then its targets and checks with their verdicts
 * (unless `print` is off: a part that was skipped has none). Says how many failed.
 */
function reportVerdicts(
  part: string,
  r: { targets: Verdict[]; checks: Verdict[] },
  load: LoadAverages,
  opts: { print?: boolean } = {},
): number {
  console.log(
    `load average (1/5/15 min) before ${load.before.map((l) => l.toFixed(2)).join(" ")}, after ${load.after.map((l) => l.toFixed(2)).join(" ")}`,
  );
  console.log("");
  if (opts.print !== false) {
    console.log(verdictLines(`${part} targets:`, r.targets));
    console.log(verdictLines(`${part} checks:`, r.checks));
  }
  return [...r.targets, ...r.checks].filter((v) => !v.pass).length;
}

/** What each part's entry in the results file starts with: when, on what, and how busy the machine was. */
function partFields(load: LoadAverages) {
  return {
    date: new Date().toISOString(),
    node: process.version,
    commit: gitCommit(),
    nodeEnv: NODE_ENV_NOTE,
    loadAverage: load,
  };
}

async function main(): Promise<number> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "undersigned-bench-"));
  tmpDir = tmp;
  const settings = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS };
  const loadBefore = os.loadavg();
  log(
    `node ${process.version}, ${os.cpus().length} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}; ${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up; ${ONLY ? `only ${ONLY}; ` : ""}temp ${tmp}`,
  );
  try {
    // Merged into what the file holds: a run of one part keeps the other part's last figures.
    const results = previousResults();
    let failed = 0;
    /** Parts that measured nothing (no PostgreSQL): the closing line names them, so "all PASS" is not read as covering them. */
    const skipped: string[] = [];
    if (ONLY === "" || ONLY === "web") {
      const web = await runWeb(tmp, settings, loadBefore);
      Object.assign(results, web.fields);
      failed += web.failed;
    }
    if (ONLY === "" || ONLY === "count") {
      const count = await measureCount({ tmp, env: cleanEnv, nodeEnv: APP_NODE_ENV, slug: SLUG, settings, log });
      console.log(`\n${countLines(count)}`);
      results.countEndpoint = { date: new Date().toISOString(), loadAverage: os.loadavg(), ...count };
      if (!count.pass) failed += 1;
    }
    if (ONLY === "" || ONLY === "mail") {
      const mail = await runMail(tmp, settings);
      results.mail = mail.fields;
      failed += mail.failed;
    }
    if (ONLY === "" || ONLY === "bulk") {
      const bulk = await runBulk(tmp, settings);
      results.bulkEmail = bulk.fields;
      failed += bulk.failed;
    }
    if (ONLY === "" || ONLY === "databases") {
      const databases = await runDatabases(tmp, settings);
      results.databases = databases.fields;
      failed += databases.failed;
      if (databases.fields.pass === undefined) skipped.push("databases");
    }
    // Opt-in: seeding ten million signatures on two databases takes longer than the rest together.
    if (ONLY === "big") {
      const big = await runBig(tmp, settings);
      // Under one key per database: a run of one (BENCH_BIG_DATABASES) keeps the other's last figures.
      const kept = (previousResults().big ?? {}) as Record<string, unknown>;
      const byDatabase: Record<string, unknown> = {};
      for (const name of ["sqlite", "postgres"]) if (kept[name]) byDatabase[name] = kept[name];
      for (const name of BIG.databases) byDatabase[name] = big.fields;
      results.big = {
        ...byDatabase,
        pass: Object.values(byDatabase).every((f) => (f as { pass: boolean }).pass),
      };
      failed += big.failed;
    }
    // The file's verdict covers every part as it stands in it.
    const verdicts = [results.targets, results.checks].flatMap((v) =>
      Array.isArray(v) ? (v as { pass: boolean }[]) : [],
    );
    const partPass = (key: string) => (results[key] as { pass?: boolean } | undefined)?.pass;
    results.pass =
      verdicts.every((v) => v.pass) &&
      partPass("mail") !== false &&
      partPass("bulkEmail") !== false &&
      partPass("countEndpoint") !== false &&
      partPass("databases") !== false &&
      partPass("big") !== false;
    writeResults(RESULTS_FILE, results);
    console.log(
      `\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}; this run: ${failed === 0 ? "all PASS" : `${failed} FAIL`}${skipped.length ? `; skipped: ${skipped.join(", ")}` : ""}`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    killAllChildrenNow();
    removeTmp();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

process.on("exit", killAllChildrenNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAllChildrenNow();
    removeTmp();
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    killAllChildrenNow();
    process.exit(2);
  },
);
