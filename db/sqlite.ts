import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, SqliteDialect, type DatabaseConnection, type Driver } from "kysely";
import { LRUCache } from "lru-cache";
import type { DB } from "./connection";
import type { Database } from "./schema";

/**
 * Opens the SQLite file, creating its folder. WAL lets readers carry on while
 * one writer commits; the busy timeout makes a second process (the worker,
 * a CLI) wait for the lock instead of failing at once.
 * This is the one place that knows the database is SQLite.
 */
export function createSqliteDb(filePath: string): DB {
  if (filePath !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new SQLite(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Sorts and temporary tables stay in memory: no signer's details are ever spilled into a temporary file.
  sqlite.pragma("temp_store = MEMORY");
  // What is deleted or overwritten is overwritten with zeros in the file, not left in free space: an erased
  // signer's name and address must not be recoverable from a copy of the file (see scrubLogSoon for the log).
  sqlite.pragma("secure_delete = ON");
  const lock = filePath === ":memory:" ? new FileLock() : fileLockFor(path.resolve(filePath));
  const handle = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new FileLockedSqliteDialect({ database: handle }, lock) });
  Object.defineProperty(db, SQLITE_HANDLE, { value: handle });
  Object.defineProperty(db, FILE_LOCK, { value: filePath === ":memory:" ? null : lock });
  return db;
}

/** How long after an erasure the log is cut back to nothing (scrubLogSoon): more erasures in that time share one. */
export const LOG_SCRUB_DELAY_MS = 2000;

const scrubs = new WeakMap<object, NodeJS.Timeout>();

/**
 * Soon, cuts the write-ahead log back to nothing, so that the page images it still holds from before an
 * erasure (the rows as they were inserted, say) are gone from the database's files too. A TRUNCATE
 * checkpoint copies the log into the file (where secure_delete has zeroed what was deleted) and empties
 * the log file. It runs in a quiet moment (the file's lock held, so this process's writes wait without
 * blocking the thread); if another process is reading the log, it is tried again later.
 */
export function scrubLogSoon(db: DB, delayMs = LOG_SCRUB_DELAY_MS): void {
  const sqlite = sqliteHandleOf(db);
  if (!sqlite || scrubs.has(sqlite)) return;
  const attempt = async () => {
    const done = await scrubLog(db);
    if (!done && sqlite.open) scrubs.set(sqlite, setTimeout(attempt, delayMs).unref());
    else scrubs.delete(sqlite);
  };
  scrubs.set(sqlite, setTimeout(attempt, delayMs).unref());
}

/** Cuts the log back to nothing now (see scrubLogSoon); false if a reader in another process kept it. */
export async function scrubLog(db: DB): Promise<boolean> {
  const sqlite = sqliteHandleOf(db);
  const lock = fileLockOf(db);
  if (!sqlite || !lock) return true;
  const release = await lock.acquire();
  try {
    if (!sqlite.open) return true;
    const [result] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    return result.busy === 0;
  } finally {
    release();
  }
}

/** How many prepared statements a database handle keeps (the app has a few dozen distinct SQL texts). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 handle with its prepared statements reused. Kysely calls prepare() for every query,
 * and compiling the SQL again each time was the largest share of SQLite's
 * time in profiles of the campaign page and the sign POST.
 *
 * Statements are kept by their SQL text, the least recently used dropped
 * beyond STATEMENT_CACHE_SIZE (texts vary with the length of an `in` list, so
 * their number is not fixed). Reusing one is safe: better-sqlite3 resets a
 * statement after each run, and SQLite re-prepares it by itself if the schema
 * changes. The one state a statement keeps is an open iterator (a streamed
 * query, such as the signatures export); a statement in that state is never
 * handed out: a fresh one is prepared instead.
 *
 * The handle is the database object with its own prepare(): every other method
 * and property (exec, transaction, inTransaction, close) is the database's,
 * through the prototype, and works on the same connection.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const statements = new LRUCache<string, SQLite.Statement>({ max: STATEMENT_CACHE_SIZE });
  const handle = Object.create(sqlite) as SQLite.Database;
  Object.defineProperty(handle, "prepare", {
    value: (sql: string): SQLite.Statement => {
      let statement = statements.get(sql);
      if (statement === undefined || statement.busy) {
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  });
  return handle;
}

// A registered symbol, not a module-level map: the Remix build bundles its own copy of this module,
// and the db object it is handed was made by the server's copy.
const SQLITE_HANDLE = Symbol.for("undersigned.sqliteHandle");
const FILE_LOCK = Symbol.for("undersigned.fileLock");

/** The better-sqlite3 connection under a SQLite database made by createDb(), or null for PostgreSQL. */
export function sqliteHandleOf(db: DB): SQLite.Database | null {
  return (db as unknown as Record<symbol, SQLite.Database | undefined>)[SQLITE_HANDLE] ?? null;
}

