/**
 * BENCH_ONLY=databases: the same requests on SQLite and on PostgreSQL, with
 * one and two web processes, in one run on the same machine, and the
 * PostgreSQL server's own CPU time per request. See bench/README.md
 * ("Databases").
 */
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { confirmScenario, settled, startAppServer, signScenario, type Env } from "./app-server";
import { CONFIRM_EMAIL_PREFIX, insertPendingSignatures } from "./database";
import { runScenario, type LoadSettings, type RunFigures } from "./load";
import { childPids, readCpuMs, tailOf } from "./processes";
import type { Verdict } from "./report";
import { canonicalEmail } from "../app/lib/canonical-email";
import { DAY_MS, expiresAt, newToken } from "../app/lib/tokens.server";
import { UPDATES_CONSENT } from "../app/schemas/signature-fields";

export const DEFAULT_BENCH_DATABASE_URL = "postgres://undersigned:undersigned@127.0.0.1:5432/postgres";

export const DATABASE_TARGETS = {
  /** PostgreSQL, one web process: sign POSTs answered a second. */
  postgresSignReqPerSec: 500,
  /** PostgreSQL: two web processes' sign POST rate at least this share of one's. */
  twoVsOneProcess: 1,
};

type Configuration = { key: string; label: string; postgres: boolean; webProcesses: number };

const CONFIGURATIONS: Configuration[] = [
  { key: "sqlite1", label: "SQLite, 1 web process", postgres: false, webProcesses: 1 },
  { key: "postgres1", label: "PostgreSQL, 1 web process", postgres: true, webProcesses: 1 },
  { key: "postgres2", label: "PostgreSQL, 2 web processes", postgres: true, webProcesses: 2 },
];

/** The PostgreSQL server's CPU time per request, in ms: the app's own connections, and the server's shared processes. */
export type DatabaseCpu = { backends: number | null; shared: number | null };

export type ScenarioFigures = RunFigures & {
  databaseCpuMsPerRequest: DatabaseCpu | null;
  /** The app's and the database's CPU a request less what they use when idle over as long (see Idle). */
  netCpuMsPerRequest: { app: number | null; database: DatabaseCpu | null };
};

/**
 * CPU a second the server and the database use with no request at all: the
 * mail worker polling the outbox, the scheduled jobs, PostgreSQL's own
 * housekeeping. At a few requests a second (a machine loaded many times over)
 * it is a large part of the CPU per request; the net figures take it out.
 */
export type Idle = { seconds: number; appMsPerSecond: number | null; databaseMsPerSecond: DatabaseCpu | null };

export type ConfigurationFigures = {
  key: string;
  label: string;
  webProcesses: number;
  database: "sqlite" | "postgres";
  idle: Idle;
  page: ScenarioFigures;
  sign: ScenarioFigures;
  /** The sign run (warm-up included) until every answered signature's confirmation reached the SMTP sink. */
  signEndToEnd: {
    signatures: number;
    seconds: number;
    perSecond: number;
    missing: number;
    serverCpuMsPerSignature: number | null;
    databaseCpuMsPerSignature: DatabaseCpu | null;
    /** The same less the idle CPU over the time it took. */
    netServerCpuMsPerSignature: number | null;
    netDatabaseCpuMsPerSignature: DatabaseCpu | null;
  };
  confirm: ScenarioFigures;
};

export type DatabasesResult = {
  skipped: string | null;
  configurations: ConfigurationFigures[];
  ratios: Record<string, Record<string, number>>;
  plan: Plan | null;
  targets: Verdict[];
  checks: Verdict[];
};

export type Plan = {
  /** Database CPU (its backends) for one signature: the sign POST with its confirmation email, and the confirm POST. */
  databaseMsPerSignature: number;
  /** The same with the shared processes (WAL writer, checkpointer, ...). */
  databaseMsPerSignatureWithShared: number;
  /** The app's CPU (primary, web, mail worker) for the same. */
  appMsPerSignature: number;
  signaturesPerSecondPerDatabaseCore: number;
  /** How many busy web-process cores one database core keeps fed. */
  webCoresPerDatabaseCore: number;
};

