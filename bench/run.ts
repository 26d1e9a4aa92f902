/**
 * `npm run bench`: the baseline (node:http + better-sqlite3) and the real app
 * from the production build, each in its own child process on 127.0.0.1,
 * loaded with autocannon; then an update emailed to a million subscribers
 * (bench/bulk-email.ts). BENCH_ONLY=web or bulk runs one part. Prints tables
 * with targets and writes bench/results/latest.json. See bench/README.md.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BULK_TARGETS, bulkLines, measureBulkEmail } from "./bulk-email";
import { SIGN_EMAIL_PREFIX, insertPendingSignatures, readFacts } from "./database";
import { runScenario, type LoadSettings, type RunFigures } from "./load";
import {
  HOST,
  RssSampler,
  freePort,
  killAllChildrenNow,
  startNodeChild,
  tailOf,
  waitForHttp,
  waitForTcp,
  type Child,
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
/** BENCH_ONLY=web: only the request benchmark; BENCH_ONLY=bulk: only the bulk-email one (bench/bulk-email.ts); unset: both. */
const ONLY = process.env.BENCH_ONLY || "";
if (!["", "web", "bulk"].includes(ONLY)) throw new Error("BENCH_ONLY must be web or bulk");
const BULK = {
  subscribers: envNumber("BENCH_SUBSCRIBERS", 1_000_000, 1_000, 5_000_000),
  mailRate: envNumber("BENCH_MAIL_RATE", 2_000, 1, 10_000),
  drainSeconds: envNumber("BENCH_DRAIN_SECONDS", 20, 5, 300),
  queueTimeoutSeconds: envNumber("BENCH_QUEUE_TIMEOUT", 180, 10, 1_800),
  // The deployment bench/README.md recommends: the worker below the web process (nice 10).
  workerNice: envNumber("BENCH_WORKER_NICE", 10, 0, 19),
};
/**
 * The app's NODE_ENV. Unset by default (the app's config is then development,
 * and mail stops in the dev inbox). "production" also needs SESSION_SECRET and
 * SMTP_URL: the benchmark then gives a random secret and runs an SMTP sink.
 */
const APP_NODE_ENV = process.env.BENCH_NODE_ENV || "";
if (!["", "development", "production"].includes(APP_NODE_ENV))
  throw new Error("BENCH_NODE_ENV must be development or production");
const NODE_ENV_NOTE =
  APP_NODE_ENV === "production"
    ? "NODE_ENV=production (mail goes by SMTP to a sink on 127.0.0.1)"
    : APP_NODE_ENV === "development"
      ? "NODE_ENV=development (mail stops in the dev inbox; React still runs its production build, see server/start.ts)"
      : "NODE_ENV unset (the app's config defaults to development; mail stops in the dev inbox; React still runs its production build, see server/start.ts)";

/** The signing limits (app/config.server.ts), set so high that they never trip. */
const LIMIT_VARS = ["LIMIT_ADDRESS_BURST", "LIMIT_ADDRESS", "LIMIT_NETWORK", "LIMIT_DOMAIN", "LIMIT_ADDRESS_SITE"];
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
  "BENCH_ROUTES",
  "REMIX_DEV_ORIGIN",
  "ADMIN_EMAILS",
  "MODERATION",
  ...LIMIT_VARS,
  "MIN_FILL_SECONDS",
  "PAGE_CACHE_MS",
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
    const s = { ...settings, origin, serverPid: child.pid };
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

function signBody(email: string): string {
  return new URLSearchParams({ name: "Bench Signer", email, country: "GB", nameDisplay: "hidden" }).toString();
}

/** For BENCH_NODE_ENV=production: the extra settings production requires, and the SMTP sink they point to. */
async function productionEnv(tmp: string): Promise<{ env: Record<string, string>; sink: Child | null }> {
  if (APP_NODE_ENV !== "production") return { env: APP_NODE_ENV ? { NODE_ENV: APP_NODE_ENV } : {}, sink: null };
  const smtpPort = await freePort();
  const sink = startNodeChild(
    "smtp sink",
    "bench/smtp-sink.ts",
    cleanEnv({ PORT: String(smtpPort) }),
    path.join(tmp, "smtp.log"),
  );
  await waitForTcp(smtpPort, sink);
  const env = {
    NODE_ENV: "production",
    SESSION_SECRET: randomBytes(32).toString("hex"),
    SMTP_URL: `smtp://${HOST}:${smtpPort}`,
    // Production wants a sender at a real domain; APP_URL (the loopback origin) is set by measureApp.
    MAIL_FROM: "Undersigned bench <bench@example.org>",
  };
  return { env, sink };
}

