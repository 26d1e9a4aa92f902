/**
 * The mail part of `npm run bench` (BENCH_ONLY=mail runs it alone): how long
 * people wait for their confirmation email while a campaign is signed in a
 * surge, and what a crash of the whole server costs them. See bench/README.md.
 *
 * 1. Capacity: the sign POST at full speed, as the request benchmark sends it,
 *    then until the last confirmation reached the SMTP sink: signatures answered
 *    and emailed, a second.
 * 2. Surge: BENCH_SURGE_SHARE (70 %) of that rate for BENCH_SURGE_SECONDS (30 s).
 * 3. Crash: the same rate; after BENCH_CRASH_AFTER_SECONDS the whole server
 *    (primary, web and mail worker processes) is killed with SIGKILL, and
 *    started again on the same database.
 */
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { outboxBacklog, waitFigures, waitForEmptyOutbox, type WaitFigures } from "./arrivals";
import {
  endToEnd,
  layoutNote,
  signBody,
  signScenario,
  settled,
  startAppServer,
  type AppServer,
  type EndToEnd,
  type Env,
} from "./app-server";
import { SIGN_EMAIL_PREFIX } from "./database";
import { runScenario, type RunFigures } from "./load";
import { killGroup, tailOf } from "./processes";
import type { Verdict } from "./report";

export const MAIL_TARGETS = {
  /** p99 of the wait from the sign POST's answer to the email's arrival, during the surge. */
  surgeWaitP99Seconds: 10,
  /** The outbox is empty this long after the surge's load stops. */
  emptyAfterSeconds: 10,
  /** After a crash and a restart, every acknowledged signature's email is out within this long of the restart. */
  recoverySeconds: 60,
  /** ... and no message arrives more than this many times. */
  maxCopies: 2,
};

export type MailSettings = {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  surgeSeconds: number;
  surgeShare: number;
  crashAfterSeconds: number;
  /** How long to wait for a run's last emails before reporting them missing. */
  drainTimeoutSeconds: number;
  /** The app's MAIL_WORKER: "process", npm start's default, or "inline" to compare. */
  mailWorker: "process" | "inline";
};

/** A paced sign load (the surge and the crash run): what was asked, what was answered. */
export type PacedRun = {
  rate: number;
  seconds: number;
  requests: number;
  answered: number;
  answeredPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  non3xx: number;
  errors: number;
};

export type MailResults = {
  settings: MailSettings & { slug: string; layout: string };
  capacity: { run: RunFigures; endToEnd: EndToEnd };
  surge: {
    load: PacedRun;
    backlogAtStop: { pending: number; sending: number };
    /** Seconds after the load stopped when the outbox was empty (null: not within emptyAfterSeconds). */
    emptyAfterSeconds: number | null;
    endToEnd: EndToEnd;
    copies: { duplicated: number; maxCopies: number; messages: number };
    cpuMs: { web: number; mail: number };
  };
  crash: {
    load: PacedRun;
    acknowledged: number;
    atKill: { pending: number; sending: number };
    /** Whether the mail worker held claims when it was killed (see measureMail). */
    killedWhileHolding: boolean;
    /** Seconds from the restart until the server answered again. */
    serverBackSeconds: number;
    /** Seconds from the restart until every acknowledged signature's email had arrived (null: not within the wait). */
    allOutSeconds: number | null;
    missing: number;
    copies: { duplicated: number; maxCopies: number; messages: number };
    waits: WaitFigures;
  };
  rssMb: { web: number; mail: number; primary: number; total: number };
  targets: Verdict[];
  checks: Verdict[];
  pass: boolean;
};

function log(line: string) {
  console.log(`[bench] ${line}`);
}

