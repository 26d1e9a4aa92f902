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