/**
 * CPU time of the PostgreSQL server's processes, read from /proc (the server
 * runs on this machine): the postmaster and its children. A client backend's
 * process title names its database ("postgres: 15/main: user db host(port) state"),
 * so the app's connections are told from other databases' (other work on the
 * same server is not counted). Shared processes (checkpointer, WAL writer,
 * background writer, autovacuum, the postmaster) are counted apart: they work
 * for every database on the server. Each read adds what every process used
 * since the previous read, so a connection opened in between counts whole; one
 * that ended in between loses its last moments (the app's pool keeps its
 * connections while it is loaded).
 */
class PostgresCpu {
  private readonly seen = new Map<number, number>();
  private totals = { backends: 0, shared: 0 };

  constructor(
    private readonly postmasterPid: number,
    private readonly database: string,
  ) {}

  read(): { backends: number; shared: number } | null {
    const postmaster = readCpuMs(this.postmasterPid);
    if (postmaster === null) return null;
    this.add(this.postmasterPid, postmaster, "shared");
    for (const pid of childPids(this.postmasterPid)) {
      const kind = this.kindOf(pid);
      if (!kind) continue;
      const ms = readCpuMs(pid);
      if (ms !== null) this.add(pid, ms, kind);
    }
    return { ...this.totals };
  }

  private add(pid: number, ms: number, kind: "backends" | "shared") {
    this.totals[kind] += ms - (this.seen.get(pid) ?? 0);
    this.seen.set(pid, ms);
  }

  private kindOf(pid: number): "backends" | "shared" | null {
    let title: string;
    try {
      title = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      return null;
    }
    const client = /^postgres: [^:]+: \S+ (\S+) (\S+\(\d+\)|\[local\])/.exec(title);
    if (!client) return "shared";
    return client[1] === this.database ? "backends" : null;
  }
}