/** The sign POST at a fixed rate, every answer recorded; with `stopWhen`, the load stops when that settles. */
async function pacedSign(
  server: AppServer,
  opts: {
    slug: string;
    runId: string;
    rate: number;
    seconds: number;
    connections: number;
    answered: Map<string, number>;
    stopWhen?: Promise<void>;
  },
): Promise<PacedRun> {
  let n = 0;
  const email = (i: number) => `${SIGN_EMAIL_PREFIX}${opts.runId}-${i}@example.org`;
  const instance = autocannon({
    url: `${server.origin}/petitions/${opts.slug}`,
    method: "POST",
    connections: opts.connections,
    duration: opts.seconds,
    overallRate: opts.rate,
    maxOverallRequests: Math.ceil(opts.rate * opts.seconds * 1.05) + opts.connections,
    timeout: 10,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    requests: [
      {
        method: "POST",
        setupRequest: (req, context) => {
          const i = n++;
          (context as { n?: number }).n = i;
          return { ...req, body: signBody(email(i)) };
        },
        onResponse: (status, _body, context) => {
          if (status >= 300 && status < 400) opts.answered.set(email((context as { n: number }).n), Date.now());
        },
      },
    ],
  });
  void opts.stopWhen?.then(() => (instance as unknown as { stop: () => void }).stop());
  const result = await instance;
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const non3xx = Object.entries(codes)
    .filter(([code]) => !code.startsWith("3"))
    .reduce((sum, [, c]) => sum + c.count, 0);
  return {
    rate: opts.rate,
    seconds: result.duration,
    requests: result.requests.total,
    answered: opts.answered.size,
    answeredPerSecond: result.duration > 0 ? Math.round(opts.answered.size / result.duration) : 0,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non3xx,
    errors: result.errors,
  };
}

