import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

const run = promisify(execFile);

/*
 * `npm start` in production with only the two settings production used to ask for: the server must
 * not come up with links to localhost and a sender no mail server can check.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "undersigned-production-config-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts server/start.ts as `npm start` does, with only these variables of the app's own, and waits for it to exit. */
async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => ["PATH", "HOME", "TMPDIR", "LANG"].includes(name)),
  );
  try {
    await run(process.execPath, ["--import", "tsx", "server/start.ts"], {
      env: {
        ...inherited,
        DATABASE_URL: path.join(dir, "never.sqlite"),
        PORT: "0",
        HOST: "127.0.0.1",
        NODE_ENV: "development",
        ...env,
      },
      timeout: 20_000,
    });
    return { code: 0, stderr: "" };
  } catch (err) {
    const e = err as { code: number | null; stderr: string; killed?: boolean };
    if (e.killed) throw new Error("The server started and kept running instead of refusing its configuration");
    return { code: e.code, stderr: e.stderr };
  }
}

test("an operator who sets only SESSION_SECRET and SMTP_URL in production is refused, with APP_URL and MAIL_FROM named", async () => {
  const { code, stderr } = await start({
    NODE_ENV: "production",
    SESSION_SECRET: "a-production-secret-of-at-least-32-chars",
    SMTP_URL: "smtp://127.0.0.1:2525",
  });
  expect(code).toBe(1);
  expect(stderr).toContain("Invalid configuration:");
  expect(stderr).toMatch(/^\s+APP_URL: is required in production/m);
  expect(stderr).toMatch(/^\s+MAIL_FROM: is required in production/m);
  // Refused before anything was made: no database file.
  expect(fs.existsSync(path.join(dir, "never.sqlite"))).toBe(false);
});

test("an operator whose production links would be plain http and whose sender is at .localhost is told both", async () => {
  const { code, stderr } = await start({
    NODE_ENV: "production",
    SESSION_SECRET: "a-production-secret-of-at-least-32-chars",
    SMTP_URL: "smtp://127.0.0.1:2525",
    APP_URL: "http://petitions.example.org",
    MAIL_FROM: "Undersigned <no-reply@undersigned.localhost>",
  });
  expect(code).toBe(1);
  expect(stderr).toMatch(/^\s+APP_URL: must be an https:\/\/ address in production/m);
  expect(stderr).toMatch(/^\s+MAIL_FROM: must not be at a \.localhost domain in production/m);
});
