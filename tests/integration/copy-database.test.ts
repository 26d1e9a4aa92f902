import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../../app/config.server";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { recountAll } from "../../app/models/counts.server";
import { confirm, sign } from "../../app/services/signing.server";
import { createDb, type DB } from "../../db/connection";
import { COPY_ORDER, copyDatabase, tableOrder } from "../../db/copy";
import { migrateToLatest } from "../../db/migrate";
import { seedDemoPetitions } from "../../db/seed";
import { freshDatabase, onPostgresOnly, onSqliteOnly, type TestDatabase } from "../helpers/database";
import { OPEN_SLUG, outboxTo, signingForm, tokenIn } from "../helpers/signing";

const run = promisify(execFile);

/** A SQLite deployment with campaigns, confirmed and pending signatures, and mail. */
async function sqliteDeployment(): Promise<{ db: DB; file: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "undersigned-copy-"));
  const file = path.join(dir, "source.sqlite");
  const db = createDb(file);
  await migrateToLatest(db);
  await seedDemoPetitions(db, renderMarkdown);
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: file, MIN_FILL_SECONDS: "0" });
  for (let i = 0; i < 30; i++) {
    const email = `copied-${i}@example.org`;
    await sign(db, config, {
      slug: OPEN_SLUG,
      fields: signingForm({ email, country: i % 3 ? "GB" : "IE" }),
      clientIp: `198.51.100.${i}`,
    });
    if (i % 5 !== 0) expect((await confirm(db, tokenIn((await outboxTo(db, email))[0].text))).state).toBe("confirmed");
  }
  return { db, file, dir };
}

test("every table of the schema has its place in the copy order", async () => {
  const t = await freshDatabase();
  try {
    // tableOrder refuses a table it does not know; and every table it knows is still in the schema.
    const order = await tableOrder(t.db);
    expect(order).toEqual([...COPY_ORDER]);
  } finally {
    await t.cleanup();
  }
});

// The target is PostgreSQL: these run in the PostgreSQL half of the suite (TEST_DATABASE_URL), and are skipped in
// the SQLite half.
describe.skipIf(onPostgresOnly)("an operator moves a SQLite deployment to PostgreSQL", () => {
  let source: Awaited<ReturnType<typeof sqliteDeployment>>;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await sqliteDeployment();
    target = await freshDatabase();
  });
  afterAll(async () => {
    await source.db.destroy();
    fs.rmSync(source.dir, { recursive: true, force: true });
    await target.cleanup();
  });

  test("every row arrives with its id, new rows get new ids, and the recount finds nothing to repair", async () => {
    const report = await copyDatabase(source.db, target.db);
    const rows = Object.fromEntries(report.map((r) => [r.table, r.rows]));
    expect(rows.petitions).toBe(3);
    expect(rows.signatures).toBe(30);
    expect(rows.outbox).toBeGreaterThanOrEqual(30);
    const ids = (db: DB) => db.selectFrom("signatures").select(["id", "email", "status"]).orderBy("id").execute();
    expect(await ids(target.db)).toEqual(await ids(source.db));
    expect(await recountAll(target.db)).toEqual([]);
    // The sequences start after the copied ids.
    const maxId = Math.max(...(await ids(source.db)).map((r) => r.id));
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: target.location, MIN_FILL_SECONDS: "0" });
    await sign(target.db, config, {
      slug: OPEN_SLUG,
      fields: signingForm({ email: "after-the-move@example.org" }),
      clientIp: null,
    });
    const added = await target.db
      .selectFrom("signatures")
      .select("id")
      .where("email", "=", "after-the-move@example.org")
      .executeTakeFirstOrThrow();
    expect(added.id).toBe(maxId + 1);
  });

  test("a target that is not empty is refused, and nothing is written to it", async () => {
    const before = await target.db.selectFrom("signatures").select("id").execute();
    await expect(copyDatabase(source.db, target.db)).rejects.toThrow(/not empty/);
    expect(await target.db.selectFrom("signatures").select("id").execute()).toEqual(before);
  });

  test("`npm run db:copy` does the same from the command line, and says what it checked", async () => {
    const empty = await freshDatabase();
    try {
      const { stdout } = await run(
        "npx",
        ["tsx", "scripts/copy-database.ts", "--from", source.file, "--to", empty.location],
        {
          timeout: 60_000,
        },
      );
      expect(stdout).toMatch(/signatures: 30 row\(s\)/);
      expect(stdout).toMatch(/row counts match and the recount found nothing to repair/);
      expect(stdout).toContain(":***@");
      expect(stdout).not.toContain(`:${new URL(empty.location).password}@`);
      const again = await run(
        "npx",
        ["tsx", "scripts/copy-database.ts", "--from", source.file, "--to", empty.location],
        {
          timeout: 60_000,
        },
      ).catch((err: { code: number; stderr: string }) => err);
      expect(again).toMatchObject({ code: 1 });
      expect((again as { stderr: string }).stderr).toMatch(/not empty/);
    } finally {
      await empty.cleanup();
    }
  });
});

// SQLite's online backup: skipped in the PostgreSQL half, where pg_dump does this.
describe.skipIf(onSqliteOnly)("an operator backs up a SQLite deployment while it runs", () => {
  test("`npm run db:backup` writes a copy with every row, which opens as a database of its own", async () => {
    const source = await sqliteDeployment();
    try {
      const copy = path.join(source.dir, "backup.sqlite");
      const { stdout } = await run("npx", ["tsx", "scripts/backup.ts", copy], {
        env: { ...process.env, NODE_ENV: "test", DATABASE_URL: source.file },
        timeout: 60_000,
      });
      expect(stdout).toMatch(/Backed up .* \(\d+ pages\)/);
      const restored = createDb(copy);
      try {
        const rows = (db: DB) => db.selectFrom("signatures").select(["id", "email", "status"]).orderBy("id").execute();
        expect(await rows(restored)).toEqual(await rows(source.db));
        expect(await recountAll(restored)).toEqual([]);
      } finally {
        await restored.destroy();
      }
    } finally {
      await source.db.destroy();
      fs.rmSync(source.dir, { recursive: true, force: true });
    }
  });
});