export async function measureMail(opts: {
  tmp: string;
  slug: string;
  settings: MailSettings;
  env: Env;
  nodeEnv: string;
}): Promise<MailResults> {
  const { slug, settings } = opts;
  const server = await startAppServer({
    tmp: opts.tmp,
    name: "mail",
    env: opts.env,
    nodeEnv: opts.nodeEnv,
    slug,
    mailWorker: settings.mailWorker,
  });
  const runId = Date.now().toString(36);
  let rssMb = { web: 0, mail: 0, primary: 0, total: 0 };
  const sampleRss = () => {
    const r = server.tree.rssMb();
    rssMb = {
      web: Math.max(rssMb.web, r.web),
      mail: Math.max(rssMb.mail, r.mail),
      primary: Math.max(rssMb.primary, r.primary),
      total: Math.max(rssMb.total, r.total),
    };
  };
  const rssTimer = setInterval(sampleRss, 250);
  try {
    // Measured from a settled server, as the databases part is: a first run on a server still loading its
    // code counts that work as the sign POST's CPU.
    await settled(server.tree);
    // 1. Capacity: full speed, then until the last confirmation arrived.
    log(`mail: sign POST at full speed (${settings.connections} connections), then until every confirmation arrived`);
    const capacityAnswered = new Map<string, number>();
    const capacityStart = Date.now();
    const cpuAtStart = server.tree.cpuMs();
    const capacityRun = await runScenario(
      signScenario({
        key: "mailCapacity",
        label: "sign POST, full speed",
        slug,
        runId: `${runId}-capacity`,
        answered: capacityAnswered,
        maxRequests: (settings.seconds + settings.warmupSeconds) * 20_000,
      }),
      { ...settings, origin: server.origin, serverCpuMs: () => server.tree.cpuMs() },
    );
    const capacity = await endToEnd(
      server,
      { answered: capacityAnswered, startedAt: capacityStart, endedAt: Date.now(), cpuAtStart },
      settings.drainTimeoutSeconds * 1000,
    );
    log(
      `mail: ${capacity.signatures} signatures in ${capacity.seconds} s end to end: ${capacity.perSecond}/s (answers ${capacityRun.reqPerSec}/s; backlog at stop ${JSON.stringify(capacity.backlogAtStop)})`,
    );
    await waitForEmptyOutbox(server.dbFile, Date.now() + settings.drainTimeoutSeconds * 1000);

    // 2. Surge: a share of that rate.
    const rate = Math.max(1, Math.round(capacity.perSecond * settings.surgeShare));
    log(
      `mail: surge at ${rate} signatures/s (${Math.round(settings.surgeShare * 100)} % of capacity) for ${settings.surgeSeconds} s`,
    );
    const surgeAnswered = new Map<string, number>();
    const surgeStart = Date.now();
    const surgeCpu = {
      all: server.tree.cpuMs(),
      web: server.tree.partCpuMs("web"),
      mail: server.tree.partCpuMs("mail"),
    };
    const surgeLoad = await pacedSign(server, {
      slug,
      runId: `${runId}-surge`,
      rate,
      seconds: settings.surgeSeconds,
      connections: settings.connections,
      answered: surgeAnswered,
    });
    const surgeEnd = Date.now();
    const surgeBacklog = outboxBacklog(server.dbFile);
    const emptiedAt = await waitForEmptyOutbox(server.dbFile, surgeEnd + MAIL_TARGETS.emptyAfterSeconds * 1000);
    const surgeEndToEnd = await endToEnd(
      server,
      { answered: surgeAnswered, startedAt: surgeStart, endedAt: surgeEnd, cpuAtStart: surgeCpu.all },
      settings.drainTimeoutSeconds * 1000,
    );
    const surgeCpuMs = {
      web: server.tree.partCpuMs("web") - surgeCpu.web,
      mail: server.tree.partCpuMs("mail") - surgeCpu.mail,
    };
    const surgeCopies = server.arrivals.copies(surgeAnswered.keys());
    log(
      `mail: surge answered ${surgeLoad.answered} (${surgeLoad.answeredPerSecond}/s); wait p50 ${surgeEndToEnd.waits.p50} s, p99 ${surgeEndToEnd.waits.p99} s; backlog at stop ${JSON.stringify(surgeBacklog)}; outbox empty ${emptiedAt === null ? "NOT" : `${((emptiedAt - surgeEnd) / 1000).toFixed(1)} s`} after the load stopped`,
    );
    await waitForEmptyOutbox(server.dbFile, Date.now() + settings.drainTimeoutSeconds * 1000);
    sampleRss();

    // 3. Crash: the same rate; the whole server killed mid-load, then started again.
    log(`mail: crash run at ${rate}/s; kill -9 of every server process after ${settings.crashAfterSeconds} s`);
    const crashAnswered = new Map<string, number>();
    const killedPid = server.child.pid;
    // The kill comes while the mail worker holds claims (messages "sending"), so that the run has something
    // for the lease to bring back: the first moment it does after BENCH_CRASH_AFTER_SECONDS, or 5 s later.
    let killedHolding = false;
    const kill = (async () => {
      await sleep(settings.crashAfterSeconds * 1000);
      const until = Date.now() + 5_000;
      while (Date.now() < until) {
        if (outboxBacklog(server.dbFile).sending > 0) {
          killedHolding = true;
          break;
        }
        await sleep(5);
      }
      killGroup(killedPid, "SIGKILL");
    })();
    const crashLoad = await pacedSign(server, {
      slug,
      runId: `${runId}-crash`,
      rate,
      seconds: settings.crashAfterSeconds + 10,
      connections: settings.connections,
      answered: crashAnswered,
      stopWhen: kill,
    });
    // What the dead processes left: their claims ("sending") wait for their lease to end.
    const atKill = outboxBacklog(server.dbFile);
    const acknowledged = new Map(crashAnswered);
    log(
      `mail: killed ${killedHolding ? "while the worker held claims" : "(the worker held no claims within 5 s)"}, ${acknowledged.size} signatures acknowledged; outbox then ${JSON.stringify(atKill)}; restarting`,
    );
    const restartedAt = Date.now();
    await server.restart();
    const serverBackSeconds = (Date.now() - restartedAt) / 1000;
    const waitUntil = restartedAt + Math.max(MAIL_TARGETS.recoverySeconds, settings.drainTimeoutSeconds) * 1000;
    const recovered = await server.arrivals.waitForAll(acknowledged.keys(), waitUntil);
    const allOutSeconds = recovered.missing.length === 0 ? Math.max(0, recovered.last - restartedAt) / 1000 : null;
    // Copies that arrive late (a second send after the lease) must be counted too: wait for the outbox to empty.
    await waitForEmptyOutbox(server.dbFile, Date.now() + settings.drainTimeoutSeconds * 1000);
    const crashCopies = server.arrivals.copies(acknowledged.keys());
    log(
      `mail: after the restart (server back in ${serverBackSeconds.toFixed(1)} s) ${allOutSeconds === null ? `${recovered.missing.length} emails NOT out` : `every acknowledged email out ${allOutSeconds.toFixed(1)} s after the restart`}; ${crashCopies.duplicated} came twice, most copies of one ${crashCopies.maxCopies}`,
    );
    sampleRss();

    const targets: Verdict[] = [
      {
        name: `surge at ${Math.round(settings.surgeShare * 100)} % of capacity: confirmation wait p99 < ${MAIL_TARGETS.surgeWaitP99Seconds} s`,
        value: `p99 ${surgeEndToEnd.waits.p99} s (p50 ${surgeEndToEnd.waits.p50} s) at ${rate}/s`,
        pass: surgeEndToEnd.waits.missing === 0 && surgeEndToEnd.waits.p99 < MAIL_TARGETS.surgeWaitP99Seconds,
      },
      {
        name: `outbox empty ${MAIL_TARGETS.emptyAfterSeconds} s after the surge stops`,
        value:
          emptiedAt === null
            ? `not empty (${JSON.stringify(outboxBacklog(server.dbFile))} later)`
            : `empty after ${((emptiedAt - surgeEnd) / 1000).toFixed(1)} s`,
        pass: emptiedAt !== null,
      },
      {
        name: `after kill -9 and a restart, every acknowledged email out within ${MAIL_TARGETS.recoverySeconds} s`,
        value:
          allOutSeconds === null
            ? `${recovered.missing.length} of ${acknowledged.size} missing`
            : `${allOutSeconds.toFixed(1)} s after the restart (${acknowledged.size} signatures)`,
        pass: allOutSeconds !== null && allOutSeconds <= MAIL_TARGETS.recoverySeconds,
      },
      {
        name: `after the crash, no email more than ${MAIL_TARGETS.maxCopies} times (by Message-ID)`,
        value: `${crashCopies.duplicated} twice, at most ${crashCopies.maxCopies} copies`,
        pass: crashCopies.maxCopies <= MAIL_TARGETS.maxCopies,
      },
    ];
    const checks: Verdict[] = [
      {
        name: "capacity run: every answered signature's confirmation arrived",
        value: `${capacity.waits.missing} missing of ${capacity.signatures}`,
        pass: capacity.waits.missing === 0,
      },
      {
        name: "surge: the load was applied (answers >= 95 % of the rate asked)",
        value: `${surgeLoad.answered} answered of ${Math.round(rate * surgeLoad.seconds)} asked (${rate}/s for ${surgeLoad.seconds} s)`,
        pass: surgeLoad.answered >= rate * surgeLoad.seconds * 0.95,
      },
      {
        name: "surge: no errors, every answer a 3xx",
        value: `${surgeLoad.non3xx} other, ${surgeLoad.errors} errors`,
        pass: surgeLoad.non3xx === 0 && surgeLoad.errors === 0,
      },
      {
        name: "without a crash, no email twice",
        value: `${surgeCopies.duplicated} of ${surgeCopies.messages} twice`,
        pass: surgeCopies.duplicated === 0,
      },
    ];
    return {
      settings: {
        ...settings,
        slug,
        layout: layoutNote(settings.mailWorker),
      },
      capacity: { run: capacityRun, endToEnd: capacity },
      surge: {
        load: surgeLoad,
        backlogAtStop: surgeBacklog,
        emptyAfterSeconds: emptiedAt === null ? null : Math.round((emptiedAt - surgeEnd) / 100) / 10,
        endToEnd: surgeEndToEnd,
        copies: surgeCopies,
        cpuMs: surgeCpuMs,
      },
      crash: {
        load: crashLoad,
        acknowledged: acknowledged.size,
        atKill,
        killedWhileHolding: killedHolding,
        serverBackSeconds: Math.round(serverBackSeconds * 10) / 10,
        allOutSeconds: allOutSeconds === null ? null : Math.round(allOutSeconds * 10) / 10,
        missing: recovered.missing.length,
        copies: crashCopies,
        waits: waitFigures(acknowledged, server.arrivals),
      },
      rssMb: {
        web: Math.round(rssMb.web),
        mail: Math.round(rssMb.mail),
        primary: Math.round(rssMb.primary),
        total: Math.round(rssMb.total),
      },
      targets,
      checks,
      pass: [...targets, ...checks].every((v) => v.pass),
    };
  } catch (err) {
    console.error(`[bench] app server log (last lines):\n${tailOf(server.child.logFile)}`);
    throw err;
  } finally {
    clearInterval(rssTimer);
    await server.stop();
  }
}

