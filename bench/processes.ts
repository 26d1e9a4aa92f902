/** Child processes for `npm run bench`: start, wait for, sample and always stop them. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export const HOST = "127.0.0.1";

/** A free TCP port on the loopback address (the OS picks it; it is released before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, HOST, () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

export type Child = {
  name: string;
  pid: number;
  logFile: string;
  proc: ChildProcess;
  exited: () => boolean;
  stop: () => Promise<void>;
};

const running = new Set<Child>();

/**
 * Starts `node --import tsx <script>` with the given environment, its output
 * going to logFile. The pid is the server itself (no npx or shell in between),
 * so /proc/<pid> describes the process under load.
 */
export function startNodeChild(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string): Child {
  const out = fs.openSync(logFile, "a");
  const proc = spawn(process.execPath, ["--import", "tsx", script], { env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  if (!proc.pid) throw new Error(`${name}: could not start`);
  let exitedFlag = false;
  const exitedPromise = new Promise<void>((resolve) =>
    proc.once("exit", () => {
      exitedFlag = true;
      resolve();
    }),
  );
  const child: Child = {
    name,
    pid: proc.pid,
    logFile,
    proc,
    exited: () => exitedFlag,
    stop: async () => {
      running.delete(child);
      if (exitedFlag) return;
      proc.kill("SIGTERM");
      const ended = await Promise.race([exitedPromise.then(() => true), sleep(10_000).then(() => false)]);
      if (!ended) {
        proc.kill("SIGKILL");
        await Promise.race([exitedPromise, sleep(5_000)]);
      }
    },
  };
  running.add(child);
  return child;
}

/** Last resort on any exit path: no child outlives the benchmark. */
export function killAllChildrenNow(): void {
  for (const child of running) {
    if (!child.exited()) child.proc.kill("SIGKILL");
  }
  running.clear();
}

/** Polls a URL until it answers with `status`, at most `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000, status = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${child.name} exited before it answered (see ${child.logFile})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
      await res.arrayBuffer();
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await sleep(200);
  }
  throw new Error(`${child.name} did not answer ${url} with ${status} within ${timeoutMs} ms (last: ${last})`);
}

/** Waits until something accepts TCP connections on the loopback port, at most `timeoutMs`. */
export async function waitForTcp(port: number, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`${child.name} exited before it listened (see ${child.logFile})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, HOST);
      socket.setTimeout(1_000);
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => (socket.destroy(), resolve(false)));
    });
    if (open) return;
    await sleep(200);
  }
  throw new Error(`${child.name} did not listen on ${HOST}:${port} within ${timeoutMs} ms`);
}

export function tailOf(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Reads VmRSS (resident memory) of a process from /proc, in MB; null if it is gone. */
export function readRssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat;
 * null if it is gone. Linux counts it in ticks of 1/100 s (USER_HZ).
 */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at "state": utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every 250 ms: the overall maximum and the maximum since the last window(). */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  maxMb = 0;
  private windowMaxMb = 0;
  samples = 0;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    const mb = readRssMb(this.pid);
    if (mb === null) return;
    this.samples += 1;
    this.maxMb = Math.max(this.maxMb, mb);
    this.windowMaxMb = Math.max(this.windowMaxMb, mb);
  }

  /** The highest RSS since the previous call (or since start). */
  window(): number {
    this.sample();
    const max = this.windowMaxMb;
    this.windowMaxMb = 0;
    return max;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
