import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import SQLite from "better-sqlite3";
import { sql, SqliteQueryCompiler, type CompiledQuery, type KyselyPlugin } from "kysely";
import pg from "pg";
import { createDb, type DB } from "../../db/connection";
import type { Dialect } from "../../db/dialect";
import { migrateToLatest } from "../../db/migrate";

/**
 * Which database this test run uses. `npm test` runs every test file on SQLite, and again on PostgreSQL when
 * TEST_DATABASE_URL is set (vitest.config.ts makes one project per database and sets TEST_DIALECT).
 */
export const TEST_DIALECT: Dialect = process.env.TEST_DIALECT === "postgres" ? "postgres" : "sqlite";

/** For tests of what only one database has (SQLite's files and log, PostgreSQL's pools): skip on the other. */
export const onSqliteOnly = TEST_DIALECT !== "sqlite";
export const onPostgresOnly = TEST_DIALECT !== "postgres";

export type TestDatabase = {
  db: DB;
  /** What DATABASE_URL would be for this database: a SQLite file's path, or a postgres:// URL. */
  location: string;
  cleanup: () => Promise<void>;
};

/**
 * A fresh database of its own, migrated unless `migrate: false`: a SQLite file in a temporary folder, or a new PostgreSQL database
 * made on the server TEST_DATABASE_URL names (the role needs CREATEDB), dropped again by cleanup().
 */
export async function freshDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const made = TEST_DIALECT === "postgres" ? await freshPostgres() : freshSqlite();
  const db = createDb(made.location, { poolSize: 5 });
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    db,
    location: made.location,
    cleanup: async () => {
      await db.destroy();
      await made.remove();
    },
  };
}

function freshSqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "undersigned-test-"));
  return {
    location: path.join(dir, "test.sqlite"),
    remove: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function freshPostgres() {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error("TEST_DIALECT=postgres needs TEST_DATABASE_URL");
  const name = `undersigned_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    remove: () => admin(server, `drop database if exists ${name} with (force)`),
  };
}

async function admin(server: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A count of the rows written to `db` so far, to show that a request wrote nothing: SQLite's total_changes()
 * on the app's one connection; on PostgreSQL (a pool of connections) a sequence that a trigger on every
 * table steps for each row inserted, updated or deleted, installed by the first call.
 */
export async function rowsWrittenCounter(db: DB): Promise<() => Promise<number>> {
  if (TEST_DIALECT === "sqlite") {
    return async () => Number((await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0].n);
  }
  await sql`create sequence if not exists test_rows_written`.execute(db);
  await sql`create or replace function test_count_write() returns trigger language plpgsql as $$
    begin perform nextval('test_rows_written'); return null; end $$`.execute(db);
  const tables = (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith("kysely_"));
  for (const table of tables) {
    await sql`drop trigger if exists test_count_write on ${sql.table(table)}`.execute(db);
    await sql`create trigger test_count_write after insert or update or delete on ${sql.table(table)}
      for each row execute function test_count_write()`.execute(db);
  }
  return async () => {
    const { rows } = await sql<{
      n: number | string;
    }>`select case when is_called then last_value else 0 end as n from test_rows_written`.execute(db);
    return Number(rows[0].n);
  };
}

/** Records the SQL of every query run through it, compiled as SQLite gets it (for sqlitePlan). */
export function recording(db: DB): { db: DB; seen: CompiledQuery[] } {
  const seen: CompiledQuery[] = [];
  const compiler = new SqliteQueryCompiler();
  const plugin: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      seen.push(compiler.compileQuery(node, queryId));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), seen };
}

/** SQLite's query plan for a recorded statement, with its own parameters, on the file at `location`: each step's words. */
export function sqlitePlan(location: string, query: CompiledQuery): string[] {
  const sqlite = new SQLite(location, { readonly: true });
  try {
    const steps = sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[]));
    return (steps as { detail: string }[]).map((p) => p.detail);
  } finally {
    sqlite.close();
  }
}
