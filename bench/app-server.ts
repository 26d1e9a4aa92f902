/**
 * The app as the request and mail benchmarks run it: `node --import tsx
 * server/start.ts` from the production build, in the default process layout
 * (a primary, a web process, a mail worker process), on a fresh database, with
 * an SMTP sink on 127.0.0.1 (bench/smtp-sink.ts) that accepts every message at
 * once and records when each arrived. Also the sign POST as both benchmarks
 * send it, and what a run of it costs end to end: until the last confirmation
 * reached the sink.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Arrivals, outboxBacklog, waitFigures, type WaitFigures } from "./arrivals";
import { SIGN_EMAIL_PREFIX } from "./database";
import type { Scenario } from "./load";
import { HOST, ServerTree, freePort, startNodeChild, waitForHttp, waitForTcp, type Child } from "./processes";

/** The signing limits (app/config.server.ts), set so high that they are checked on every signature but never trip. */
export const LIMIT_VARS = [
  "LIMIT_ADDRESS_BURST",
  "LIMIT_ADDRESS",
  "LIMIT_NETWORK",
  "LIMIT_DOMAIN",
  "LIMIT_ADDRESS_SITE",
];

/** The app's environment with nothing inherited from the shell (run.ts's cleanEnv). */
export type Env = (extra: Record<string, string>) => NodeJS.ProcessEnv;

/** How the benchmark's app is laid out, in words for the report. */
export function layoutNote(mailWorker: "process" | "inline"): string {
  return mailWorker === "process"
    ? "npm start's default: a primary, one web process, one mail worker process (MAIL_WORKER=process)"
    : "a primary and one web process that sends the mail itself (MAIL_WORKER=inline)";
}

export type AppServer = {
  origin: string;
  /** The app's DATABASE_URL: the SQLite file in the temp folder, or the PostgreSQL URL it was given. */
  dbFile: string;
  /** The server as started: the primary. */
  child: Child;
  tree: ServerTree;
  sink: Child;
  arrivals: Arrivals;
  /** Starts the server again on the same database and port (after the crash run's kill). */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * Waits until a server just started has settled: for seconds its processes load and compile their code and
 * the mail worker and the scheduled jobs start, which a load run would otherwise count as the requests'
 * CPU. Settled is less than a tenth of a core over a second, or 30 s gone.
 */
export async function settled(tree: ServerTree): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const before = tree.cpuMs();
    await sleep(1000);
    const after = tree.cpuMs();
    if (before === null || after === null || after - before < 100 || Date.now() > until) return;
  }
}

export async function startAppServer(opts: {
  tmp: string;
  /** Names the files in the temp folder. */
  name: string;
  env: Env;
  /** NODE_ENV for the app, or "" for unset. */
  nodeEnv: string;
  slug: string;
  /** MAIL_WORKER for the app: "process" (npm start's default) or "inline", to compare. */
  mailWorker: "process" | "inline";
  /** A PostgreSQL URL (its database already made) instead of a fresh SQLite file in the temp folder. */
  databaseUrl?: string;
  /** More of the app's configuration, e.g. WEB_CONCURRENCY or PAGE_CACHE_MS (bench/databases.ts). */
  extraEnv?: Record<string, string>;
}): Promise<AppServer> {
  const { tmp, name } = opts;
  const smtpPort = await freePort();
  const arrivalsFile = path.join(tmp, `${name}-arrivals.tsv`);
  const sink = startNodeChild(
    "smtp sink",
    "bench/smtp-sink.ts",
    opts.env({ PORT: String(smtpPort), ARRIVALS_FILE: arrivalsFile }),
    path.join(tmp, `${name}-smtp.log`),
  );
  await waitForTcp(smtpPort, sink);

  const port = await freePort();
  const origin = `http://${HOST}:${port}`;
  const dbFile = opts.databaseUrl ?? path.join(tmp, `${name}.sqlite`);
  const env = opts.env({
    DATABASE_URL: dbFile,
    SEED_DEMO: "1",
    PORT: String(port),
    HOST,
    APP_URL: origin,
    BENCH_ROUTES: "1",
    // Every request comes from 127.0.0.1 with @example.org addresses: limits high enough that the
    // signing limits are checked on every request but never hold a signature back as suspect.
    ...Object.fromEntries(LIMIT_VARS.map((v) => [v, "1000000000/60"])),
    // autocannon posts the same form body without the page's signed time stamp: the minimum fill time
    // would hold every signature as suspect. (PAGE_CACHE_MS is left at its default, as in production.)
    MIN_FILL_SECONDS: "0",
    // Every email goes to the sink, in development as in production.
    SMTP_URL: `smtp://${HOST}:${smtpPort}`,
    MAIL_WORKER: opts.mailWorker,
    ...(opts.nodeEnv ? { NODE_ENV: opts.nodeEnv } : {}),
    // Production also wants a sender at a real domain (APP_URL, the loopback origin, is set above).
    ...(opts.nodeEnv === "production"
      ? { SESSION_SECRET: randomBytes(32).toString("hex"), MAIL_FROM: "Undersigned bench <bench@example.org>" }
      : {}),
    ...opts.extraEnv,
  });
  const webProcesses = Number(opts.extraEnv?.WEB_CONCURRENCY ?? 1);
  const logFile = path.join(tmp, `${name}.log`);
  const start = async () => {
    const child = startNodeChild("app server", "server/start.ts", env, logFile);
    await waitForHttp(`${origin}/healthz`, child, 90_000);
    await waitForHttp(`${origin}/bench/floor`, child, 10_000);
    await waitForHttp(`${origin}/petitions/${opts.slug}`, child, 10_000);
    const tree = new ServerTree(child.pid);
    await tree.waitForWeb(webProcesses, 60_000);
    if (opts.mailWorker === "process") await tree.waitFor("mail", 60_000);
    return { child, tree };
  };
  const server: AppServer = {
    origin,
    dbFile,
    ...(await start()),
    sink,
    arrivals: new Arrivals(arrivalsFile),
    restart: async () => {
      const started = await start();
      server.child = started.child;
      server.tree = started.tree;
    },
    stop: async () => {
      await server.child.stop();
      await sink.stop();
    },
  };
  return server;
}

