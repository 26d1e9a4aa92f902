import fs from "node:fs";
import { randomBytes } from "node:crypto";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { checkpointInBackground, type BackgroundCheckpoints } from "../../db/checkpoints";
import type { DB } from "../../db/connection";
import { sqliteHandleOf } from "../../db/sqlite";
import { tempDb } from "../helpers/app";
import { onSqliteOnly } from "../helpers/database";

// Background checkpoints (db/checkpoints.ts): the log is copied back by a worker thread, and it starts
// afresh under a steady stream of writes instead of growing without end.

// SQLite's write-ahead log only: skipped in the PostgreSQL half of the suite, which has no such log.
describe.skipIf(onSqliteOnly)("checkpoints of SQLite's log", () => {
  let db: DB;
  let file: string;
  let cleanup: () => Promise<void>;
  let checkpoints: BackgroundCheckpoints | null = null;

  beforeEach(async () => {
    ({ db, location: file, cleanup } = await tempDb());
    await db.schema
      .createTable("scratch")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("body", "text", (c) => c.notNull())
      .execute();
  });
  afterEach(async () => {
    await checkpoints?.stop();
    checkpoints = null;
    await cleanup();
  });

  const walBytes = () => fs.statSync(`${file}-wal`).size;
  /** The log's checkpoint sequence number (its header's bytes 12-15): it goes up by one each time the log starts afresh. */
  function logRestarts(): number {
    const fd = fs.openSync(`${file}-wal`, "r");
    try {
      const header = Buffer.alloc(16);
      fs.readSync(fd, header, 0, 16, 0);
      return header.readUInt32BE(12);
    } finally {
      fs.closeSync(fd);
    }
  }
  const autocheckpoint = () => sqliteHandleOf(db)!.pragma("wal_autocheckpoint", { simple: true });

  /** Writes until the log has started afresh `times` times (giving up after 1,000 transactions); says how often it did. */
  async function writeUntilRestarts(times: number): Promise<number> {
    const start = logRestarts();
    for (let i = 0; i < 100 && logRestarts() < start + times; i++) {
      await write(10);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return logRestarts() - start;
  }

  /** Writes `count` transactions of about one page each, letting other work (the worker's messages) in between. */
  async function write(count: number) {
    for (let i = 0; i < count; i++) {
      await db.transaction().execute((trx) =>
        trx
          .insertInto("scratch" as never)
          .values({ body: randomBytes(1500).toString("hex") } as never)
          .execute(),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  test("without checkpoints the log only grows: the measures the next test relies on", async () => {
    sqliteHandleOf(db)!.pragma("wal_autocheckpoint = 0");
    await write(1);
    const restarts = logRestarts();
    await write(1000);
    // Each transaction adds at least its own page (4 KiB and a frame header) to the log, which never restarts.
    expect(walBytes()).toBeGreaterThan(1000 * 4096);
    expect(logRestarts()).toBe(restarts);
  });

  test("the worker copies the log back and it starts afresh while writes go on", async () => {
    const reasons: unknown[] = [];
    checkpoints = checkpointInBackground(db, {
      intervalMs: 5,
      quietAfterPages: 50,
      onFallback: (reason) => reasons.push(reason),
    })!;
    await checkpoints.ready;
    expect(autocheckpoint()).toBe(0);
    // The log starts afresh again and again while the writes go on (without the worker it never does:
    // the test above), so its file is reused instead of growing.
    expect(await writeUntilRestarts(3)).toBeGreaterThanOrEqual(3);
    const rows = await db
      .selectFrom("scratch" as never)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBeGreaterThan(0);
    expect(sqliteHandleOf(db)!.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(reasons).toEqual([]);
  });

  test("a reader in another process holds the log back without failing the worker, and the log restarts after", async () => {
    const reasons: unknown[] = [];
    checkpoints = checkpointInBackground(db, {
      intervalMs: 5,
      quietAfterPages: 50,
      onFallback: (reason) => reasons.push(reason),
    })!;
    await checkpoints.ready;
    await write(1);
    // Another process's connection (the mail worker run alone, say) in the middle of a read.
    const other = new SQLite(file);
    try {
      other.exec("BEGIN");
      other.prepare("SELECT count(*) FROM scratch").get();
      const restarts = logRestarts();
      await write(300);
      // Its snapshot pins the log: no restart, but no failure either; the quiet moments gave up after a short wait.
      expect(logRestarts()).toBe(restarts);
      other.exec("COMMIT");
      expect(await writeUntilRestarts(1)).toBeGreaterThanOrEqual(1);
    } finally {
      other.close();
    }
    expect(reasons).toEqual([]);
    expect(autocheckpoint()).toBe(0);
  });

  test("if the worker dies, SQLite's own automatic checkpoints come back", async () => {
    const reasons: unknown[] = [];
    checkpoints = checkpointInBackground(db, { onFallback: (reason) => reasons.push(reason) })!;
    await checkpoints.ready;
    expect(autocheckpoint()).toBe(0);
    await checkpoints.worker.terminate();
    await expect.poll(() => reasons.length).toBe(1);
    expect(String(reasons[0])).toMatch(/checkpoint worker stopped/);
    expect(autocheckpoint()).toBe(1000);
    // Writing goes on as before.
    await write(5);
  });

  test("stopping hands the checkpoints back to SQLite, and says nothing of a failure", async () => {
    const reasons: unknown[] = [];
    checkpoints = checkpointInBackground(db, { onFallback: (reason) => reasons.push(reason) })!;
    await checkpoints.ready;
    await checkpoints.stop();
    expect(autocheckpoint()).toBe(1000);
    expect(reasons).toEqual([]);
    expect(checkpoints.worker.threadId).toBe(-1);
  });
});
