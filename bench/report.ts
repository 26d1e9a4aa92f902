/** The benchmark's table, its targets and checks, and bench/results/latest.json. */
import fs from "node:fs";
import path from "node:path";
import type { DbFacts } from "./database";
import { answered, type RunFigures } from "./load";

export type Verdict = { name: string; value: string; pass: boolean };

export type Runs = {
  baselineGet: RunFigures;
  baselinePost: RunFigures;
  floor: RunFigures;
  page: RunFigures;
  /** The campaign page rendered by Remix for every request: the path the page cache (server/page-cache.ts) saves. */
  pageRendered: RunFigures;
  sign: RunFigures;
  confirm: RunFigures;
};

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);

export function ratios(r: Runs) {
  return {
    pageVsFloor: ratio(r.page.reqPerSec, r.floor.reqPerSec),
    pageRenderedVsFloor: ratio(r.pageRendered.reqPerSec, r.floor.reqPerSec),
    signVsFloor: ratio(r.sign.reqPerSec, r.floor.reqPerSec),
    confirmVsFloor: ratio(r.confirm.reqPerSec, r.floor.reqPerSec),
    floorVsBaselineGet: ratio(r.floor.reqPerSec, r.baselineGet.reqPerSec),
    pageVsBaselineGet: ratio(r.page.reqPerSec, r.baselineGet.reqPerSec),
    pageRenderedVsBaselineGet: ratio(r.pageRendered.reqPerSec, r.baselineGet.reqPerSec),
    signVsBaselinePost: ratio(r.sign.reqPerSec, r.baselinePost.reqPerSec),
    confirmVsBaselinePost: ratio(r.confirm.reqPerSec, r.baselinePost.reqPerSec),
    /** The same comparisons from the server's CPU time per request (floor's / scenario's): steadier on a busy machine. */
    byCpu: {
      pageVsFloor: ratio(r.floor.serverCpuMsPerRequest ?? 0, r.page.serverCpuMsPerRequest ?? 0),
      pageRenderedVsFloor: ratio(r.floor.serverCpuMsPerRequest ?? 0, r.pageRendered.serverCpuMsPerRequest ?? 0),
      signVsFloor: ratio(r.floor.serverCpuMsPerRequest ?? 0, r.sign.serverCpuMsPerRequest ?? 0),
      confirmVsFloor: ratio(r.floor.serverCpuMsPerRequest ?? 0, r.confirm.serverCpuMsPerRequest ?? 0),
    },
  };
}

export const TARGETS = {
  signVsFloor: 0.8,
  pageVsFloor: 0.8,
  signReqPerSec: 1000,
  pageP99Ms: 50,
  serverMaxRssMb: 250,
};

/**
 * The targets. The sign POST's are judged on its end-to-end rate: signatures
 * answered AND their confirmations handed to the SMTP sink, a second
 * (bench/app-server.ts endToEnd), not on the answers alone.
 */
export function targetVerdicts(r: Runs, serverMaxRssMb: number, signEndToEnd: { perSecond: number }): Verdict[] {
  const q = ratios(r);
  const signVsFloor = ratio(signEndToEnd.perSecond, r.floor.reqPerSec);
  return [
    {
      name: `sign POST end to end >= ${TARGETS.signVsFloor}x floor`,
      value: `${signVsFloor.toFixed(2)}x (answers alone ${q.signVsFloor.toFixed(2)}x)`,
      pass: signVsFloor >= TARGETS.signVsFloor,
    },
    {
      name: `campaign page >= ${TARGETS.pageVsFloor}x floor`,
      value: `${q.pageVsFloor.toFixed(2)}x`,
      pass: q.pageVsFloor >= TARGETS.pageVsFloor,
    },
    {
      name: `sign POST end to end >= ${TARGETS.signReqPerSec} signatures/s`,
      value: `${signEndToEnd.perSecond}/s (answers alone ${r.sign.reqPerSec} req/s)`,
      pass: signEndToEnd.perSecond >= TARGETS.signReqPerSec,
    },
    {
      name: `campaign page p99 < ${TARGETS.pageP99Ms} ms at ${r.page.connections} connections`,
      value: `${r.page.latencyMs.p99} ms`,
      pass: r.page.latencyMs.p99 < TARGETS.pageP99Ms,
    },
    {
      name: `web process max RSS < ${TARGETS.serverMaxRssMb} MB`,
      value: `${serverMaxRssMb.toFixed(0)} MB`,
      pass: serverMaxRssMb > 0 && serverMaxRssMb < TARGETS.serverMaxRssMb,
    },
  ];
}

const num = (n: number) => n.toLocaleString("en-GB");
const pad = (s: string, w: number, left = false) => (left ? s.padEnd(w) : s.padStart(w));

