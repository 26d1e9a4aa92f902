/**
 * EXPLAIN QUERY PLAN for the statements bulk email depends on, as the app
 * writes them: the model functions run against a Kysely whose driver only
 * records the SQL (answering with made-up rows so the function goes on to its
 * next statement), then SQLite explains each recorded statement with its own
 * parameters on the benchmark's database. The plans therefore follow the code.
 */
import SQLite from "better-sqlite3";
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from "kysely";
import { MailWorker } from "../app/mail/worker.server";
import { queueUpdateBatch, QUEUE_BATCH } from "../app/models/update.server";
import type { DB } from "../db/connection";
import type { Database } from "../db/schema";

type Recorded = { sql: string; parameters: readonly unknown[] };

/** A driver that runs nothing: it records each statement and answers with `answer(sql)`. */
class RecordingDriver implements Driver {
  readonly recorded: Recorded[] = [];
  constructor(private readonly answer: (sql: string) => QueryResult<unknown>) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return {
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        this.recorded.push({ sql: q.sql, parameters: q.parameters });
        return this.answer(q.sql) as QueryResult<R>;
      },
      // eslint-disable-next-line require-yield
      streamQuery: async function* () {
        throw new Error("not used");
      },
    };
  }
  async beginTransaction() {}
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

function recordingDb(answer: (sql: string) => QueryResult<unknown>): { db: DB; recorded: Recorded[] } {
  const driver = new RecordingDriver(answer);
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return { db, recorded: driver.recorded };
}

export type QueryPlan = { name: string; sql: string; plan: string[] };

/**
 * The plans of: the queueing step's boundary query and its INSERT ... SELECT
 * (queueUpdateBatch, first step, for update `updateId` of petition
 * `petitionId`), and the worker's claim of a batch (MailWorker.runOnce).
 */
export async function bulkEmailQueryPlans(
  dbFile: string,
  opts: { updateId: number; petitionId: number; batchSize: number },
): Promise<QueryPlan[]> {
  const plans: QueryPlan[] = [];
  const explain = (sqlite: SQLite.Database, name: string, r: Recorded | undefined) => {
    if (!r) throw new Error(`query plans: the ${name} statement was not seen; has the code changed?`);
    const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...(r.parameters as unknown[])) as {
      id: number;
      parent: number;
      detail: string;
    }[];
    // Indent by depth, as the sqlite3 shell does.
    const depth = new Map<number, number>();
    const plan = rows.map((row) => {
      const d = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, d);
      return `${"  ".repeat(d)}${row.detail}`;
    });
    plans.push({ name, sql: r.sql.replace(/\s+/g, " "), plan });
  };

  // queueUpdateBatch: "update updates ... returning" must give the update, the boundary query an id.
  const queue = recordingDb((sql) => {
    if (/^update "updates" set "updated_at"/.test(sql))
      return { rows: [{ id: opts.updateId, petition_id: opts.petitionId, queue_cursor: 0 }] };
    if (/^select "s"\."id" from "signatures"/.test(sql)) return { rows: [{ id: QUEUE_BATCH }] };
    if (/^insert into "outbox"/.test(sql)) return { rows: [], numAffectedRows: BigInt(QUEUE_BATCH) };
    return { rows: [] };
  });
  await queueUpdateBatch(queue.db, opts.updateId, { appUrl: "http://127.0.0.1" });

  // MailWorker.runOnce without a site does no queueing: its first statements are the claim's check that
  // anything is due (answered with an id here) and the claim itself (which then claims nothing).
  const claim = recordingDb((sql) => (/^select "claimable"\."id"/.test(sql) ? { rows: [{ id: 1 }] } : { rows: [] }));
  await new MailWorker(claim.db, async () => ({ ok: true }), {
    batchSize: opts.batchSize,
    site: null,
    log: () => {},
  }).runOnce();

  const sqlite = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    explain(
      sqlite,
      "queueing: the batch's last subscriber (queueUpdateBatch)",
      queue.recorded.find((r) => /^select "s"\."id" from "signatures"/.test(r.sql)),
    );
    explain(
      sqlite,
      "queueing: INSERT ... SELECT of a batch (queueUpdateBatch)",
      queue.recorded.find((r) => /^insert into "outbox"/.test(r.sql)),
    );
    explain(
      sqlite,
      "sending: is anything due? (MailWorker.runOnce)",
      claim.recorded.find((r) => /^select "claimable"\."id"/.test(r.sql)),
    );
    explain(
      sqlite,
      "sending: claim a batch (MailWorker.runOnce)",
      claim.recorded.find((r) => /^update "outbox"/.test(r.sql)),
    );
  } finally {
    sqlite.close();
  }
  return plans;
}

/** Plan lines that mean "reads every matching row, however few are wanted". */
export function fullScanSigns(plan: string[]): string[] {
  return plan.filter((line) =>
    /USE TEMP B-TREE FOR ORDER BY|MULTI-INDEX OR|^\s*SCAN (s|outbox|signatures)\b/.test(line),
  );
}
