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
 * going to logFile. The pid is the process itself (no npx or shell in
 * between), so /proc/<pid> describes it. The app's server (server/start.ts) is
 * a primary that forks its web and mail worker processes: ServerTree finds them.
 * Every child gets a process group of its own, so that it and everything it
 * started can be killed at once (the crash run's kill -9, and the last resort).
 */
export function startNodeChild(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string): Child {
  const out = fs.openSync(logFile, "a");
  const proc = spawn(process.execPath, ["--import", "tsx", script], {
    env,
    stdio: ["ignore", out, out],
    detached: true,
  });
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
      const ended = await Promise.race([exitedPromise.then(() => true), sleep(20_000).then(() => false)]);
      if (!ended) {
        killGroup(proc.pid!, "SIGKILL");
        await Promise.race([exitedPromise, sleep(5_000)]);
      }
    },
  };
  running.add(child);
  return child;
}

/** SIGKILL (or another signal) to a child's whole process group: the child and every process it started. */
export function killGroup(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Last resort on any exit path: no child, nor any process a child started, outlives the benchmark. */
export function killAllChildrenNow(): void {
  for (const child of running) killGroup(child.pid);
  running.clear();
}

/** The ids of a process's children, from /proc (each /proc/<pid>/stat names its parent). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return children;
}

/** A process and all its descendants. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childPids(all[i]));
  return all;
}

/** Which part of the server a process is (server/primary.ts sets UNDERSIGNED_PROCESS), or null. */
function roleOf(pid: number): string | null {
  try {
    const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    return environ.find((v) => v.startsWith("UNDERSIGNED_PROCESS="))?.slice("UNDERSIGNED_PROCESS=".length) ?? null;
  } catch {
    return null;
  }
}

export type TreeRss = { web: number; mail: number; primary: number; total: number };

/**
 * The app's server as processes: the primary (server/start.ts as started),
 * its web processes and its mail worker process, each with whatever it runs
 * (tsx's esbuild service). CPU time and RSS are read for all of them.
 */
export class ServerTree {
  constructor(readonly primaryPid: number) {}

  /** The pids of one part: "web" or "mail" (the processes the primary forked), with their own children. */
  part(role: "web" | "mail"): number[] {
    return childPids(this.primaryPid)
      .filter((pid) => roleOf(pid) === role)
      .flatMap((pid) => processTree(pid));
  }

  /** CPU time (user + system) used so far by the primary and every process under it, in ms. */
  cpuMs(): number | null {
    const pids = processTree(this.primaryPid);
    let total = 0;
    for (const pid of pids) total += readCpuMs(pid) ?? 0;
    return readCpuMs(this.primaryPid) === null ? null : total;
  }

  /** CPU time of one part, in ms. */
  partCpuMs(role: "web" | "mail"): number {
    return this.part(role).reduce((sum, pid) => sum + (readCpuMs(pid) ?? 0), 0);
  }

  /** RSS in MB: the largest web process, the mail worker, the primary, and everything together. */
  rssMb(): TreeRss {
    const sum = (pids: number[]) => pids.reduce((total, pid) => total + (readRssMb(pid) ?? 0), 0);
    const web = childPids(this.primaryPid).filter((pid) => roleOf(pid) === "web");
    return {
      web: Math.max(0, ...web.map((pid) => sum(processTree(pid)))),
      mail: sum(this.part("mail")),
      primary: readRssMb(this.primaryPid) ?? 0,
      total: sum(processTree(this.primaryPid)),
    };
  }

  /** The primary's web processes (node:cluster workers), without what they run. */
  webPids(): number[] {
    return childPids(this.primaryPid).filter((pid) => roleOf(pid) === "web");
  }

  /** Waits until the primary has forked `count` web processes, at most `timeoutMs`. */
  async waitForWeb(count: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.webPids().length < count) {
      if (Date.now() > deadline)
        throw new Error(`fewer than ${count} web processes under pid ${this.primaryPid} after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Waits until the primary has forked a process of this part, at most `timeoutMs`. */
  async waitFor(role: "web" | "mail", timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.part(role).length === 0) {
      if (Date.now() > deadline)
        throw new Error(`no ${role} process under pid ${this.primaryPid} after ${timeoutMs} ms`);
      await sleep(100);
    }
  }
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

/**
 * Samples RSS every 250 ms: of one process, or of a server's processes (the
 * largest web process, and all of them together). Keeps the overall maximum
 * and the maximum since the last window().
 */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  maxMb = 0;
  private windowMaxMb = 0;
  /** The largest the whole server (every process) has been. */
  maxTotalMb = 0;
  /** The largest each part has been. */
  maxPartsMb = { web: 0, mail: 0, primary: 0 };
  samples = 0;

  constructor(
    private readonly target: number | ServerTree,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    let mb: number | null;
    if (typeof this.target === "number") {
      mb = readRssMb(this.target);
      if (mb !== null) this.maxTotalMb = Math.max(this.maxTotalMb, mb);
    } else {
      const r = this.target.rssMb();
      mb = r.total > 0 ? r.web : null;
      this.maxTotalMb = Math.max(this.maxTotalMb, r.total);
      this.maxPartsMb = {
        web: Math.max(this.maxPartsMb.web, r.web),
        mail: Math.max(this.maxPartsMb.mail, r.mail),
        primary: Math.max(this.maxPartsMb.primary, r.primary),
      };
    }
    if (mb === null) return;
    this.samples += 1;
    this.maxMb = Math.max(this.maxMb, mb);
    this.windowMaxMb = Math.max(this.windowMaxMb, mb);
  }

  /** The highest RSS (of the web process, for a server) since the previous call (or since start). */
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