export function table(r: Runs): string {
  const q = ratios(r);
  const rows: [RunFigures, string, string][] = [
    [r.baselineGet, "", "1.00"],
    [r.baselinePost, "", "1.00"],
    [r.floor, "1.00", q.floorVsBaselineGet.toFixed(3)],
    [r.page, q.pageVsFloor.toFixed(2), q.pageVsBaselineGet.toFixed(3)],
    [r.pageRendered, q.pageRenderedVsFloor.toFixed(2), q.pageRenderedVsBaselineGet.toFixed(3)],
    [r.sign, q.signVsFloor.toFixed(2), q.signVsBaselinePost.toFixed(3)],
    [r.confirm, q.confirmVsFloor.toFixed(2), q.confirmVsBaselinePost.toFixed(3)],
  ];
  const head = [
    pad("scenario", 40, true),
    pad("req/s", 8),
    pad("p50 ms", 7),
    pad("p99 ms", 7),
    pad("cpu ms/req", 10),
    pad("requests", 9),
    pad("expected", 9),
    pad("other st.", 9),
    pad("errors", 7),
    pad("max RSS", 8),
    pad("outbox left", 11),
    pad("vs floor", 9),
    pad("vs base", 8),
  ].join(" ");
  const lines = rows.map(([f, vsFloor, vsBase]) =>
    [
      pad(f.label, 40, true),
      pad(num(f.reqPerSec), 8),
      pad(String(f.latencyMs.p50), 7),
      pad(String(f.latencyMs.p99), 7),
      pad(f.serverCpuMsPerRequest === null ? "" : f.serverCpuMsPerRequest.toFixed(3), 10),
      pad(num(f.requests), 9),
      pad(`${num(f.requests - f.unexpected)} ${f.expected}`, 9),
      pad(num(f.unexpected), 9),
      pad(num(f.errors), 7),
      pad(f.serverMaxRssMb === undefined ? "" : `${f.serverMaxRssMb.toFixed(0)} MB`, 8),
      pad(f.outboxAtStop === undefined ? "" : num(f.outboxAtStop.pending + f.outboxAtStop.sending), 11),
      pad(vsFloor, 9),
      pad(vsBase, 8),
    ].join(" "),
  );
  return [head, "-".repeat(head.length), ...lines].join("\n");
}

/**
 * What the database must say after the runs. A run ends with up to one request
 * in flight per connection: the server still handles it, but autocannon no
 * longer counts its answer; so rows may exceed counted 302s by that much (and
 * by the requests that timed out).
 */
export function correctness(facts: DbFacts, sign: RunFigures, confirm: RunFigures): Verdict[] {
  // Timed-out requests were sent too, and the server may have handled them.
  const inFlight = (f: RunFigures) => f.connections * (f.warmup.requests > 0 ? 2 : 1) + f.errors + f.warmup.errors;
  const matches = (rows: number, f: RunFigures) => {
    const counted = answered(f, "3xx");
    return {
      value: `${rows} rows, ${counted} 302s (+${rows - counted}, at most ${inFlight(f)} in flight)`,
      pass: rows >= counted && rows - counted <= inFlight(f),
    };
  };
  const p = facts.petition;
  return [
    {
      name: "public count (stored + unfolded) = confirmed signatures",
      value: `${p.signatureCount} = ${p.confirmed} (${p.unfolded} changes not yet folded)`,
      pass: p.signatureCount === p.confirmed,
    },
    {
      name: "per-country counts add up to the public count",
      value: `${p.countryCountSum} = ${p.signatureCount}`,
      pass: p.countryCountSum === p.signatureCount,
    },
    {
      name: "no petition's count has drifted",
      value: `${facts.driftedPetitions.length} drifted`,
      pass: facts.driftedPetitions.length === 0,
    },
    { name: "confirmed signatures match confirm 302s", ...matches(facts.confirmedByBench, confirm) },
    { name: "stored signatures match sign 302s", ...matches(facts.signedByBench, sign) },
    {
      name: "signatures from the sign POSTs are all pending",
      value: `${facts.signedByBenchPending} of ${facts.signedByBench}`,
      pass: facts.signedByBenchPending === facts.signedByBench,
    },
    ...[sign, confirm].map((f) => ({
      name: `${f.label}: no errors, every answer a ${f.expected}`,
      value: `${f.unexpected} other, ${f.errors} errors`,
      pass: f.unexpected === 0 && f.errors === 0,
    })),
  ];
}

export function cpuRatioLine(r: Runs): string {
  const c = ratios(r).byCpu;
  return `the same ratios from server CPU per request (steadier when other processes compete): campaign page ${c.pageVsFloor.toFixed(2)}x floor, rendered ${c.pageRenderedVsFloor.toFixed(2)}x, sign POST ${c.signVsFloor.toFixed(2)}x, confirm POST ${c.confirmVsFloor.toFixed(2)}x`;
}

export function verdictLines(title: string, verdicts: Verdict[]): string {
  const width = Math.max(...verdicts.map((v) => v.name.length));
  return [title, ...verdicts.map((v) => `  ${v.pass ? "PASS" : "FAIL"}  ${v.name.padEnd(width)}  ${v.value}`)].join(
    "\n",
  );
}

export function writeResults(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + "\n");
}