export function mailLines(r: MailResults): string[] {
  const e = (x: EndToEnd) =>
    `${x.signatures} signatures, ${x.perSecond}/s end to end over ${x.seconds} s (drained ${x.drainSeconds} s after the load), ${x.cpuMsPerSignature ?? "?"} ms server CPU a signature; wait p50 ${x.waits.p50} s, p90 ${x.waits.p90} s, p99 ${x.waits.p99} s, max ${x.waits.max} s`;
  const s = r.surge;
  const c = r.crash;
  return [
    `mail: ${r.settings.layout}; ${r.settings.connections} connections; SMTP sink on 127.0.0.1 accepting at once`,
    `  capacity:  answers ${r.capacity.run.reqPerSec}/s (p99 ${r.capacity.run.latencyMs.p99} ms), ${r.capacity.run.serverCpuMsPerRequest ?? "?"} ms server CPU a request during the run; backlog at stop ${JSON.stringify(r.capacity.endToEnd.backlogAtStop)}`,
    `             ${e(r.capacity.endToEnd)}`,
    `  surge:     ${s.load.rate}/s asked for ${r.settings.surgeSeconds} s, ${s.load.answeredPerSecond}/s answered (POST p50 ${s.load.latencyMs.p50} ms, p99 ${s.load.latencyMs.p99} ms); backlog at stop ${JSON.stringify(s.backlogAtStop)}; outbox empty ${s.emptyAfterSeconds === null ? "NOT within 10 s" : `${s.emptyAfterSeconds} s`} after the stop`,
    `             ${e(s.endToEnd)}; CPU web ${s.cpuMs.web} ms, mail worker ${s.cpuMs.mail} ms in all`,
    `  crash:     ${c.acknowledged} signatures acknowledged before the kill (${c.killedWhileHolding ? "killed while the worker held claims" : "the worker held no claims"}); outbox at the kill ${JSON.stringify(c.atKill)}; server back ${c.serverBackSeconds} s after the restart; every email out ${c.allOutSeconds === null ? `NOT (${c.missing} missing)` : `${c.allOutSeconds} s after the restart`}; ${c.copies.duplicated} came twice (max copies ${c.copies.maxCopies}); wait p50 ${c.waits.p50} s, p99 ${c.waits.p99} s, max ${c.waits.max} s`,
    `  RSS max:   web ${r.rssMb.web} MB, mail worker ${r.rssMb.mail} MB, primary ${r.rssMb.primary} MB, all server processes ${r.rssMb.total} MB`,
  ];
}
