import { createHash } from "node:crypto";
import addressparser from "nodemailer/lib/addressparser";
import { z } from "zod";
import { DEFAULT_POOL_SIZE, isPostgresUrl } from "../db/connection";
import { DEFAULT_SIGNING_LIMITS, type SigningLimits } from "./lib/signing-limits";

/**
 * Configuration comes from the environment only, parsed once at start-up.
 * A bad value stops the process with a message that names the variable.
 */
const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** A rate limit written as "points/seconds", e.g. "10/3600" for ten an hour. */
const limit = z
  .string()
  .regex(/^\d+\/\d+$/, "must look like 10/3600 (that many signatures per that many seconds)")
  .transform((v) => {
    const [points, seconds] = v.split("/").map(Number);
    return { points, seconds };
  })
  .refine((l) => l.points > 0 && l.seconds > 0, "both numbers must be above zero");

/** A duration such as "3d", "12h", "30m", "45s" or "0", in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(d|h|m|s)?$/, "must look like 3d, 12h, 30m, 45s or 0")
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.replace(/^\d+/, "") || "s";
    return n * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[unit as "d" | "h" | "m" | "s"];
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z
      .string()
      .min(1)
      .refine((v) => !/^postgres(ql)?:\/\//i.test(v) || (URL.canParse(v) && new URL(v).hostname !== ""), {
        message: "must look like postgres://user:password@host:5432/database, or be a SQLite file path",
      })
      .optional(),
    DATABASE_POOL_SIZE: z.coerce
      .number({ error: "must be a whole number of connections" })
      .int("must be a whole number of connections")
      .min(1, "must be at least 1")
      .max(1000, "must be at most 1000")
      .default(DEFAULT_POOL_SIZE),
    SMTP_URL: z.url({ protocol: /^smtps?$/, message: "must look like smtp://user:pass@host:port" }).optional(),
    MAIL_FROM: z
      .string()
      .refine((v) => fromAddress(v) !== null, {
        message: "must be one email address, e.g. Campaigns <campaigns@example.org> or campaigns@example.org",
      })
      .optional(),
    APP_URL: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SEED_DEMO: booleanish.optional(),
    WEB_CONCURRENCY: z.coerce
      .number({ error: "must be a whole number of web processes" })
      .int("must be a whole number of web processes")
      .min(1, "must be at least 1")
      .max(64, "must be at most 64")
      .default(1),
    MAIL_WORKER: z.enum(["process", "inline", "off"], { error: "must be process, inline or off" }).default("process"),
    ADMIN_EMAILS: z
      .string()
      .transform((v) =>
        v
          .split(/[\s,]+/)
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.email("must be a comma-separated list of email addresses")))
      .optional(),
    MODERATION: z.enum(["on", "off"]).default("on"),
    MIN_FILL_SECONDS: z.coerce.number().min(0).max(60).default(2),
    UPDATE_EMAIL_MIN_INTERVAL: duration.default(3 * 86_400_000),
    MAIL_RATE: z.coerce.number().positive("must be above zero").max(10_000).default(50),
    MAIL_RATE_TRANSACTIONAL: z.coerce
      .number({ error: "must be a number of messages a second, or 0 for no limit" })
      .min(0, "must be 0 (no limit) or more")
      .max(10_000)
      .default(0),
    MAIL_CONNECTIONS: z.coerce
      .number({ error: "must be a whole number of connections" })
      .int("must be a whole number of connections")
      .min(1, "must be at least 1")
      .max(50, "must be at most 50")
      .default(5),
    DKIM_DOMAIN: z.string().min(1).optional(),
    DKIM_SELECTOR: z.string().min(1).optional(),
    DKIM_PRIVATE_KEY: z.string().min(1).optional(),
    LIMIT_ADDRESS_BURST: limit.optional(),
    LIMIT_ADDRESS: limit.optional(),
    LIMIT_NETWORK: limit.optional(),
    LIMIT_DOMAIN: limit.optional(),
    LIMIT_ADDRESS_SITE: limit.optional(),
    BENCH_ROUTES: booleanish.optional(),
    PAGE_CACHE_MS: z.coerce
      .number({ error: "must be a whole number of milliseconds" })
      .int("must be a whole number of milliseconds")
      .min(0, "must be 0 (no cache) or more")
      .max(60_000, "must be at most 60000 (a minute)")
      .default(1000),
    RETENTION_MONTHS: z.coerce
      .number({ error: "must be a whole number of months" })
      .int("must be a whole number of months")
      .min(1, "must be at least 1 (month)")
      .max(120, "must be at most 120 (months)")
      .default(6),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "is required in production" });
    }
    if (env.NODE_ENV === "production" && !env.SMTP_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_URL"],
        message: "is required in production (the development inbox is not served there)",
      });
    }
    if (env.NODE_ENV === "production") {
      // The defaults suit one developer's machine: every emailed link would point at localhost, and no
      // receiving server can check a sender at a .localhost domain (SPF, DKIM and DMARC all fail).
      if (!env.APP_URL) {
        ctx.addIssue({
          code: "custom",
          path: ["APP_URL"],
          message: "is required in production: the site's public address, e.g. https://petitions.example.org",
        });
      } else if (!env.APP_URL.startsWith("https:") && !isLoopback(new URL(env.APP_URL).hostname)) {
        ctx.addIssue({
          code: "custom",
          path: ["APP_URL"],
          message: "must be an https:// address in production (http:// only for localhost or 127.0.0.1)",
        });
      }
      const from = env.MAIL_FROM === undefined ? null : fromAddress(env.MAIL_FROM);
      if (env.MAIL_FROM === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["MAIL_FROM"],
          message:
            "is required in production: an address at a domain you send mail for, e.g. Campaigns <campaigns@example.org>",
        });
      } else if (from && isLocalhostDomain(from.split("@").pop()!)) {
        ctx.addIssue({
          code: "custom",
          path: ["MAIL_FROM"],
          message: "must not be at a .localhost domain in production: receiving servers would refuse or bin the mail",
        });
      }
    }
  });

const DEV_MAIL_FROM = "Undersigned <no-reply@undersigned.localhost>";

/** The one email address in a From header ("Name <a@b.example>" or "a@b.example"), or null. */
function fromAddress(value: string): string | null {
  const parsed = addressparser(value, { flatten: true });
  if (parsed.length !== 1) return null;
  const address = parsed[0].address;
  return z.email().safeParse(address).success ? address : null;
}

function isLocalhostDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, "");
  return d === "localhost" || d.endsWith(".localhost");
}

/** Whether a URL's hostname names this machine: localhost, 127.0.0.0/8 or ::1. */
function isLoopback(hostname: string): boolean {
  return isLocalhostDomain(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === "[::1]";
}

export type Config = {
  env: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  host: string;
  /** A postgres:// URL, or a SQLite file path (db/connection.ts createDb). */
  databaseUrl: string;
  /** Connections each process keeps to PostgreSQL. */
  databasePoolSize: number;
  smtpUrl: string | null;
  mailFrom: string;
  /** Absolute origin used in links inside emails, without a trailing slash. */
  appUrl: string;
  sessionSecret: string | null;
  seedDemo: boolean;
  /** How many web processes `npm start` runs (node:cluster, one port). */
  webConcurrency: number;
  /**
   * Who sends the outbox: a mail worker process that `npm start` runs beside the web processes
   * (process), each web process itself (inline), or nobody here: `npm run worker` does (off).
   */
  mailWorker: "process" | "inline" | "off";
  /** Addresses that become admins when they sign in. */
  adminEmails: string[];
  /** "off" publishes submitted petitions straight away, for small deployments. */
  moderation: boolean;
  signingLimits: SigningLimits;
  /** A signing form sent back sooner than this after it was shown is held as suspect; 0 turns it off. */
  minFillSeconds: number;
  /** At most one emailed update per petition within this many milliseconds. */
  updateEmailMinIntervalMs: number;
  /** Update (bulk) messages the worker sends per second at most. */
  mailRate: number;
  /** Messages a person is waiting for (confirmations, sign-in links) per second at most; null: no limit. */
  mailRateTransactional: number | null;
  /** SMTP connections the worker keeps open: how many messages go at once. */
  mailConnections: number;
  /** DKIM signing, when all three DKIM_ variables are set. */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** The key for signing unsubscribe links (derived from SESSION_SECRET). */
  unsubscribeSecret: string;
  /** The key for hashing client addresses (derived from SESSION_SECRET). */
  addressSecret: string;
  /** The key that signs proof-of-work challenges (derived from SESSION_SECRET; ADR 0013). */
  challengeSecret: string;
  /** Whether the benchmark's helper pages (/bench/...) answer; off unless BENCH_ROUTES is set. */
  benchRoutes: boolean;
  /**
   * How long a campaign page's data may be served from memory, in ms (0: read it for every request).
   * See app/lib/read-cache.server.ts.
   */
  pageCacheMs: number;
  /** Months after a petition closes before its signers' personal data is overwritten (counts are kept). */
  retentionMonths: number;
};

export class ConfigError extends Error {}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as they do in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  // server/start.ts keeps the operator's NODE_ENV here before it sets NODE_ENV=production for React.
  if (cleaned.UNDERSIGNED_ENV) cleaned.NODE_ENV = cleaned.UNDERSIGNED_ENV;
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const port = env.PORT;
  // One key per use, each derived from the one secret under its own label: a key that leaks from one use
  // (a link, a hash) says nothing about the others.
  const derivedKey = (label: string) =>
    createHash("sha256")
      .update(`${label}:${env.SESSION_SECRET ?? "undersigned-development-only-secret"}`)
      .digest("hex");
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === "production",
    port,
    host: env.HOST,
    databaseUrl: isPostgresUrl(env.DATABASE_URL ?? "")
      ? env.DATABASE_URL!
      : (env.DATABASE_URL ?? "data/undersigned.sqlite").replace(/^(sqlite|file):(\/\/)?/, ""),
    databasePoolSize: env.DATABASE_POOL_SIZE,
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.MAIL_FROM ?? DEV_MAIL_FROM,
    appUrl: (env.APP_URL ?? `http://localhost:${port}`).replace(/\/+$/, ""),
    sessionSecret: env.SESSION_SECRET ?? null,
    seedDemo: env.SEED_DEMO ?? env.DATABASE_URL === undefined,
    webConcurrency: env.WEB_CONCURRENCY,
    mailWorker: env.MAIL_WORKER,
    adminEmails: env.ADMIN_EMAILS ?? [],
    moderation: env.MODERATION === "on",
    signingLimits: {
      ...DEFAULT_SIGNING_LIMITS,
      addressPerPetitionBurst: env.LIMIT_ADDRESS_BURST ?? DEFAULT_SIGNING_LIMITS.addressPerPetitionBurst,
      addressPerPetition: env.LIMIT_ADDRESS ?? DEFAULT_SIGNING_LIMITS.addressPerPetition,
      networkPerPetition: env.LIMIT_NETWORK ?? DEFAULT_SIGNING_LIMITS.networkPerPetition,
      domainPerPetition: env.LIMIT_DOMAIN ?? DEFAULT_SIGNING_LIMITS.domainPerPetition,
      addressSiteWide: env.LIMIT_ADDRESS_SITE ?? DEFAULT_SIGNING_LIMITS.addressSiteWide,
    },
    minFillSeconds: env.MIN_FILL_SECONDS,
    updateEmailMinIntervalMs: env.UPDATE_EMAIL_MIN_INTERVAL,
    mailRate: env.MAIL_RATE,
    mailRateTransactional: env.MAIL_RATE_TRANSACTIONAL === 0 ? null : env.MAIL_RATE_TRANSACTIONAL,
    mailConnections: env.MAIL_CONNECTIONS,
    dkim:
      env.DKIM_DOMAIN && env.DKIM_SELECTOR && env.DKIM_PRIVATE_KEY
        ? {
            domainName: env.DKIM_DOMAIN,
            keySelector: env.DKIM_SELECTOR,
            privateKey: env.DKIM_PRIVATE_KEY.replace(/\\n/g, "\n"),
          }
        : null,
    unsubscribeSecret: derivedKey("unsubscribe"),
    addressSecret: derivedKey("client-address"),
    challengeSecret: derivedKey("signing-challenge"),
    benchRoutes: env.BENCH_ROUTES ?? false,
    pageCacheMs: env.PAGE_CACHE_MS,
    retentionMonths: env.RETENTION_MONTHS,
  };
}