export function databaseUrlFor(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Null when the PostgreSQL server answers and its processes can be read here, or why not. */
export async function postgresProblem(adminUrl: string): Promise<string | null> {
  try {
    const pid = await postmasterPid(adminUrl);
    if (readCpuMs(pid) === null) return `its processes are not on this machine (no /proc/${pid})`;
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  }
}

/** The postmaster's pid: the parent of the server's checkpointer. */
async function postmasterPid(adminUrl: string): Promise<number> {
  const pid = await withClient(adminUrl, async (c) => {
    const r = await c.query<{ pid: number }>("select pid from pg_stat_activity where backend_type = 'checkpointer'");
    return r.rows[0]?.pid;
  });
  // Other roles' processes show in pg_stat_activity only to a superuser or a member of pg_monitor.
  if (!pid)
    throw new Error("no checkpointer in pg_stat_activity (the role needs pg_monitor: GRANT pg_monitor TO <role>)");
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/**
 * The confirm run's tokens on PostgreSQL, as insertPendingSignatures puts them
 * into a SQLite file: `count` pending signatures, in one transaction, only the
 * tokens' hashes stored.
 */
export async function insertPendingSignaturesPostgres(url: string, slug: string, count: number): Promise<string[]> {
  return withClient(url, async (c) => {
    const petition = await c.query<{ id: number }>("select id from petitions where slug = $1", [slug]);
    const petitionId = petition.rows[0]?.id;
    if (petitionId === undefined) throw new Error(`no petition ${slug}`);
    const now = new Date();
    const nowIso = now.toISOString();
    const expiry = expiresAt(now, 14 * DAY_MS);
    const tokens: string[] = [];
    await c.query("begin");
    for (let start = 0; start < count; start += 1000) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const { token, hash } = newToken();
        tokens.push(token);
        const email = `${CONFIRM_EMAIL_PREFIX}${i}@example.org`;
        const b = values.length;
        rows.push(
          `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, 'GB', NULL, 'hidden', 0, $${b + 5}, 'pending', $${b + 6}, $${b + 7}, 1, $${b + 8}, $${b + 8}, NULL)`,
        );
        values.push(
          petitionId,
          `Bench Confirmer ${i}`,
          email,
          canonicalEmail(email),
          UPDATES_CONSENT.version,
          hash,
          expiry,
          nowIso,
        );
      }
      await c.query(
        `insert into signatures
          (petition_id, name, email, canonical_email, country, postcode, name_display, updates_consent,
           consent_wording_version, status, token_hash, token_expires_at, emails_sent, created_at, updated_at, confirmed_at)
         values ${rows.join(", ")}`,
        values,
      );
    }
    await c.query("commit");
    return tokens;
  });
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

export async function measureDatabases(opts: {
  tmp: string;
  slug: string;
  settings: { connections: number; seconds: number; warmupSeconds: number };
  env: Env;
  nodeEnv: string;
  adminUrl: string;
  confirmTokens: number;
  drainTimeoutSeconds: number;
  idleSeconds: number;
  log: (line: string) => void;
}): Promise<DatabasesResult> {
  const problem = await postgresProblem(opts.adminUrl);
  if (problem)
    return {
      skipped: `no PostgreSQL to measure at BENCH_DATABASE_URL (${opts.adminUrl.replace(/:[^:@/]*@/, ":***@")}): ${problem}`,
      configurations: [],
      ratios: {},
      plan: null,
      targets: [],
      checks: [],
    };
  const postmaster = await postmasterPid(opts.adminUrl);
  const runId = Date.now().toString(36);
  const configurations: ConfigurationFigures[] = [];
  for (const cfg of CONFIGURATIONS) {
    const database = `undersigned_bench_${runId}_${cfg.key}`;
    if (cfg.postgres) await withClient(opts.adminUrl, (c) => c.query(`create database ${database}`));
    try {
      opts.log(`databases: ${cfg.label}${cfg.postgres ? ` (database ${database})` : ""}`);
      configurations.push(
        await measureConfiguration(
          cfg,
          cfg.postgres
            ? { url: databaseUrlFor(opts.adminUrl, database), cpu: new PostgresCpu(postmaster, database) }
            : null,
          opts,
        ),
      );
    } finally {
      if (cfg.postgres)
        await withClient(opts.adminUrl, (c) => c.query(`drop database if exists ${database} with (force)`));
    }
  }

  const [sqlite1, postgres1, postgres2] = configurations;
  const ratios = Object.fromEntries(
    configurations.map((c) => [
      c.key,
      {
        page: ratio(c.page.reqPerSec, sqlite1.page.reqPerSec),
        sign: ratio(c.sign.reqPerSec, sqlite1.sign.reqPerSec),
        signEndToEnd: ratio(c.signEndToEnd.perSecond, sqlite1.signEndToEnd.perSecond),
        confirm: ratio(c.confirm.reqPerSec, sqlite1.confirm.reqPerSec),
      },
    ]),
  );
  const targets: Verdict[] = [
    {
      name: `PostgreSQL, 1 web process: sign POST >= ${DATABASE_TARGETS.postgresSignReqPerSec}/s`,
      value: `${postgres1.sign.reqPerSec}/s`,
      pass: postgres1.sign.reqPerSec >= DATABASE_TARGETS.postgresSignReqPerSec,
    },
    {
      name: "PostgreSQL: sign POST with 2 web processes no slower than with 1",
      value: `${postgres2.sign.reqPerSec}/s vs ${postgres1.sign.reqPerSec}/s (${ratio(postgres2.sign.reqPerSec, postgres1.sign.reqPerSec)}x)`,
      pass: postgres2.sign.reqPerSec >= postgres1.sign.reqPerSec * DATABASE_TARGETS.twoVsOneProcess,
    },
  ];
  const checks: Verdict[] = configurations.flatMap((c) => [
    ...[c.page, c.sign, c.confirm].map((f) => ({
      name: `${c.label}: ${f.label} got no errors and only ${f.expected} answers`,
      value: `${f.errors} errors, ${f.unexpected} other of ${f.requests}`,
      pass: f.errors === 0 && f.unexpected === 0 && f.requests > 0,
    })),
    {
      name: `${c.label}: every answered sign POST's confirmation reached the SMTP sink`,
      value: `${c.signEndToEnd.missing} missing of ${c.signEndToEnd.signatures}`,
      pass: c.signEndToEnd.missing === 0,
    },
  ]);
  return { skipped: null, configurations, ratios, plan: plan(postgres1), targets, checks };
}

/** The surge plan's figures from PostgreSQL with one web process (the database's cost does not depend on it). */
function plan(c: ConfigurationFigures): Plan | null {
  const signDb = c.signEndToEnd.netDatabaseCpuMsPerSignature;
  const confirmDb = c.confirm.netCpuMsPerRequest.database;
  const signApp = c.signEndToEnd.netServerCpuMsPerSignature;
  const confirmApp = c.confirm.netCpuMsPerRequest.app;
  if (
    signDb?.backends == null ||
    signDb.shared == null ||
    confirmDb?.backends == null ||
    confirmDb.shared == null ||
    signApp == null ||
    confirmApp == null
  )
    return null;
  const db = signDb.backends + confirmDb.backends;
  const dbWithShared = db + signDb.shared + confirmDb.shared;
  const app = signApp + confirmApp;
  return {
    databaseMsPerSignature: round3(db),
    databaseMsPerSignatureWithShared: round3(dbWithShared),
    appMsPerSignature: round3(app),
    signaturesPerSecondPerDatabaseCore: dbWithShared > 0 ? Math.round(1000 / dbWithShared) : 0,
    webCoresPerDatabaseCore: dbWithShared > 0 ? Math.round((app / dbWithShared) * 10) / 10 : 0,
  };
}

async function measureConfiguration(
  cfg: Configuration,
  postgres: { url: string; cpu: PostgresCpu } | null,
  opts: Parameters<typeof measureDatabases>[0],
): Promise<ConfigurationFigures> {
  const server = await startAppServer({
    tmp: opts.tmp,
    name: cfg.key,
    env: opts.env,
    nodeEnv: opts.nodeEnv,
    slug: opts.slug,
    mailWorker: "process",
    databaseUrl: postgres?.url,
    // Every page is rendered from the database: no whole-page cache, no page data cache.
    extraEnv: { WEB_CONCURRENCY: String(cfg.webProcesses), PAGE_CACHE_MS: "0" },
  });
  const { tree } = server;
  const databaseCpu = () => postgres?.cpu.read() ?? null;
  const settings: LoadSettings = {
    ...opts.settings,
    origin: server.origin,
    serverCpuMs: () => tree.cpuMs(),
    ...(postgres
      ? {
          cpuProbes: {
            backends: () => postgres.cpu.read()?.backends ?? null,
            shared: () => postgres.cpu.read()?.shared ?? null,
          },
        }
      : {}),
  };
  const total = opts.settings.seconds + opts.settings.warmupSeconds;
  try {
    await settled(tree);
    // What the server and the database use a second with no load, over the idle seconds.
    const idleStart = { at: Date.now(), app: tree.cpuMs(), db: databaseCpu() };
    await sleep(opts.idleSeconds * 1000);
    const idleEnd = { at: Date.now(), app: tree.cpuMs(), db: databaseCpu() };
    const idleSeconds = (idleEnd.at - idleStart.at) / 1000;
    const rate = (a: number | null | undefined, b: number | null | undefined) =>
      a != null && b != null ? round3((b - a) / idleSeconds) : null;
    const idle: Idle = {
      seconds: Math.round(idleSeconds * 10) / 10,
      appMsPerSecond: rate(idleStart.app, idleEnd.app),
      databaseMsPerSecond: postgres
        ? {
            backends: rate(idleStart.db?.backends, idleEnd.db?.backends),
            shared: rate(idleStart.db?.shared, idleEnd.db?.shared),
          }
        : null,
    };
    /** A figure per request less the idle CPU a second over `seconds`, shared among `count` requests. */
    const net = (
      perRequest: number | null | undefined,
      idlePerSecond: number | null | undefined,
      seconds: number,
      count: number,
    ) =>
      perRequest != null && idlePerSecond != null && count > 0
        ? round3(Math.max(0, perRequest - (idlePerSecond * seconds) / count))
        : null;
    const withDatabase = (f: RunFigures): ScenarioFigures => {
      const db = f.probeCpuMsPerRequest
        ? { backends: f.probeCpuMsPerRequest.backends ?? null, shared: f.probeCpuMsPerRequest.shared ?? null }
        : null;
      return {
        ...f,
        databaseCpuMsPerRequest: db,
        netCpuMsPerRequest: {
          app: net(f.serverCpuMsPerRequest, idle.appMsPerSecond, f.seconds, f.requests),
          database: db
            ? {
                backends: net(db.backends, idle.databaseMsPerSecond?.backends, f.seconds, f.requests),
                shared: net(db.shared, idle.databaseMsPerSecond?.shared, f.seconds, f.requests),
              }
            : null,
        },
      };
    };
    opts.log(
      `  web ${tree.webPids().join(", ")}; campaign page GET /petitions/${opts.slug}, rendered (PAGE_CACHE_MS=0)`,
    );
    const page = withDatabase(
      await runScenario(
        {
          key: "page",
          label: "campaign page GET, rendered",
          method: "GET",
          path: `/petitions/${opts.slug}`,
          headers: { "accept-encoding": "gzip, deflate, br, zstd" },
          expect: "2xx",
          maxRequests: total * 50_000,
        },
        settings,
      ),
    );
    opts.log(`  sign POST, then until every confirmation reached the SMTP sink`);
    const answered = new Map<string, number>();
    const signStart = Date.now();
    const cpuAtStart = tree.cpuMs();
    const dbAtStart = databaseCpu();
    const sign = withDatabase(
      await runScenario(
        signScenario({
          key: "sign",
          label: "sign POST",
          slug: opts.slug,
          runId: `${cfg.key}-${Date.now().toString(36)}`,
          answered,
          maxRequests: total * 20_000,
        }),
        settings,
      ),
    );
    const signEnd = Date.now();
    const { missing, last } = await server.arrivals.waitForAll(
      answered.keys(),
      Date.now() + opts.drainTimeoutSeconds * 1000,
    );
    const cpuAtEnd = tree.cpuMs();
    const dbAtEnd = databaseCpu();
    const signatures = answered.size;
    const seconds = (Math.max(last, signEnd) - signStart) / 1000;
    const per = (before: number | null | undefined, after: number | null | undefined) =>
      before != null && after != null && signatures > 0 ? round3((after - before) / signatures) : null;
    const databaseCpuMsPerSignature = postgres
      ? { backends: per(dbAtStart?.backends, dbAtEnd?.backends), shared: per(dbAtStart?.shared, dbAtEnd?.shared) }
      : null;
    const serverCpuMsPerSignature = per(cpuAtStart, cpuAtEnd);
    const signEndToEnd = {
      signatures,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: seconds > 0 ? Math.round(signatures / seconds) : 0,
      missing: missing.length,
      serverCpuMsPerSignature,
      databaseCpuMsPerSignature,
      netServerCpuMsPerSignature: net(serverCpuMsPerSignature, idle.appMsPerSecond, seconds, signatures),
      netDatabaseCpuMsPerSignature: databaseCpuMsPerSignature
        ? {
            backends: net(databaseCpuMsPerSignature.backends, idle.databaseMsPerSecond?.backends, seconds, signatures),
            shared: net(databaseCpuMsPerSignature.shared, idle.databaseMsPerSecond?.shared, seconds, signatures),
          }
        : null,
    };

    opts.log(`  inserting ${opts.confirmTokens.toLocaleString("en-GB")} pending signatures with known tokens`);
    const tokens = postgres
      ? await insertPendingSignaturesPostgres(postgres.url, opts.slug, opts.confirmTokens)
      : insertPendingSignatures(server.dbFile, opts.slug, opts.confirmTokens);
    opts.log(`  confirm POST /confirm/<token>`);
    const confirm = withDatabase(
      await runScenario(confirmScenario({ tokens, connections: opts.settings.connections }), settings),
    );
    return {
      key: cfg.key,
      label: cfg.label,
      webProcesses: cfg.webProcesses,
      database: postgres ? "postgres" : "sqlite",
      idle,
      page,
      sign,
      signEndToEnd,
      confirm,
    };
  } catch (err) {
    console.error(`[bench] app server log (last lines):\n${tailOf(server.child.logFile)}`);
    throw err;
  } finally {
    await server.stop();
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The part's table and lines for the terminal. */
export function databasesLines(r: DatabasesResult): string[] {
  if (r.skipped) return [`databases: SKIPPED, ${r.skipped}`];
  const lines = [
    "scenario / configuration                                     req/s    p50    p99  app cpu ms/req  db cpu ms/req (own+shared)  vs SQLite 1",
  ];
  const fmt = (n: number | null | undefined) => (n == null ? "?" : n.toFixed(3));
  for (const key of ["page", "sign", "confirm"] as const) {
    for (const c of r.configurations) {
      const f = c[key];
      const db = f.databaseCpuMsPerRequest
        ? `${fmt(f.databaseCpuMsPerRequest.backends)}+${fmt(f.databaseCpuMsPerRequest.shared)}`
        : "-";
      lines.push(
        `${`${f.label}, ${c.label}`.padEnd(60)}${pad(f.reqPerSec, 6)} ${pad(f.latencyMs.p50, 6)} ${pad(f.latencyMs.p99, 6)} ${pad(fmt(f.serverCpuMsPerRequest), 15)} ${pad(db, 27)} ${pad(r.ratios[c.key][key].toFixed(2) + "x", 12)}`,
      );
    }
  }
  for (const c of r.configurations) {
    const i = c.idle;
    const db = i.databaseMsPerSecond
      ? `, database ${fmt(i.databaseMsPerSecond.backends)} own + ${fmt(i.databaseMsPerSecond.shared)} shared`
      : "";
    lines.push(`idle CPU ms a second over ${i.seconds} s, ${c.label}: app ${fmt(i.appMsPerSecond)}${db}`);
  }
  for (const c of r.configurations) {
    const e = c.signEndToEnd;
    const db = e.databaseCpuMsPerSignature
      ? `, database ${fmt(e.databaseCpuMsPerSignature.backends)} ms own + ${fmt(e.databaseCpuMsPerSignature.shared)} ms shared`
      : "";
    const netDb = e.netDatabaseCpuMsPerSignature
      ? `, database ${fmt(e.netDatabaseCpuMsPerSignature.backends)} + ${fmt(e.netDatabaseCpuMsPerSignature.shared)}`
      : "";
    lines.push(
      `sign end to end, ${c.label}: ${e.signatures} signatures in ${e.seconds} s = ${e.perSecond}/s (${r.ratios[c.key].signEndToEnd.toFixed(2)}x SQLite 1); CPU a signature: app ${fmt(e.serverCpuMsPerSignature)} ms${db}; less idle: app ${fmt(e.netServerCpuMsPerSignature)}${netDb}`,
    );
  }
  if (r.plan)
    lines.push(
      `plan (PostgreSQL, 1 web process, less idle; a signature = sign POST with its email + confirm POST): database ${r.plan.databaseMsPerSignature} ms own, ${r.plan.databaseMsPerSignatureWithShared} ms with shared processes = ${r.plan.signaturesPerSecondPerDatabaseCore} signatures/s per database core; app ${r.plan.appMsPerSignature} ms = ${r.plan.webCoresPerDatabaseCore} app cores per database core`,
    );
  return lines;
}