/**
 * The sign POST as autocannon sends it: the signing form, urlencoded, a new
 * address per request (`${SIGN_EMAIL_PREFIX}${runId}-${n}@example.org`).
 * Each 3xx answer is recorded in `answered` (address -> when it came).
 */
export function signScenario(opts: {
  key: string;
  label: string;
  slug: string;
  runId: string;
  answered: Map<string, number>;
  maxRequests: number;
}): Scenario {
  const email = (n: number) => `${SIGN_EMAIL_PREFIX}${opts.runId}-${n}@example.org`;
  return {
    key: opts.key,
    label: opts.label,
    method: "POST",
    path: `/petitions/${opts.slug}`,
    build: (n) => ({ path: `/petitions/${opts.slug}`, body: signBody(email(n)) }),
    answered: (n, status, at) => {
      if (status >= 300 && status < 400) opts.answered.set(email(n), at);
    },
    expect: "3xx",
    maxRequests: opts.maxRequests,
  };
}

/**
 * The confirm POST as autocannon sends it: each request takes the next of `tokens` (pending signatures'
 * confirmation tokens). The run stops before the tokens run out: each connection builds one ahead.
 */
export function confirmScenario(opts: { tokens: string[]; connections: number; label?: string }): Scenario {
  const { tokens } = opts;
  const spare = 2 * opts.connections + 100;
  return {
    key: "confirm",
    label: opts.label ?? "confirm POST",
    method: "POST",
    path: "/confirm/x",
    build: (n) => ({ path: `/confirm/${tokens[n % tokens.length]}`, body: "intent=confirm" }),
    expect: "3xx",
    maxRequests: Math.max(opts.connections, tokens.length - 2 * spare),
  };
}

export function signBody(email: string): string {
  return new URLSearchParams({ name: "Bench Signer", email, country: "GB", nameDisplay: "hidden" }).toString();
}

export type EndToEnd = {
  /** Signatures answered with a 3xx (warm-up included). */
  signatures: number;
  /** Their confirmations still to go in the outbox (pending, or claimed) when the load stopped. */
  backlogAtStop: { pending: number; sending: number };
  /** From the load's start until the last of their confirmations reached the SMTP sink. */
  seconds: number;
  /** signatures / seconds: signatures answered and emailed, a second. */
  perSecond: number;
  /** From the load's end until the last confirmation arrived. */
  drainSeconds: number;
  /** CPU time of every server process from the load's start until then, per signature. */
  cpuMsPerSignature: number | null;
  /** From each answer to its email's arrival, in seconds. */
  waits: WaitFigures;
};

/**
 * After a sign load: the outbox's backlog now, then waits (at most
 * `timeoutMs`) until every answered signature's confirmation reached the sink.
 */
export async function endToEnd(
  server: AppServer,
  run: { answered: Map<string, number>; startedAt: number; endedAt: number; cpuAtStart: number | null },
  timeoutMs: number,
): Promise<EndToEnd> {
  const backlogAtStop = outboxBacklog(server.dbFile);
  const { last } = await server.arrivals.waitForAll(run.answered.keys(), Date.now() + timeoutMs);
  const cpuAfter = server.tree.cpuMs();
  const signatures = run.answered.size;
  const end = Math.max(last, run.endedAt);
  const seconds = (end - run.startedAt) / 1000;
  return {
    signatures,
    backlogAtStop,
    seconds: round(seconds),
    perSecond: seconds > 0 ? Math.round(signatures / seconds) : 0,
    drainSeconds: round((end - run.endedAt) / 1000),
    cpuMsPerSignature:
      run.cpuAtStart !== null && cpuAfter !== null && signatures > 0
        ? Math.round(((cpuAfter - run.cpuAtStart) / signatures) * 1000) / 1000
        : null,
    waits: waitFigures(run.answered, server.arrivals),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
