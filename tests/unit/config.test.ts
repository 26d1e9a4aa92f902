import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig } from "../../app/config.server";

const SECRET = "s".repeat(32);
/** What production needs besides the secret: a mail server, the public address and a real sender. */
const PRODUCTION = {
  NODE_ENV: "production",
  SESSION_SECRET: SECRET,
  SMTP_URL: "smtp://localhost:25",
  APP_URL: "https://petitions.example.org",
  MAIL_FROM: "Campaigns <campaigns@example.org>",
};

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
      databaseUrl: "data/undersigned.sqlite",
      databasePoolSize: 10,
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
    const ok = loadConfig(PRODUCTION);
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

  test("an operator who sets only SESSION_SECRET and SMTP_URL in production is told to set APP_URL and MAIL_FROM", () => {
    const message = errorFrom({ NODE_ENV: "production", SESSION_SECRET: SECRET, SMTP_URL: "smtp://localhost:25" });
    expect(message).toMatch(/^\s+APP_URL: is required in production: the site's public address/m);
    expect(message).toMatch(/^\s+MAIL_FROM: is required in production: an address at a domain you send mail for/m);
    // The development defaults (links to localhost, a sender at undersigned.localhost) are never taken.
    expect(message).not.toMatch(/SESSION_SECRET|SMTP_URL/);
  });

  test("production refuses links over plain http, except to this machine itself", () => {
    expect(errorFrom({ ...PRODUCTION, APP_URL: "http://petitions.example.org" })).toMatch(
      /^\s+APP_URL: must be an https:\/\/ address in production \(http:\/\/ only for localhost or 127\.0\.0\.1\)/m,
    );
    for (const url of ["http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:3000", "http://app.localhost"]) {
      expect(loadConfig({ ...PRODUCTION, APP_URL: url }).appUrl).toBe(url);
    }
    expect(loadConfig(PRODUCTION).appUrl).toBe("https://petitions.example.org");
  });

  test("production refuses a sender at a .localhost domain, which no receiving server can check", () => {
    for (const from of ["Undersigned <no-reply@undersigned.localhost>", "x@Mail.LOCALHOST"]) {
      expect(errorFrom({ ...PRODUCTION, MAIL_FROM: from })).toMatch(
        /^\s+MAIL_FROM: must not be at a \.localhost domain in production/m,
      );
    }
    expect(loadConfig({ ...PRODUCTION, MAIL_FROM: "campaigns@example.org" }).mailFrom).toBe("campaigns@example.org");
  });

  test("an operator who sets a MAIL_FROM that is not one address is told what it should look like", () => {
    for (const from of ["Campaigns", "a@example.org, b@example.org", "Campaigns <not an address>"]) {
      expect(errorFrom({ MAIL_FROM: from })).toMatch(
        /^\s+MAIL_FROM: must be one email address, e.g. Campaigns <campaigns@example.org>/m,
      );
    }
    expect(loadConfig({ MAIL_FROM: "Campaigns <campaigns@example.org>" }).mailFrom).toBe(
      "Campaigns <campaigns@example.org>",
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
    expect(loadConfig({ DATABASE_URL: "sqlite:///srv/data.sqlite" }).databaseUrl).toBe("/srv/data.sqlite");
    expect(loadConfig({ DATABASE_URL: "file:data/x.sqlite" }).databaseUrl).toBe("data/x.sqlite");
  });

  test("an operator who gives a postgres:// URL gets PostgreSQL, with the pool size they set", () => {
    for (const url of ["postgres://u:p@db/undersigned", "postgresql://u:p@db:5433/undersigned"]) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
    expect(loadConfig({ DATABASE_URL: "postgres://db/x", DATABASE_POOL_SIZE: "25" }).databasePoolSize).toBe(25);
    expect(errorFrom({ DATABASE_POOL_SIZE: "0" })).toMatch(/DATABASE_POOL_SIZE: must be at least 1/);
    expect(errorFrom({ DATABASE_URL: "postgres://" })).toMatch(/DATABASE_URL: must look like postgres:\/\/user/);
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