/**
 * The lock every query and transaction of this process on the database's file
 * waits for (see FileLock), or null for an in-memory database. Holding it keeps
 * this process's writes away without blocking the thread.
 */
export function fileLockOf(db: DB): { acquire(): Promise<() => void> } | null {
  return (db as unknown as Record<symbol, FileLock | null | undefined>)[FILE_LOCK] ?? null;
}

/**
 * Why a lock per file: better-sqlite3 is synchronous. If two handles to the
 * same file live in one process and one of them holds a write transaction
 * across an await, the other's write waits in SQLite's busy handler, which
 * blocks the whole thread, so the first can never commit: the second fails
 * with "database is locked" after the busy timeout. Queueing every use of a
 * connection behind one lock per file in the process makes the second handle
 * wait asynchronously instead. Other processes still wait on SQLite's own lock.
 */
class FileLock {
  private tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => held);
    await previous;
    return release;
  }
}

const fileLocks = new Map<string, FileLock>();

function fileLockFor(absolutePath: string): FileLock {
  let lock = fileLocks.get(absolutePath);
  if (!lock) {
    lock = new FileLock();
    fileLocks.set(absolutePath, lock);
  }
  return lock;
}

class FileLockedSqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly lock: FileLock,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new FileLockedDriver(super.createDriver(), this.lock);
  }
}

/** Kysely's SQLite driver, holding the file's lock from acquiring its one connection until releasing it. */
class FileLockedDriver implements Driver {
  private release: (() => void) | null = null;

  constructor(
    private readonly inner: Driver,
    private readonly lock: FileLock,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    try {
      const connection = await this.inner.acquireConnection();
      this.release = release;
      return connection;
    } catch (err) {
      release();
      throw err;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.release;
    this.release = null;
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      release?.();
    }
  }

  /**
   * Every transaction takes the write lock at its start (BEGIN IMMEDIATE). A deferred one that reads, then
   * writes, fails at once with SQLITE_BUSY if another process (the mail worker, a command) wrote in
   * between, busy timeout or not; an immediate one waits its turn under the busy timeout instead. Within
   * this process the file's lock already lets one transaction run at a time, so it costs nothing here.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint: Driver["savepoint"] = (connection, name, compile) => this.inner.savepoint!(connection, name, compile);
  rollbackToSavepoint: Driver["rollbackToSavepoint"] = (connection, name, compile) =>
    this.inner.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint: Driver["releaseSavepoint"] = (connection, name, compile) =>
    this.inner.releaseSavepoint!(connection, name, compile);

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * Writes a consistent copy of the database to `file` with SQLite's online backup, a few hundred pages at a
 * time, so that the site carries on meanwhile. Returns the number of pages copied.
 */
export async function backupSqlite(db: DB, file: string): Promise<number> {
  const sqlite = sqliteHandleOf(db);
  if (!sqlite) throw new Error("Only a SQLite database can be backed up this way; use pg_dump for PostgreSQL.");
  const { totalPages } = await sqlite.backup(file);
  return totalPages;
}