async function measureApp(tmp: string, settings: Omit<LoadSettings, "origin">) {
  const port = await freePort();
  const origin = `http://${HOST}:${port}`;
  const dbFile = path.join(tmp, "app.sqlite");
  const production = await productionEnv(tmp);
  const child = startNodeChild(
    "app server",
    "server/start.ts",
    cleanEnv({
      DATABASE_URL: dbFile,
      SEED_DEMO: "1",
      PORT: String(port),
      HOST,
      APP_URL: origin,
      BENCH_ROUTES: "1",
      // Every request comes from 127.0.0.1 with @example.org addresses: limits high enough that the
      // signing limits are checked on every request but never hold a signature back as suspect.
      ...Object.fromEntries(LIMIT_VARS.map((name) => [name, "1000000000/60"])),
      // autocannon posts the same form body without the page's signed time stamp: the minimum fill time
      // would hold every signature as suspect. (PAGE_CACHE_MS is left at its default, as in production.)
      MIN_FILL_SECONDS: "0",
      ...production.env,
    }),
    path.join(tmp, "app.log"),
  );
  let sampler: RssSampler | null = null;
  try {
    await waitForHttp(`${origin}/healthz`, child, 90_000);
    await waitForHttp(`${origin}/bench/floor`, child, 10_000);
    await waitForHttp(`${origin}/petitions/${SLUG}`, child, 10_000);
    sampler = new RssSampler(child.pid);
    sampler.start();
    const idleRssMb = sampler.window();
    log(`app server pid ${child.pid} on ${origin}, RSS after start ${idleRssMb.toFixed(0)} MB`);
    const s = { ...settings, origin, serverPid: child.pid };
    const withRss = (f: RunFigures): RunFigures => ({ ...f, serverMaxRssMb: sampler!.window() });

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
    log(`sign POST /petitions/${SLUG}`);
    const runId = Date.now().toString(36);
    const sign = withRss(
      await runScenario(
        {
          key: "sign",
          label: "sign POST (302)",
          method: "POST",
          path: `/petitions/${SLUG}`,
          build: (n) => ({
            path: `/petitions/${SLUG}`,
            body: signBody(`${SIGN_EMAIL_PREFIX}${runId}-${n}@example.org`),
          }),
          expect: "3xx",
          maxRequests: TOTAL_SECONDS * 20_000,
        },
        s,
      ),
    );

    log(`inserting ${CONFIRM_TOKENS.toLocaleString("en-GB")} pending signatures with known tokens`);
    const started = Date.now();
    const tokens = insertPendingSignatures(dbFile, SLUG, CONFIRM_TOKENS);
    log(`inserted in ${Date.now() - started} ms; confirm POST /confirm/<token>`);
    sampler.window();
    // Every request takes the next token; the run stops before the tokens run out (each connection builds one ahead).
    const spare = 2 * CONNECTIONS + 100;
    const confirm = withRss(
      await runScenario(
        {
          key: "confirm",
          label: "confirm POST (302)",
          method: "POST",
          path: "/confirm/x",
          build: (n) => ({ path: `/confirm/${tokens[n % tokens.length]}`, body: "intent=confirm" }),
          expect: "3xx",
          maxRequests: Math.max(CONNECTIONS, tokens.length - 2 * spare),
        },
        s,
      ),
    );
    sampler.stop();
    return {
      floor,
      page,
      pageRendered,
      sign,
      confirm,
      idleRssMb,
      maxRssMb: sampler.maxMb,
      rssSamples: sampler.samples,
      dbFile,
    };
  } catch (err) {
    console.error(`[bench] app server log (last lines):\n${tailOf(child.logFile)}`);
    throw err;
  } finally {
    sampler?.stop();
    await child.stop();
    await production.sink?.stop();
  }
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
  const targets = targetVerdicts(runs, app.maxRssMb);
  const checks = correctness(facts, app.sign, app.confirm);

  const nodeEnv = NODE_ENV_NOTE;
  console.log("");
  console.log(`Undersigned benchmark, ${new Date().toISOString()}, node ${process.version}, ${nodeEnv}`);
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, loopback; latency in ms, ratios of req/s`,
  );
  console.log(table(runs));
  const loadAfter = os.loadavg();
  console.log(
    `load average (1/5/15 min) before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")} (the benchmark's own two busy processes count in it)`,
  );
  console.log(cpuRatioLine(runs));
  console.log(
    `server RSS: ${app.idleRssMb.toFixed(0)} MB after start, ${app.maxRssMb.toFixed(0)} MB max under load (${app.rssSamples} samples)`,
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
      runs,
      ratios: ratios(runs),
      serverRssMb: {
        afterStart: round(app.idleRssMb),
        max: round(app.maxRssMb),
        samples: app.rssSamples,
        intervalMs: 250,
      },
      database: facts,
      targets,
      checks,
    },
  };
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
  console.log(
    `load average (1/5/15 min) before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`,
  );
  console.log("");
  console.log(verdictLines("Bulk email targets:", r.targets));
  console.log(verdictLines("Bulk email checks:", r.checks));
  const all = [...r.targets, ...r.checks];
  return {
    pass: r.pass,
    failed: all.filter((v) => !v.pass).length,
    fields: {
      date: new Date().toISOString(),
      node: process.version,
      commit: gitCommit(),
      nodeEnv: NODE_ENV_NOTE,
      loadAverage: { before: loadBefore, after: loadAfter },
      targetsSet: BULK_TARGETS,
      ...r,
    },
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
    if (ONLY !== "bulk") {
      const web = await runWeb(tmp, settings, loadBefore);
      Object.assign(results, web.fields);
      failed += web.failed;
    }
    if (ONLY !== "web") {
      const bulk = await runBulk(tmp, settings);
      results.bulkEmail = bulk.fields;
      failed += bulk.failed;
    }
    // The file's verdict covers both parts as they stand in it.
    const verdicts = [results.targets, results.checks].flatMap((v) =>
      Array.isArray(v) ? (v as { pass: boolean }[]) : [],
    );
    const bulkPass = (results.bulkEmail as { pass?: boolean } | undefined)?.pass;
    results.pass = verdicts.every((v) => v.pass) && bulkPass !== false;
    writeResults(RESULTS_FILE, results);
    console.log(
      `\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}; this run: ${failed === 0 ? "all PASS" : `${failed} FAIL`}`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    killAllChildrenNow();
    removeTmp();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

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
