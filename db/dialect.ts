import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Where the SQL of SQLite and PostgreSQL differs, the difference lives here, once, and everything else is
 * written in the SQL both understand (docs/decisions/0003-portable-sql.md). Each helper takes the database
 * (or a transaction on it) it will run on.
 */
export type Dialect = "sqlite" | "postgres";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations pass a Kysely<any>
type AnyDb = Kysely<any>;

export function dialectOf(db: AnyDb): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * An integer key the database numbers itself: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT (ids are never
 * reused), PostgreSQL's identity column. For migrations: `.addColumn("id", "integer", idColumn(db))`.
 */
export function idColumn(db: AnyDb): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return dialectOf(db) === "postgres"
    ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
    : (c) => c.primaryKey().autoIncrement();
}

/** The column type for bytes: blob in SQLite, bytea in PostgreSQL. */
export function bytesType(db: AnyDb): "blob" | "bytea" {
  return dialectOf(db) === "postgres" ? "bytea" : "blob";
}

/**
 * PostgreSQL refused a transaction because another one changed the same rows under it (serialization
 * failure, or a deadlock it broke): running it again is the remedy. SQLite never says this: it has one
 * writer at a time.
 */
export function isSerializationFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}

/**
 * The database cannot be reached or cannot take work right now (a connection refused or dropped, the server
 * shutting down or starting, too many connections, SQLite's file locked past its busy timeout or its disk
 * full): a request that met this should be answered 503, try again soon, rather than as a bug.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  const message = typeof e?.message === "string" ? e.message : "";
  if (["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "EPIPE"].includes(code)) return true;
  // PostgreSQL: connection exceptions (08), operator intervention (57P01-57P03), too many connections (53300).
  if (/^08/.test(code) || ["57P01", "57P02", "57P03", "53300"].includes(code)) return true;
  if (
    ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_IOERR", "SQLITE_CANTOPEN"].some((c) => code.startsWith(c))
  ) {
    return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}
