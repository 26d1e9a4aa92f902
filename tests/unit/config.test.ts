import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.server";

const SECRET = "s".repeat(32);

function errorFrom(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`Expected loadConfig to refuse ${JSON.stringify(env)}`);
}

describe("loadConfig: the environment, read once at start-up", () => {
  test("a developer who sets nothing gets a working local setup", () => {
    expect(loadConfig({})).toMatchObject({
      env: "development",
      isProduction: false,
      port: 3000,
      host: "0.0.0.0",
      databasePath: "data/undersigned.sqlite",
      smtpUrl: null,
      mailFrom: "Undersigned <no-reply@undersigned.localhost>",
      appUrl: "http://localhost:3000",
      sessionSecret: null,
      seedDemo: true,
      mailWorker: "process",
      webConcurrency: 1,
      mailRate: 50,
      mailRateTransactional: null,
      mailConnections: 5,
    });
  });

  test("empty values count as unset, as they do in .env files", () => {
    expect(loadConfig({ PORT: "", SMTP_URL: "" })).toMatchObject({ port: 3000, smtpUrl: null });
  });

  test("the links in emails use APP_URL without a trailing slash", () => {
    expect(loadConfig({ APP_URL: "https://sign.example.org/" }).appUrl).toBe("https://sign.example.org");
    expect(loadConfig({ PORT: "8080" }).appUrl).toBe("http://localhost:8080");
  });

  test("an operator who sets a bad PORT is told which variable is wrong", () => {
    expect(errorFrom({ PORT: "eighty" })).toMatch(/^\s+PORT: /m);
    expect(errorFrom({ PORT: "70000" })).toMatch(/^\s+PORT: /m);
  });

  test("an operator who sets a bad SMTP_URL is told which variable is wrong and what it should look like", () => {
    const message = errorFrom({ SMTP_URL: "http://mail.example.org" });
    expect(message).toMatch(/^\s+SMTP_URL: /m);
    expect(message).toContain("smtp://");
    expect(errorFrom({ SMTP_URL: "not a url" })).toMatch(/SMTP_URL/);
    expect(loadConfig({ SMTP_URL: "smtps://u:p@mail.example.org:465" }).smtpUrl).toBe(
      "smtps://u:p@mail.example.org:465",
    );
  });

  test("every bad variable is named at once, not one per restart", () => {
    const message = errorFrom({ PORT: "x", SMTP_URL: "ftp://x" });
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/SMTP_URL/);
  });

  test("production refuses to start without a SESSION_SECRET, or with a short one", () => {
    expect(errorFrom({ NODE_ENV: "production", SMTP_URL: "smtp://localhost:25" })).toMatch(
      /SESSION_SECRET: is required in production/,
    );
    expect(errorFrom({ NODE_ENV: "production", SMTP_URL: "smtp://localhost:25", SESSION_SECRET: "short" })).toMatch(
      /SESSION_SECRET: must be at least 32 characters/,
    );
    const ok = loadConfig({ NODE_ENV: "production", SMTP_URL: "smtp://localhost:25", SESSION_SECRET: SECRET });
    expect(ok).toMatchObject({ isProduction: true, sessionSecret: SECRET });
  });

  test("development needs no SESSION_SECRET", () => {
    expect(loadConfig({ NODE_ENV: "development" }).sessionSecret).toBeNull();
  });

  test("production refuses to start without SMTP_URL, since the development inbox is not served there", () => {
    expect(errorFrom({ NODE_ENV: "production", SESSION_SECRET: SECRET })).toMatch(
      /SMTP_URL: is required in production/,
    );
  });

  test("demo campaigns are seeded by default only when no DATABASE_URL is set", () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: "/srv/undersigned.sqlite" }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: "/srv/undersigned.sqlite", SEED_DEMO: "yes" }).seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: "0" }).seedDemo).toBe(false);
    expect(errorFrom({ SEED_DEMO: "maybe" })).toMatch(/SEED_DEMO/);
  });

  test("a SQLite URL is read as the file path it names", () => {
    expect(loadConfig({ DATABASE_URL: "sqlite:///srv/data.sqlite" }).databasePath).toBe("/srv/data.sqlite");
    expect(loadConfig({ DATABASE_URL: "file:data/x.sqlite" }).databasePath).toBe("data/x.sqlite");
  });

  test("an operator who gives a postgres:// URL is told plainly that it is not supported yet", () => {
    for (const url of ["postgres://u:p@db/undersigned", "postgresql://u:p@db/undersigned"]) {
      expect(errorFrom({ DATABASE_URL: url })).toMatch(
        /DATABASE_URL: postgres:\/\/ URLs are not supported yet; give a SQLite file path/,
      );
    }
  });

  test("signers' personal data is kept 6 months after a petition closes unless RETENTION_MONTHS says otherwise", () => {
    expect(loadConfig({}).retentionMonths).toBe(6);
    expect(loadConfig({ RETENTION_MONTHS: "12" }).retentionMonths).toBe(12);
    expect(errorFrom({ RETENTION_MONTHS: "0" })).toMatch(/^\s+RETENTION_MONTHS: must be at least 1/m);
    expect(errorFrom({ RETENTION_MONTHS: "1.5" })).toMatch(/^\s+RETENTION_MONTHS: must be a whole number of months/m);
    expect(errorFrom({ RETENTION_MONTHS: "six" })).toMatch(/^\s+RETENTION_MONTHS: /m);
  });

  test("an operator chooses how many web processes run and who sends the mail, and is told what is wrong", () => {
    expect(loadConfig({ WEB_CONCURRENCY: "4", MAIL_WORKER: "off" })).toMatchObject({
      webConcurrency: 4,
      mailWorker: "off",
    });
    expect(loadConfig({ MAIL_WORKER: "inline" }).mailWorker).toBe("inline");
    expect(errorFrom({ WEB_CONCURRENCY: "0" })).toMatch(/^\s+WEB_CONCURRENCY: must be at least 1/m);
    expect(errorFrom({ WEB_CONCURRENCY: "two" })).toMatch(/^\s+WEB_CONCURRENCY: /m);
    expect(errorFrom({ MAIL_WORKER: "yes" })).toMatch(/^\s+MAIL_WORKER: must be process, inline or off/m);
  });

  test("confirmations are not paced by MAIL_RATE; an operator whose provider limits them sets their own rate", () => {
    expect(loadConfig({ MAIL_RATE: "10" })).toMatchObject({ mailRate: 10, mailRateTransactional: null });
    expect(loadConfig({ MAIL_RATE_TRANSACTIONAL: "14" }).mailRateTransactional).toBe(14);
    expect(loadConfig({ MAIL_RATE_TRANSACTIONAL: "0" }).mailRateTransactional).toBe(null);
    expect(errorFrom({ MAIL_RATE_TRANSACTIONAL: "-1" })).toMatch(/^\s+MAIL_RATE_TRANSACTIONAL: must be 0/m);
    expect(loadConfig({ MAIL_CONNECTIONS: "10" }).mailConnections).toBe(10);
    expect(errorFrom({ MAIL_CONNECTIONS: "0" })).toMatch(/^\s+MAIL_CONNECTIONS: must be at least 1/m);
  });
});
