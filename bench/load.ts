/** One measured scenario: a warm-up, then a timed autocannon run, reduced to the figures we report. */
import autocannon from "autocannon";

export type Expect = "2xx" | "3xx";

export type Scenario = {
  /** Short key used in the table and the JSON. */
  key: string;
  label: string;
  method: "GET" | "POST";
  /** The path of a fixed request (GETs). */
  path: string;
  /** Extra request headers (the rendered campaign page sends a cookie, which keeps it out of the page cache). */
  headers?: Record<string, string>;
  /** For POSTs: builds request number n (0, 1, 2, ...). Numbers are shared by warm-up and run. */
  build?: (n: number) => { path: string; body: string };
  expect: Expect;
  /** Upper bound on requests in the measured run (the warm-up has its own share of it). */
  maxRequests: number;
  /** Told of every answer to request number n (as `build` numbered it), when it arrived, with its status. */
  answered?: (n: number, status: number, at: number) => void;
};

export type RunFigures = {
  key: string;
  label: string;
  method: string;
  path: string;
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  statusCodes: Record<string, number>;
  expected: Expect;
  /** Responses whose status is not in the expected class (2xx for pages, 3xx for form posts). */
  unexpected: number;
  /** Socket errors, timeouts included. */
  errors: number;
  /**
   * CPU time the server used during the measured run, per answered request:
   * every process of it (the primary, the web process, the mail worker
   * process), so background work such as sending the confirmations is in it.
   * Less sensitive than req/s to other processes competing for the cores.
   */
  serverCpuMsPerRequest: number | null;
  /** The same for each of LoadSettings.cpuProbes. */
  probeCpuMsPerRequest?: Record<string, number | null>;
  /** Highest RSS of the server while this scenario ran (warm-up included), for the app's scenarios. */
  serverMaxRssMb?: number;
  /** For the app's scenarios: messages still to go in the outbox (pending or claimed) when the run's load stopped. */
  outboxAtStop?: { pending: number; sending: number };
  /** Counts of the warm-up run, which are not in the figures above. */
  warmup: { requests: number; errors: number; statusCodes: Record<string, number> };
};

export type LoadSettings = {
  origin: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** The server's CPU time so far, in ms (all its processes: bench/processes.ts ServerTree). */
  serverCpuMs?: () => number | null;
  /** More CPU clocks read around the measured run, in ms (the database server's processes: bench/databases.ts). */
  cpuProbes?: Record<string, () => number | null>;
};

const FORM = "application/x-www-form-urlencoded";

async function fire(s: Scenario, settings: LoadSettings, seconds: number, maxRequests: number, counter: { n: number }) {
  const requests: autocannon.Request[] | undefined = s.build
    ? [
        {
          method: s.method,
          path: s.path,
          headers: { "content-type": FORM, ...s.headers },
          setupRequest: (req, context) => {
            const n = counter.n++;
            // One request in flight per connection: the connection's context says which one an answer is to.
            (context as { n?: number }).n = n;
            const { path, body } = s.build!(n);
            return { ...req, path, body };
          },
          onResponse: s.answered
            ? (status, _body, context) => s.answered!((context as { n: number }).n, status, Date.now())
            : undefined,
        },
      ]
    : undefined;
  return autocannon({
    url: settings.origin + s.path,
    method: s.method,
    connections: settings.connections,
    duration: seconds,
    // A second bound besides time: the run stops by itself after this many requests.
    maxOverallRequests: Math.max(settings.connections, maxRequests),
    timeout: 10,
    requests,
    headers: s.build || s.headers ? { ...(s.build ? { "content-type": FORM } : {}), ...s.headers } : undefined,
  });
}

function statusCodes(result: autocannon.Result): Record<string, number> {
  const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.fromEntries(Object.entries(stats).map(([code, { count }]) => [code, count]));
}

export async function runScenario(s: Scenario, settings: LoadSettings, counter = { n: 0 }): Promise<RunFigures> {
  const warmupShare = Math.floor(
    s.maxRequests * (settings.warmupSeconds / (settings.seconds + settings.warmupSeconds)),
  );
  const warm =
    settings.warmupSeconds > 0 ? await fire(s, settings, settings.warmupSeconds, warmupShare, counter) : null;
  const probes = Object.entries(settings.cpuProbes ?? {});
  const probesBefore = probes.map(([, read]) => read());
  const cpuBefore = settings.serverCpuMs?.() ?? null;
  const result = await fire(s, settings, settings.seconds, s.maxRequests - warmupShare, counter);
  const cpuAfter = settings.serverCpuMs?.() ?? null;
  const probesAfter = probes.map(([, read]) => read());
  const perRequest = (before: number | null, after: number | null) =>
    before !== null && after !== null && result.requests.total > 0
      ? Math.round(((after - before) / result.requests.total) * 1000) / 1000
      : null;
  const codes = statusCodes(result);
  const inClass = Object.entries(codes)
    .filter(([code]) => code.startsWith(s.expect[0]))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    key: s.key,
    label: s.label,
    method: s.method,
    path: s.path,
    connections: settings.connections,
    seconds: result.duration,
    requests: result.requests.total,
    reqPerSec: result.duration > 0 ? Math.round(result.requests.total / result.duration) : 0,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: Math.round(result.latency.average * 100) / 100,
      max: result.latency.max,
    },
    serverCpuMsPerRequest: perRequest(cpuBefore, cpuAfter),
    ...(probes.length > 0
      ? {
          probeCpuMsPerRequest: Object.fromEntries(
            probes.map(([name], i) => [name, perRequest(probesBefore[i], probesAfter[i])]),
          ),
        }
      : {}),
    statusCodes: codes,
    expected: s.expect,
    unexpected: result.requests.total - inClass,
    errors: result.errors,
    warmup: {
      requests: warm?.requests.total ?? 0,
      errors: warm?.errors ?? 0,
      statusCodes: warm ? statusCodes(warm) : {},
    },
  };
}

/** How many requests were answered with a status of the given class, warm-up included. */
export function answered(f: RunFigures, cls: Expect): number {
  const count = (codes: Record<string, number>) =>
    Object.entries(codes)
      .filter(([code]) => code.startsWith(cls[0]))
      .reduce((sum, [, n]) => sum + n, 0);
  return count(f.statusCodes) + count(f.warmup.statusCodes);
}
