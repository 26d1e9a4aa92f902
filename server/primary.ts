/**
 * The primary process of `npm start` and `npm run dev`: it serves nothing
 * itself. It forks WEB_CONCURRENCY web processes (server/main.ts; node:cluster
 * shares one port between them) and, with MAIL_WORKER=process (the default),
 * one mail worker process (server/mail-worker.ts), and starts again any that
 * dies. See docs/decisions/0021-mail-worker-process.md.
 *
 * The first web process starts alone: it migrates the database and seeds the
 * demo campaigns, and the others start once it serves, so no two processes
 * migrate at once. A process that exits before it was ever ready stops the
 * whole server (a start-up error would only repeat); one that dies later is
 * started again at once, then after a growing pause if it keeps dying young.
 */
import cluster, { type Worker } from "node:cluster";

/** A process that ran this long before dying counts as healthy: it is restarted at once. */
const HEALTHY_AFTER_MS = 30_000;
/** The longest pause before restarting a process that keeps dying young. */
const MAX_RESTART_DELAY_MS = 30_000;
/** How long a process may take to stop after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

type Role = { kind: "web" | "mail"; index: number };
type Slot = {
  role: Role;
  worker: Worker | null;
  startedAt: number;
  ready: boolean;
  everReady: boolean;
  quickExits: number;
};
/**
 * What the first web process reports when it is ready, from the configuration
 * it checked (app/config.server.ts): this process reads none itself, so it
 * stays small, and a bad variable is reported once, by the web process.
 */
export type Layout = { webConcurrency: number; mailWorker: "process" | "inline" | "off"; appUrl: string };
type ReadyMessage = { type: "ready"; layout?: Layout };

const nameOf = (role: Role, pid?: number) =>
  `${role.kind === "web" ? `web process ${role.index + 1}` : "mail worker process"}${pid ? ` (pid ${pid})` : ""}`;

const newSlot = (role: Role): Slot => ({
  role,
  worker: null,
  startedAt: 0,
  ready: false,
  everReady: false,
  quickExits: 0,
});
const slots: Slot[] = [newSlot({ kind: "web", index: 0 })];

let stopping = false;

function fork(slot: Slot): Promise<Layout | null> {
  slot.ready = false;
  slot.startedAt = Date.now();
  const worker = cluster.fork({ UNDERSIGNED_PROCESS: slot.role.kind });
  slot.worker = worker;
  return new Promise<Layout | null>((resolve) => {
    worker.on("message", (message: ReadyMessage) => {
      if (message?.type !== "ready" || slot.ready) return;
      slot.ready = true;
      slot.everReady = true;
      resolve(message.layout ?? null);
    });
    worker.once("exit", (code, signal) => {
      resolve(null);
      if (slot.worker === worker) slot.worker = null;
      if (stopping) return;
      const how = signal ? `was killed (${signal})` : `exited (code ${code})`;
      if (!slot.everReady) {
        console.error(
          `Undersigned could not start: the ${nameOf(slot.role, worker.process.pid)} ${how} before it was ready.`,
        );
        void stopAll(1);
        return;
      }
      const uptime = Date.now() - slot.startedAt;
      slot.quickExits = uptime < HEALTHY_AFTER_MS ? slot.quickExits + 1 : 0;
      const delay = slot.quickExits === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** slot.quickExits);
      console.error(`The ${nameOf(slot.role, worker.process.pid)} ${how}; starting another in ${delay / 1000} s.`);
      setTimeout(() => {
        if (!stopping) void fork(slot);
      }, delay);
    });
  });
}

async function stopAll(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const alive = slots.map((s) => s.worker).filter((w): w is Worker => w !== null && !w.isDead());
  const exited = alive.map(
    (w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once("exit", () => resolve()))),
  );
  for (const w of alive) w.process.kill("SIGTERM");
  const timer = setTimeout(() => {
    for (const w of alive) if (!w.isDead()) w.process.kill("SIGKILL");
  }, STOP_TIMEOUT_MS);
  await Promise.all(exited);
  clearTimeout(timer);
  process.exit(exitCode);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second signal: no more waiting.
      for (const s of slots) if (s.worker && !s.worker.isDead()) s.worker.process.kill("SIGKILL");
      process.exit(1);
    }
    console.log(`${signal}: stopping every process`);
    void stopAll(0);
  });
}

// One web process needs no balancing: it accepts its connections itself, not through this process. The
// policy must be set before the first fork, so before the web process has checked WEB_CONCURRENCY: a bad
// value gets the default here, and the web process refuses it.
if (!process.env.NODE_CLUSTER_SCHED_POLICY && ["", "1", undefined].includes(process.env.WEB_CONCURRENCY?.trim())) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
}

// The first web process checks the configuration, migrates and seeds; the rest start when it serves.
const layout = await fork(slots[0]);
if (!stopping) {
  if (!layout) throw new Error("The first web process did not report the layout.");
  for (let index = 1; index < layout.webConcurrency; index++) slots.push(newSlot({ kind: "web", index }));
  if (layout.mailWorker === "process") slots.push(newSlot({ kind: "mail", index: 0 }));
  await Promise.all(slots.slice(1).map((s) => fork(s)));
}
if (!stopping && layout) {
  const mail =
    layout.mailWorker === "process"
      ? "a mail worker process sends the outbox"
      : layout.mailWorker === "inline"
        ? "each web process sends the outbox (MAIL_WORKER=inline)"
        : "no process here sends the outbox (MAIL_WORKER=off: run `npm run worker`)";
  console.log(
    `Undersigned is running: ${layout.webConcurrency} web process${layout.webConcurrency === 1 ? "" : "es"} on ${layout.appUrl}; ${mail} (primary pid ${process.pid}).`,
  );
}
