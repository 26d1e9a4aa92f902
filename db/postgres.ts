import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB } from "./connection";
import type { Database } from "./schema";

// count(*) and sum() of integers come back as int8; every count here fits a JavaScript number, so read them
// as numbers, as SQLite gives them (docs/decisions/0003-portable-sql.md).
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// sum() of int8 is numeric.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * A PostgreSQL database through a pool of `poolSize` connections. Timestamps are stored as ISO text and
 * booleans as 0/1 integers on both databases, so rows read back the same as from SQLite.
 */
export function createPostgresDb(url: string, poolSize: number): DB {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle connection that breaks (the server restarted) is dropped from the pool; without a listener
  // its error would end the process.
  pool.on("error", () => {});
  // The same for a connection that breaks while a request holds it between two statements (inside a
  // transaction): the statement that comes next fails instead, and the pool drops the connection when it is
  // given back.
  pool.on("connect", (client) => client.on("error", () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The URL with its password hidden, for messages. */
export function maskPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}
