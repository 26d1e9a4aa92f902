/**
 * Processes that start together on a new database (web processes and workers after an upgrade) each bring it
 * to the latest schema: the migrator's lock makes them take turns, so every migration runs once and none of
 * them fails. Real `npm run db:migrate` processes, on SQLite and on PostgreSQL.
 */
import { afterEach, beforeEach, expect, test } from "vitest";
import type { DB } from "../../db/connection";
import { migrations } from "../../db/migrations/index";
import { freshDatabase } from "../helpers/database";
import { Processes } from "../helpers/processes";

let db: DB;
let location: string;
let cleanup: () => Promise<void>;
const processes = new Processes(() => Processes.envFor(location, "smtp://127.0.0.1:9"));
beforeEach(async () => {
  ({ db, location, cleanup } = await freshDatabase({ migrate: false }));
});
afterEach(async () => {
  await processes.stopAll();
  await cleanup();
});

test("three processes migrating one new database at once: each migration runs once, and all three succeed", async () => {
  const started = Array.from({ length: 3 }, () => processes.start("scripts/migrate.ts", {}));
  const codes = await Promise.all(
    started.map((p) => new Promise<number | null>((resolve) => p.proc.once("exit", (code) => resolve(code)))),
  );
  const outputs = started.map((p) => p.output());
  expect(codes, outputs.join("\n---\n")).toEqual([0, 0, 0]);

  const names = Object.keys(migrations);
  const applied = await db
    .selectFrom("kysely_migration" as never)
    .select("name" as never)
    .execute();
  expect(applied).toHaveLength(names.length);
  // Each migration was reported done by exactly one process; the others found it done.
  for (const name of names) {
    const ranIt = outputs.filter((o) => o.includes(`${name}: Success`));
    expect(ranIt, name).toHaveLength(1);
  }
  expect(outputs.filter((o) => o.includes("Already up to date."))).toHaveLength(2);
});
