import { sql, type Kysely } from "kysely";
import type { DB } from "./connection";
import { dialectOf } from "./dialect";
import { migrateToLatest } from "./migrate";
import { isSearchIndexTable } from "./search";

/**
 * Every table, parents before the tables that refer to them, so that rows can be copied in this order with
 * the foreign keys on. A table missing from this list stops the copy (tableOrder checks it), so a new
 * migration cannot be forgotten here silently.
 */
export const COPY_ORDER = [
  "users",
  "user_roles",
  "sessions",
  "sign_in_tokens",
  "api_tokens",
  "images",
  "petitions",
  "decision_makers",
  "petition_organizers",
  "petition_translations",
  "organizer_invitations",
  "invalidations",
  "signatures",
  "country_counts",
  "count_changes",
  "daily_counts",
  "updates",
  "update_emails",
  "deliveries",
  "responses",
  "outbox",
  "suppressions",
  "audit_log",
  "settings",
  "spent_challenges",
  "rate_limits",
  "job_runs",
  "petition_tallies",
] as const;

/** Rows read and written at a time. */
const BATCH = 2000;

export type CopyReport = { table: string; rows: number }[];

/**
 * What each database keeps for itself: the migrator's bookkeeping, and SQLite's full-text index of petitions
 * (db/search.ts), which its triggers fill again as the petitions are copied in; PostgreSQL's is an index, not
 * a table.
 */
const isOwnBookkeeping = (name: string) => name.startsWith("kysely_") || isSearchIndexTable(name);

async function tablesOf(db: DB): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).filter((name) => !isOwnBookkeeping(name));
}

/** The tables of `db` in copying order; fails if one is not in COPY_ORDER. */
export async function tableOrder(db: DB): Promise<string[]> {
  const present = await tablesOf(db);
  const unknown = present.filter((t) => !(COPY_ORDER as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`db/copy.ts does not know where to copy these tables: ${unknown.join(", ")}`);
  return COPY_ORDER.filter((t) => present.includes(t));
}

async function rowCount(db: DB, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Copies every row of `source` into `target`, an empty database (both are first brought to the latest
 * schema), keeping every id, then sets the target's id sequences past the copied ids. Refuses a target that
 * holds any row. The whole copy is one transaction on the target: it lands in full or not at all. Returns
 * the rows per table, checked against the source.
 */
export async function copyDatabase(
  source: DB,
  target: DB,
  log: (line: string) => void = () => {},
): Promise<CopyReport> {
  await migrateToLatest(source);
  await migrateToLatest(target);
  const order = await tableOrder(target);
  for (const table of order) {
    if ((await rowCount(target, table)) > 0) {
      throw new Error(`The target database is not empty (${table} has rows): copy only into an empty database.`);
    }
  }
  const report: CopyReport = [];
  await target.transaction().execute(async (trx) => {
    for (const table of order) {
      const columns = (await target.introspection.getTables()).find((t) => t.name === table)!.columns;
      const names = columns.map((c) => c.name);
      const keyed = names.includes("id");
      let copied = 0;
      let after = Number.MIN_SAFE_INTEGER;
      for (;;) {
        // Keyset paging by id where there is one; the tables without one are small, read by offset in the
        // order of all their columns (a total order: every row is unique).
        const { rows } = keyed
          ? await sql<
              Record<string, unknown>
            >`select * from ${sql.table(table)} where id > ${after} order by id limit ${BATCH}`.execute(source)
          : await sql<
              Record<string, unknown>
            >`select * from ${sql.table(table)} order by ${sql.raw(names.map((_, i) => i + 1).join(", "))} limit ${BATCH} offset ${copied}`.execute(
              source,
            );
        if (rows.length === 0) break;
        if (keyed) after = Number(rows[rows.length - 1].id);
        // The table is named at run time, so the rows are untyped here.
        await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>)
          .insertInto(table)
          .values(rows.map((r) => pick(r, names)))
          .execute();
        copied += rows.length;
        if (rows.length < BATCH) break;
      }
      if (keyed && dialectOf(trx) === "postgres") {
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
          trx,
        );
      }
      log(`${table}: ${copied} row(s)`);
      report.push({ table, rows: copied });
    }
  });
  // Statistics for the planner before anything reads the copy (the row counts below, then the recount):
  // PostgreSQL has none for tables filled in one transaction until autovacuum gets to them, and plans the
  // recount as for empty tables (measured on a million signatures on a busy machine: 97 s without, 9 s with).
  if (dialectOf(target) === "postgres") await sql`analyze`.execute(target);
  for (const { table, rows } of report) {
    const [from, to] = await Promise.all([rowCount(source, table), rowCount(target, table)]);
    if (from !== rows || to !== rows) {
      throw new Error(`${table}: the source has ${from} rows, ${rows} were copied and the target has ${to}`);
    }
  }
  return report;
}

function pick(row: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, row[n] ?? null]));
}
