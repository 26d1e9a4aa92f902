import { Worker } from "node:worker_threads";
import type { DB } from "./connection";
import { fileLockOf, sqliteHandleOf } from "./sqlite";

/**
 * SQLite's write-ahead log, copied back into the database file by a thread of
 * its own (db/checkpoint-worker.js) instead of by whichever request happens
 * to commit the thousandth page (docs/decisions/0026-sqlite-checkpoints.md).
 *
 * By default SQLite checkpoints inside a COMMIT once the log passes 1,000
 * pages: that request then reads the pages back, writes them into the
 * database file and syncs it, on the one thread that serves every request.
 * Here the server's connection never checkpoints (wal_autocheckpoint = 0), and
 * a worker thread with a connection of its own runs a PASSIVE checkpoint
 * every `intervalMs`: it copies what it can while requests go on writing.
 *
 * A passive checkpoint never waits for writers, so under a steady stream of
 * writes it can trail behind for ever, and the log only starts again from its
 * beginning once every page in it has been copied. So when the log passes
 * `quietAfterPages`, the worker asks for a quiet moment: this thread takes the
 * file's lock (the same one every query and transaction of this process waits
 * for, without blocking the thread), the worker runs a RESTART checkpoint,
 * which copies the rest and makes sure the next write starts the log afresh,
 * and the lock is released. Readers and writers in other processes (the mail
 * worker run alone, a script) are waited for at most BUSY_TIMEOUT_MS; if they
 * are still busy, the log restarts at a later quiet moment.
 * `journal_size_limit` trims a log file that grew past it.
 *
 * If the worker fails, stops answering or cannot start, the connection goes
 * back to SQLite's own automatic checkpoints: nothing depends on the worker
 * for correctness, only for where the work is done.
 */
export type BackgroundCheckpoints = {
  /** Stops the worker and returns the connection to SQLite's automatic checkpoints. */
  stop(): Promise<void>;
  /** Resolves once the worker is running its checkpoints. */
  ready: Promise<void>;
  /** The thread itself, for tests and diagnostics. */
  worker: Worker;
};

export type CheckpointOptions = {
  /** How often the worker runs a passive checkpoint. */
  intervalMs?: number;
  /** How many pages the log may hold before writes pause for a complete checkpoint. */
  quietAfterPages?: number;
  /** How long the worker may take over a quiet-moment checkpoint before the lock is given back. */
  quietTimeoutMs?: number;
  /** Told when the worker fails and SQLite's automatic checkpoints take over again. */
  onFallback?: (reason: unknown) => void;
};

/** SQLite's own default for wal_autocheckpoint, restored when the worker is gone. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** How long the worker's connection waits for another process's lock before giving up on a checkpoint for now. */
const BUSY_TIMEOUT_MS = 200;

/** After a complete checkpoint, a longer log file is cut back to this size (SQLite's journal_size_limit). */
const LOG_FILE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Starts the checkpoint thread for a SQLite file; null on PostgreSQL, which has no such log to tend. */
export function checkpointInBackground(db: DB, options: CheckpointOptions = {}): BackgroundCheckpoints | null {
  const { intervalMs = 100, quietAfterPages = 4000, quietTimeoutMs = 5000, onFallback } = options;
  const sqlite = sqliteHandleOf(db);
  if (!sqlite) return null;
  const lock = fileLockOf(db);
  if (sqlite.memory || !lock) throw new Error("Background checkpoints need a database file.");

  sqlite.pragma(`journal_size_limit = ${LOG_FILE_LIMIT_BYTES}`);
  sqlite.pragma("wal_autocheckpoint = 0");
  const worker = new Worker(new URL("./checkpoint-worker.js", import.meta.url), {
    workerData: {
      file: sqlite.name,
      intervalMs,
      quietAfterPages,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
    },
  });

  let stopped = false;
  let fellBack = false;
  const fallBack = (reason: unknown) => {
    if (fellBack) return;
    fellBack = true;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    if (!stopped) {
      onFallback?.(reason);
      void worker.terminate();
    }
  };

  // The worker only moves work off this thread: it must never keep the process alive by itself.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // The quiet moment in progress: the worker's answer ends it.
  let endQuiet: (() => void) | null = null;

  worker.on("message", (message: { type: string; message?: string }) => {
    if (message.type === "ready") markReady();
    else if (message.type === "failed") fallBack(new Error(`The checkpoint worker failed: ${message.message}`));
    else if (message.type === "quiet-done") endQuiet?.();
    else if (message.type === "quiet-please") void quietMoment();
  });
  worker.on("error", (error) => fallBack(error));
  worker.on("exit", (code) => {
    endQuiet?.();
    if (!stopped) fallBack(new Error(`The checkpoint worker stopped (exit code ${code}).`));
  });

  async function quietMoment() {
    const release = await lock!.acquire();
    try {
      if (stopped || fellBack) return;
      const answered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), quietTimeoutMs);
        endQuiet = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      worker.postMessage({ type: "quiet" });
      if (!(await answered)) fallBack(new Error(`The checkpoint worker took over ${quietTimeoutMs} ms.`));
    } finally {
      endQuiet = null;
      release();
    }
  }

  return {
    ready,
    worker,
    async stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage({ type: "stop" });
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
      fallBack("stopped");
    },
  };
}
