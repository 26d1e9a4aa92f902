/**
 * The server as `npm start` runs it (server/start.ts: a primary, web processes and a mail worker process) and
 * `npm run worker` processes, started as real processes on a test's database, with their output kept.
 */
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { UNLIMITED_SIGNING } from "./app";

export type Started = {
  proc: ChildProcess;
  output: () => string;
  /** Kills the process and everything it started (its own process group). */
  stop: () => Promise<void>;
};

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitUntil(
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts processes for one test and stops them all afterwards (`stopAll` in an afterEach). `baseEnv` is the
 * environment every process gets: the database, the SMTP server, secrets; a process gets nothing else of
 * the test's own environment but PATH and HOME.
 */
export class Processes {
  private readonly started: Started[] = [];
  constructor(private readonly baseEnv: () => Record<string, string>) {}

  static envFor(database: string, smtpUrl: string): Record<string, string> {
    return {
      DATABASE_URL: database,
      SMTP_URL: smtpUrl,
      APP_URL: "http://127.0.0.1:9",
      SESSION_SECRET: "process-test-secret-0123456789abcdef",
      MIN_FILL_SECONDS: "0",
      ...UNLIMITED_SIGNING,
    };
  }

  start(script: string, env: Record<string, string>): Started {
    const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...this.baseEnv(), ...env } as Record<
        string,
        string | undefined
      > as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: the server's primary, web and mail worker processes all stop with it.
      detached: true,
    });
    let output = "";
    proc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    const handle: Started = {
      proc,
      output: () => output,
      stop: async () => {
        try {
          process.kill(-proc.pid!, "SIGKILL");
        } catch {
          // Gone already.
        }
        await exited;
      },
    };
    this.started.push(handle);
    return handle;
  }

  /** `npm start`'s entry (server/start.ts) on a port of its own, once it says it is running. */
  async startServer(env: Record<string, string>) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = this.start("server/start.ts", { APP_URL: url, PORT: String(port), HOST: "127.0.0.1", ...env });
    const mailWorkerPids = () =>
      [...server.output().matchAll(/Mail worker running \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    await waitUntil(
      () => /Undersigned is running/.test(server.output()),
      90_000,
      () => `the server to start\n${server.output()}`,
    );
    return { url, output: server.output, mailWorkerPids, mailWorkerPid: async () => mailWorkerPids()[0] };
  }

  /** `npm run worker` (scripts/worker.ts), once it says it is running. */
  async startWorker(env: Record<string, string> = {}): Promise<Started> {
    const worker = this.start("scripts/worker.ts", env);
    await waitUntil(
      () => /Mail worker running/.test(worker.output()),
      60_000,
      () => `a worker to start\n${worker.output()}`,
    );
    return worker;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((p) => p.stop()));
  }
}
