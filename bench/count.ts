/**
 * The count endpoint under a crowd (BENCH_ONLY=count, and part of a full `npm run bench`): GET
 * /api/petitions/<slug>/count.json on the real app, and the same small document from plain node:http
 * (bench/constant-server.ts) in the same run, one after the other. Target: at least COUNT_TARGET answers/s,
 * or at least half the constant server's rate (the box's own ceiling).
 */
import path from "node:path";
import { startAppServer, type Env } from "./app-server";
import { runScenario, type RunFigures } from "./load";
import { HOST, freePort, readCpuMs, startNodeChild, waitForHttp } from "./processes";

export const COUNT_TARGET = { reqPerSec: 20_000, ofConstant: 0.5 };

export type CountFigures = { constant: RunFigures; count: RunFigures; ratio: number; pass: boolean };

export async function measureCount(opts: {
  tmp: string;
  env: Env;
  nodeEnv: string;
  slug: string;
  settings: { connections: number; seconds: number; warmupSeconds: number };
  log: (line: string) => void;
}): Promise<CountFigures> {
  const total = opts.settings.seconds + opts.settings.warmupSeconds;
  const port = await freePort();
  const child = startNodeChild(
    "constant server",
    "bench/constant-server.ts",
    opts.env({ PORT: String(port) }),
    path.join(opts.tmp, "constant.log"),
  );
  let constant: RunFigures;
  try {
    const origin = `http://${HOST}:${port}`;
    await waitForHttp(`${origin}/`, child, 30_000);
    opts.log(`constant count document from node:http ${origin}/`);
    constant = await runScenario(
      {
        key: "countConstant",
        label: "constant count (node:http)",
        method: "GET",
        path: "/",
        expect: "2xx",
        maxRequests: total * 150_000,
      },
      { ...opts.settings, origin, serverCpuMs: () => readCpuMs(child.pid) },
    );
  } finally {
    await child.stop();
  }

  const server = await startAppServer({
    tmp: opts.tmp,
    name: "count",
    env: opts.env,
    nodeEnv: opts.nodeEnv,
    slug: opts.slug,
    mailWorker: "process",
  });
  let count: RunFigures;
  try {
    const path = `/api/petitions/${opts.slug}/count.json`;
    opts.log(`count endpoint GET ${server.origin}${path}`);
    count = await runScenario(
      { key: "count", label: "count.json GET (app)", method: "GET", path, expect: "2xx", maxRequests: total * 150_000 },
      { ...opts.settings, origin: server.origin, serverCpuMs: () => server.tree.cpuMs() },
    );
  } finally {
    await server.stop();
  }
  const ratio = constant.reqPerSec > 0 ? Math.round((count.reqPerSec / constant.reqPerSec) * 1000) / 1000 : 0;
  const pass =
    count.unexpected === 0 &&
    count.errors === 0 &&
    (count.reqPerSec >= COUNT_TARGET.reqPerSec || ratio >= COUNT_TARGET.ofConstant);
  return { constant, count, ratio, pass };
}

export function countLines(f: CountFigures): string {
  const line = (r: RunFigures) =>
    `  ${r.label.padEnd(28)} ${Math.round(r.reqPerSec).toLocaleString("en-GB").padStart(8)} req/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  ${r.serverCpuMsPerRequest ?? "?"} ms CPU/req  non-2xx ${r.unexpected}  errors ${r.errors}`;
  return [
    "Count endpoint:",
    line(f.constant),
    line(f.count),
    `  ${f.pass ? "PASS" : "FAIL"} count.json ≥ ${COUNT_TARGET.reqPerSec.toLocaleString("en-GB")} req/s or ≥ ${COUNT_TARGET.ofConstant}x the constant server: ${Math.round(f.count.reqPerSec).toLocaleString("en-GB")} req/s, ${f.ratio}x`,
  ].join("\n");
}
