import { defineConfig } from "vitest/config";
import path from "node:path";

/*
 * Every test file runs on SQLite; when TEST_DATABASE_URL names a PostgreSQL server (a role that may create
 * databases), every file runs again on PostgreSQL, each test database made fresh (tests/helpers/database.ts).
 */
const databases = process.env.TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["tests/**/*.test.ts", "app/**/*.test.ts", "db/**/*.test.ts", "emails/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every file starts its own server, database and SMTP server, so files can run side by side.
    fileParallelism: true,
    projects: databases.map((dialect) => ({
      extends: true,
      test: { name: dialect, env: { TEST_DIALECT: dialect } },
    })),
  },
});
