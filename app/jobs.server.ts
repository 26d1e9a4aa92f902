import os from "node:os";
import type { DB } from "../db/connection";
import type { Config } from "./config.server";
import { claimJobRun, finishJobRun } from "./models/job-runs.server";
import { closeDuePetitions } from "./models/organize.server";
import { describeRetention, retentionChangedAnything, runRetention } from "./models/retention.server";
import { foldCounts } from "./services/counting.server";

const MINUTE = 60_000;
/** How often confirmations are folded into the stored counts (readers add the rest themselves). */
export const COUNT_FOLD_MS = 1000;
const DAY = 24 * 60 * MINUTE;

export type ScheduledJob = {
  name: string;
  /** The job runs once in each interval of this length, intervals counted from 1970 in UTC (a day: midnight to midnight). */
  everyMs: number;
  run: (now: Date) => Promise<void>;
};

/** The start of the interval `now` falls in, as an ISO string: the key of one run of a job. */
export function periodStart(now: Date, everyMs: number): string {
  return new Date(Math.floor(now.getTime() / everyMs) * everyMs).toISOString();
}

export type SchedulerOptions = {
  log?: (line: string) => void;
  /** Who runs a job, as job_runs records it (host name and process id by default). */
  runner?: string;
  /** Each process waits up to this long past an interval's start before trying, so they do not all ask at once. */
  jitterMs?: number;
  /** Told of every attempt to claim a run, and whether this process won it (tests watch with it). */
  onClaim?: (job: string, period: string, won: boolean) => void;
};

/**
 * Runs jobs on a clock, once per interval across every process that runs a
 * scheduler on the same database: each process tries at the start of every
 * interval, and only the one whose conditional update claims the interval
 * (app/models/job-runs.server.ts) runs the job. A run that dies with its
 * process is not repeated in that interval; the next one runs as usual.
 */
export class JobScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly log: (line: string) => void;
  private readonly runner: string;
  private readonly jitterMs: number;

  constructor(
    private readonly db: DB,
    private readonly jobs: ScheduledJob[],
    private readonly options: SchedulerOptions = {},
  ) {
    this.log = options.log ?? console.log;
    this.runner = options.runner ?? `${os.hostname()}:${process.pid}`;
    this.jitterMs = options.jitterMs ?? 1000;
  }

  /** Tries each job's current interval now (it runs if nobody has yet), then at the start of each next one. */
  start(): void {
    for (const job of this.jobs) this.schedule(job, 0);
  }

  /** Stops the timers and waits for runs in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /**
   * Claims and runs each job whose interval at `now` nobody has claimed yet.
   * Returns the names of the jobs this call ran.
   */
  async runDue(now = new Date(), only?: string): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) {
      if (only !== undefined && job.name !== only) continue;
      if (await this.runIfDue(job, now)) ran.push(job.name);
    }
    return ran;
  }

  private async runIfDue(job: ScheduledJob, now: Date): Promise<boolean> {
    const period = periodStart(now, job.everyMs);
    const won = await claimJobRun(this.db, { name: job.name, periodStart: period, now, runner: this.runner });
    this.options.onClaim?.(job.name, period, won);
    if (!won) return false;
    let error: string | null = null;
    try {
      await job.run(now);
    } catch (err) {
      error = String(err).slice(0, 1000);
      this.log(`scheduled job ${job.name}: ${error}`);
    }
    await finishJobRun(this.db, { name: job.name, periodStart: period, now: new Date(), error });
    return true;
  }

  private schedule(job: ScheduledJob, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const attempt = this.runIfDue(job, new Date())
        .catch((err: unknown) => this.log(`scheduled job ${job.name}: ${String(err)}`))
        .finally(() => {
          this.running.delete(attempt);
          const now = Date.now();
          const next = (Math.floor(now / job.everyMs) + 1) * job.everyMs;
          this.schedule(job, next - now + Math.floor(Math.random() * this.jitterMs));
        });
      this.running.add(attempt);
    }, delayMs);
    // Background work: it never keeps a process alive by itself.
    timer.unref();
    this.timers.set(job.name, timer);
  }
}

/** Folding confirmations into the stored counts, and telling organizers of goals reached (app/services/counting.server.ts). */
export function foldCountsJob(db: DB, config: Pick<Config, "appUrl">): ScheduledJob {
  return {
    name: "fold-counts",
    everyMs: COUNT_FOLD_MS,
    run: async (now) => {
      await foldCounts(db, { appUrl: config.appUrl }, now);
    },
  };
}

/**
 * The site's jobs: folding confirmations into the counts (every second), closing petitions whose date has
 * passed (every minute) and retention (once a day).
 */
export function siteJobs(db: DB, config: Config, log: (line: string) => void = console.log): ScheduledJob[] {
  return [
    foldCountsJob(db, config),
    {
      name: "close-due-petitions",
      everyMs: MINUTE,
      run: async (now) => {
        const closed = await closeDuePetitions(db, { appUrl: config.appUrl }, now);
        if (closed) log(`Closed ${closed} petition(s) whose closing date had passed.`);
      },
    },
    {
      // docs/decisions/0009-signer-data.md
      name: "retention",
      everyMs: DAY,
      run: async (now) => {
        const report = await runRetention(db, { months: config.retentionMonths, now });
        if (retentionChangedAnything(report)) {
          for (const line of describeRetention(report, { months: config.retentionMonths })) log(`retention: ${line}`);
        }
      },
    },
  ];
}

/**
 * Starts the site's jobs in this process (the one that sends the mail: the
 * mail worker process, an inline web process, or `npm run worker`). Any number
 * of processes may do so: each job still runs once per interval.
 */
export function startScheduledJobs(db: DB, config: Config, log: (line: string) => void = console.log): JobScheduler {
  const scheduler = new JobScheduler(db, siteJobs(db, config, log), { log });
  scheduler.start();
  return scheduler;
}
