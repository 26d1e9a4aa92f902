// @ts-check
// The checkpoint thread started by db/checkpoints.ts. It only ever checkpoints: it reads no rows and writes
// none. Plain JavaScript, so that Node loads it as it is wherever db/checkpoints.ts runs (the server under
// tsx, the tests under vitest), with no compiler in the thread.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

/** @type {{ file: string; intervalMs: number; quietAfterPages: number; busyTimeoutMs: number }} */
const options = workerData;
if (!parentPort) throw new Error("db/checkpoint-worker.js runs only as a worker thread (db/checkpoints.ts).");
const port = parentPort;

const db = new Database(options.file, { fileMustExist: true, timeout: options.busyTimeoutMs });
db.pragma("wal_autocheckpoint = 0");

/** @param {"PASSIVE" | "RESTART"} mode */
const checkpoint = (mode) =>
  /** @type {{ busy: number; log: number; checkpointed: number }[]} */ (db.pragma(`wal_checkpoint(${mode})`))[0];

/** @param {unknown} error */
const failed = (error) =>
  port.postMessage({ type: "failed", message: String((error instanceof Error && error.message) || error) });

/** @type {NodeJS.Timeout | null} */
let timer = null;
let waiting = false;

function tick() {
  timer = null;
  try {
    const result = checkpoint("PASSIVE");
    // The log is long: even when this pass copied all it saw, writes carry on adding to it, and it only
    // starts afresh after a pass that leaves nothing behind. Ask for a quiet moment to finish in.
    if (result.log >= options.quietAfterPages) {
      waiting = true;
      port.postMessage({ type: "quiet-please", log: result.log, checkpointed: result.checkpointed });
      return;
    }
  } catch (error) {
    failed(error);
    return;
  }
  timer = setTimeout(tick, options.intervalMs);
}

port.on("message", (/** @type {{ type: string }} */ message) => {
  if (message.type === "quiet" && waiting) {
    waiting = false;
    try {
      const result = checkpoint("RESTART");
      port.postMessage({ type: "quiet-done", log: result.log, checkpointed: result.checkpointed });
    } catch (error) {
      failed(error);
      return;
    }
    timer = setTimeout(tick, options.intervalMs);
  } else if (message.type === "stop") {
    if (timer) clearTimeout(timer);
    db.close();
    port.close();
  }
});

port.postMessage({ type: "ready" });
timer = setTimeout(tick, options.intervalMs);
