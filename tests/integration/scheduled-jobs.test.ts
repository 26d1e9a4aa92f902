/**
 * Scheduled jobs (closing petitions, retention) run in every process that
 * sends mail, and there may be several: each job must still run once per
 * interval (app/jobs.server.ts, app/models/job-runs.server.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { JobScheduler, periodStart, type ScheduledJob } from "../../app/jobs.server";
import { listJobRuns } from "../../app/models/job-runs.server";
import { createDb, type DB } from "../../db/connection";
import { tempDb } from "../helpers/app";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const quiet = { log: () => {}, jitterMs: 0 };

let db: DB;
let file: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, location: file, cleanup } = await tempDb());
});
afterEach(async () => {
  await cleanup();
});

function counting(name: string, everyMs: number, runs: string[], label: string): ScheduledJob {
  return { name, everyMs, run: async (now) => void runs.push(`${label} ${now.toISOString()}`) };
}

describe("scheduled jobs across processes", () => {
  test("two schedulers on one database run a job once per interval, whichever asks first", async () => {
    const dbB = createDb(file);
    try {
      const runs: string[] = [];
      const a = new JobScheduler(db, [counting("close", MINUTE, runs, "a")], { ...quiet, runner: "a" });
      const b = new JobScheduler(dbB, [counting("close", MINUTE, runs, "b")], { ...quiet, runner: "b" });
      const both = async (iso: string) =>
        (await Promise.all([a.runDue(new Date(iso)), b.runDue(new Date(iso))])).flat();

      expect(await both("2030-01-01T00:00:10.000Z")).toHaveLength(1);
      expect(await both("2030-01-01T00:00:40.000Z")).toHaveLength(0);
      expect(await both("2030-01-01T00:00:59.999Z")).toHaveLength(0);
      expect(await both("2030-01-01T00:01:00.000Z")).toHaveLength(1);
      // A process that was asleep for a few intervals runs it once, not once per missed interval.
      expect(await both("2030-01-01T00:05:30.000Z")).toHaveLength(1);
      expect(runs).toHaveLength(3);

      const [row] = await listJobRuns(db);
      expect(row).toMatchObject({ name: "close", period_start: "2030-01-01T00:05:00.000Z", last_error: null });
      expect(row.finished_at).not.toBeNull();
      expect(["a", "b"]).toContain(row.runner);
    } finally {
      await dbB.destroy();
    }
  });

  test("the daily job runs once per UTC day, at the first chance of the day", async () => {
    const runs: string[] = [];
    const s = new JobScheduler(db, [counting("retention", DAY, runs, "s")], quiet);
    expect(await s.runDue(new Date("2030-03-01T23:59:00.000Z"))).toEqual(["retention"]);
    expect(await s.runDue(new Date("2030-03-01T23:59:59.000Z"))).toEqual([]);
    expect(await s.runDue(new Date("2030-03-02T00:00:01.000Z"))).toEqual(["retention"]);
    expect(await s.runDue(new Date("2030-03-02T18:00:00.000Z"))).toEqual([]);
    expect(periodStart(new Date("2030-03-02T18:00:00.000Z"), DAY)).toBe("2030-03-02T00:00:00.000Z");
  });

  test("a job that fails is recorded with its error, and runs again in the next interval", async () => {
    let fail = true;
    const s = new JobScheduler(
      db,
      [
        {
          name: "flaky",
          everyMs: MINUTE,
          run: async () => {
            if (fail) throw new Error("the disk is full");
          },
        },
      ],
      quiet,
    );
    expect(await s.runDue(new Date("2030-01-01T00:00:00.000Z"))).toEqual(["flaky"]);
    expect((await listJobRuns(db))[0].last_error).toContain("the disk is full");
    fail = false;
    expect(await s.runDue(new Date("2030-01-01T00:00:30.000Z"))).toEqual([]);
    expect(await s.runDue(new Date("2030-01-01T00:01:00.000Z"))).toEqual(["flaky"]);
    expect((await listJobRuns(db))[0]).toMatchObject({ last_error: null, period_start: "2030-01-01T00:01:00.000Z" });
  });

  test(
    "two real processes that both try at the start of every interval run each interval once",
    { timeout: 60_000 },
    async () => {
      const INTERVAL = 400;
      const processes = [startJobProcess(file, INTERVAL), startJobProcess(file, INTERVAL)];
      try {
        await waitUntil(() => processes.every((p) => p.lines().includes("ready")), 30_000, "both processes to start");
        // Intervals both processes tried to claim: the contest the claim must settle.
        const contested = () => {
          const claims = processes.map((p) => new Map(p.claims()));
          return [...claims[0].keys()].filter((period) => claims[1].has(period));
        };
        await waitUntil(() => contested().length >= 6, 45_000, "six intervals both processes tried");
      } finally {
        await Promise.all(processes.map((p) => p.stop()));
      }
      const claims = processes.map((p) => p.claims());
      const winners = new Map<string, number>();
      for (const list of claims)
        for (const [period, won] of list) if (won) winners.set(period, (winners.get(period) ?? 0) + 1);
      const both = [...new Map(claims[0]).keys()].filter((period) => new Map(claims[1]).has(period));
      expect(both.length).toBeGreaterThanOrEqual(6);
      // Every interval both tried was won by exactly one of them; no interval was won twice.
      for (const period of both) expect([period, winners.get(period)]).toEqual([period, 1]);
      expect([...winners.values()].every((n) => n === 1)).toBe(true);
      // And the job ran exactly in the intervals won.
      const ran = processes.flatMap((p) =>
        p
          .lines()
          .filter((l) => l.startsWith("ran "))
          .map((l) => l.slice(4)),
      );
      expect(ran.sort()).toEqual([...winners.keys()].sort());
    },
  );
});

/** tests/helpers/job-process.ts as a process of its own on this test's database. */
function startJobProcess(dbFile: string, intervalMs: number) {
  const proc: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "tests/helpers/job-process.ts", dbFile, String(intervalMs)],
    {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME } as Record<
        string,
        string | undefined
      > as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  proc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const lines = () => output.split("\n").filter(Boolean);
  return {
    lines,
    /** [period, won] for every claim it tried. */
    claims: (): [string, boolean][] =>
      lines()
        .filter((l) => l.startsWith("claim "))
        .map((l) => {
          const [, period, outcome] = l.split(" ");
          return [period, outcome === "won"];
        }),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
