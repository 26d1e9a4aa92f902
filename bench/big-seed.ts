/**
 * The big-database benchmark's seed (bench/big.ts), run as a child process so
 * that the benchmark's own event loop stays free: the schema through the
 * app's migrations, 1,000 small campaigns and one campaign with
 * BIG_SIGNATURES confirmed signatures, the counts the app keeps for them
 * (petitions.signature_count, country_counts, daily_counts, petition_tallies),
 * an organizer with a session, then the app's recount as a check and
 * ANALYZE (SQLite) or VACUUM ANALYZE (PostgreSQL). The signatures go in with
 * each database's fastest way (SQLite: one transaction of prepared multi-row
 * inserts; PostgreSQL: INSERT ... SELECT over generate_series, the indexes
 * built afterwards from the migrations' own definitions). Writes what the
 * benchmark needs as JSON to BIG_RESULT_FILE.
 */
import fs from "node:fs";
import SQLite from "better-sqlite3";
import pg from "pg";
import { renderMarkdown } from "../app/lib/markdown.server";
import { recountAll } from "../app/models/counts.server";
import { tallyBigPetitions } from "../app/models/dashboard.server";
import { DAY_MS, expiresAt, newToken } from "../app/lib/tokens.server";
import { UPDATES_CONSENT } from "../app/schemas/signature-fields";
import { createDb, isPostgresUrl, type DB } from "../db/connection";
import { migrateToLatest } from "../db/migrate";

const url = process.env.BIG_DATABASE_URL!;
const signatures = Number(process.env.BIG_SIGNATURES);
const campaigns = Number(process.env.BIG_CAMPAIGNS ?? 1000);
const smallSignatures = Number(process.env.BIG_SMALL_SIGNATURES ?? 10);
const resultFile = process.env.BIG_RESULT_FILE!;
const postgres = isPostgresUrl(url);

const BIG_SLUG = "big-campaign";
const ORGANIZER = "big-organizer@example.org";
/** One signer in five is outside the UK: the country table has rows to add up. */
const COUNTRIES = ["GB", "GB", "GB", "GB", "GB", "GB", "GB", "GB", "US", "US", "US", "IE", "FR", "DE", "ES", "NL"];
const DISPLAYS = ["full", "first_initial", "hidden"];
/** Confirmations spread over the 90 days before the seed (the dashboard's chart covers 90). */
const SPREAD_MS = 90 * DAY_MS;

/**
 * The signatures of one campaign, numbered 0..n-1: the same rows on both databases (the PostgreSQL seed
 * computes them in SQL from the same rules). Confirmed `stepMs` apart from `startMs`, created a minute
 * before; a new address each; ip and network hashes are distinct 64-hex strings, 64 signers a network.
 */
type Run = { petitionId: number; prefix: string; n: number; startMs: number; stepMs: number };

function runFor(petitionId: number, prefix: string, n: number, nowMs: number): Run {
  const stepMs = Math.max(1, Math.floor(SPREAD_MS / Math.max(1, n)));
  return { petitionId, prefix, n, startMs: nowMs - stepMs * n, stepMs };
}

const pad9 = (i: number) => String(i).padStart(9, "0");
const hex64 = (i: number) => i.toString(16).padStart(64, "0");
const iso = (ms: number) => new Date(ms).toISOString();

/** What a run adds to the counts: by country and by UTC day of confirmation. */
function countsOf(run: Run) {
  const byCountry = new Map<string, number>();
  const byDay = new Map<string, number>();
  for (let i = 0; i < run.n; i++) {
    const country = COUNTRIES[i % COUNTRIES.length];
    byCountry.set(country, (byCountry.get(country) ?? 0) + 1);
  }
  // Days in order: walk day boundaries rather than 10 million timestamps.
  let i = 0;
  while (i < run.n) {
    const t = run.startMs + i * run.stepMs;
    const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
    const last = Math.min(run.n - 1, Math.floor((dayStart + DAY_MS - 1 - run.startMs) / run.stepMs));
    byDay.set(iso(dayStart).slice(0, 10), last - i + 1);
    i = last + 1;
  }
  return { byCountry, byDay };
}

function log(line: string) {
  console.log(`[big-seed ${new Date().toISOString()}] ${line}`);
}

const timings: Record<string, number> = {};
async function step<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  log(`${name}...`);
  const result = await work();
  timings[name] = Math.round((Date.now() - started) / 100) / 10;
  log(`${name}: ${timings[name]} s`);
  return result;
}

/** The campaigns, the organizer and a session, through Kysely (portable). */
async function seedCampaigns(db: DB, now: Date) {
  const nowIso = now.toISOString();
  const opened = iso(now.getTime() - SPREAD_MS - DAY_MS);
  const closes = iso(now.getTime() + 90 * DAY_MS);
  const body = "The library is the only warm, quiet place in the ward on a Sunday. Keep it open.";
  const petition = (slug: string, title: string) => ({
    slug,
    title,
    summary: "Families, students and older people rely on the library on Sundays.",
    body_markdown: body,
    body_html: renderMarkdown(body),
    country: "GB",
    status: "open" as const,
    goal: null,
    opened_at: opened,
    closes_at: closes,
    created_at: opened,
    updated_at: nowIso,
  });
  return db.transaction().execute(async (trx) => {
    const small: number[] = [];
    for (let start = 0; start < campaigns; start += 200) {
      const rows = [];
      for (let k = start; k < Math.min(campaigns, start + 200); k++)
        rows.push(petition(`small-campaign-${k}`, `Keep the branch library number ${k} open on Sundays`));
      const ids = await trx.insertInto("petitions").values(rows).returning("id").execute();
      small.push(...ids.map((r) => r.id));
    }
    const { id: bigId } = await trx
      .insertInto("petitions")
      .values(petition(BIG_SLUG, "Keep every public library in the country open on Sundays"))
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("decision_makers")
      .values([...small, bigId].map((id) => ({ petition_id: id, position: 0, name: "The Council", role: "Culture" })))
      .execute();
    const { id: userId } = await trx
      .insertInto("users")
      .values({ email: ORGANIZER, created_at: nowIso, last_signed_in_at: nowIso })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("petition_organizers")
      .values({ petition_id: bigId, user_id: userId, role: "owner", created_at: nowIso })
      .execute();
    const session = newToken();
    await trx
      .insertInto("sessions")
      .values({ id_hash: session.hash, user_id: userId, created_at: nowIso, expires_at: expiresAt(now, 30 * DAY_MS) })
      .execute();
    return { small, bigId, sessionToken: session.token };
  });
}

/** SQLite: one transaction, prepared inserts of 200 rows each, no journal to speak of (a new file). */
function insertSqlite(file: string, runs: Run[]) {
  const sqlite = new SQLite(file);
  try {
    sqlite.pragma("journal_mode = DELETE");
    sqlite.pragma("synchronous = OFF");
    sqlite.pragma("cache_size = -1000000");
    sqlite.pragma("temp_store = MEMORY");
    const ROWS = 200;
    const row = `(?, ?, ?, ?, ?, NULL, ?, ?, '${UPDATES_CONSENT.version}', 'confirmed', NULL, NULL, 1, ?, ?, ?, ?, ?, 'example.org', 'web')`;
    const head = `INSERT INTO signatures
      (petition_id, name, email, canonical_email, country, postcode, name_display, updates_consent,
       consent_wording_version, status, token_hash, token_expires_at, emails_sent, created_at, updated_at,
       confirmed_at, ip_hash, network_hash, email_domain, source) VALUES `;
    const full = sqlite.prepare(head + Array.from({ length: ROWS }, () => row).join(", "));
    const one = sqlite.prepare(head + row);
    sqlite.transaction(() => {
      for (const run of runs) {
        const params: unknown[] = [];
        const values = (i: number) => {
          const email = `${run.prefix}${pad9(i)}@example.org`;
          const confirmed = iso(run.startMs + i * run.stepMs);
          return [
            run.petitionId,
            `Big Signer ${i}`,
            email,
            email,
            COUNTRIES[i % COUNTRIES.length],
            DISPLAYS[i % 3],
            i % 2 === 0 ? 1 : 0,
            iso(run.startMs + i * run.stepMs - 60_000),
            confirmed,
            confirmed,
            hex64(i),
            hex64(Math.floor(i / 64)),
          ];
        };
        let i = 0;
        for (; i + ROWS <= run.n; i += ROWS) {
          params.length = 0;
          for (let j = i; j < i + ROWS; j++) params.push(...values(j));
          full.run(params);
        }
        for (; i < run.n; i++) one.run(values(i));
      }
    })();
    sqlite.pragma("journal_mode = WAL");
  } finally {
    sqlite.close();
  }
}

/**
 * PostgreSQL: the signatures' secondary indexes dropped, the rows made in SQL a million per statement, and
 * the indexes built again from the definitions the migrations made (read back from pg_indexes), which is
 * several times faster than keeping ten indexes up to date row by row.
 */
async function insertPostgres(runs: Run[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set synchronous_commit = off");
    await client.query("set maintenance_work_mem = '512MB'");
    const indexes = await client.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where tablename = 'signatures' and indexname <> 'signatures_pkey'",
    );
    for (const ix of indexes.rows) await client.query(`drop index ${ix.indexname}`);
    const ts = (offsetMs: number) =>
      `to_char(timestamp '1970-01-01' + (r.start_ms + i * r.step_ms + ${offsetMs}) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    // Each run (a campaign's numbers lo..hi) from arrays, so that the small campaigns go in one statement.
    const insert = `insert into signatures
      (petition_id, name, email, canonical_email, country, postcode, name_display, updates_consent,
       consent_wording_version, status, token_hash, token_expires_at, emails_sent, created_at, updated_at,
       confirmed_at, ip_hash, network_hash, email_domain, source)
      select pid, 'Big Signer ' || i, e, e, ($1::text[])[(1 + i % ${COUNTRIES.length})::int], null,
        ($2::text[])[(1 + i % 3)::int], case when i % 2 = 0 then 1 else 0 end, '${UPDATES_CONSENT.version}',
        'confirmed', null, null, 1, created, c, c, lpad(to_hex(i), 64, '0'), lpad(to_hex(i / 64), 64, '0'),
        'example.org', 'web'
      from (select r.pid, i, r.prefix || lpad(i::text, 9, '0') || '@example.org' as e, ${ts(0)} as c,
              ${ts(-60_000)} as created
            from unnest($3::int[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
              as r(pid, prefix, start_ms, step_ms, lo, hi)
            cross join lateral generate_series(r.lo, r.hi) as i) as g`;
    const BATCH = 1_000_000;
    const pieces: { run: Run; lo: number; hi: number }[] = [];
    for (const run of runs)
      for (let lo = 0; lo < run.n; lo += BATCH) pieces.push({ run, lo, hi: Math.min(run.n, lo + BATCH) - 1 });
    // Statements of about a million rows: many small campaigns together, a big one in parts.
    let batch: typeof pieces = [];
    let batchRows = 0;
    let rows = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await client.query(insert, [
        COUNTRIES,
        DISPLAYS,
        batch.map((p) => p.run.petitionId),
        batch.map((p) => p.run.prefix),
        batch.map((p) => p.run.startMs),
        batch.map((p) => p.run.stepMs),
        batch.map((p) => p.lo),
        batch.map((p) => p.hi),
      ]);
      log(`  ${rows} rows`);
      batch = [];
      batchRows = 0;
    };
    for (const piece of pieces) {
      batch.push(piece);
      rows += piece.hi - piece.lo + 1;
      batchRows += piece.hi - piece.lo + 1;
      if (batchRows >= BATCH) await flush();
    }
    await flush();
    await step("postgres: indexes built again", async () => {
      for (const ix of indexes.rows) await client.query(ix.indexdef);
    });
  } finally {
    await client.end();
  }
}

/** The counts the app keeps, as the confirmations would have left them once folded. */
async function seedCounts(db: DB, runs: Run[]) {
  const countries: { petition_id: number; country: string; signature_count: number }[] = [];
  const days: { petition_id: number; day: string; signature_count: number }[] = [];
  const byTotal = new Map<number, number[]>();
  for (const run of runs) {
    if (run.n === 0) continue;
    const { byCountry, byDay } = countsOf(run);
    for (const [country, n] of byCountry) countries.push({ petition_id: run.petitionId, country, signature_count: n });
    for (const [day, n] of byDay) days.push({ petition_id: run.petitionId, day, signature_count: n });
    byTotal.set(run.n, [...(byTotal.get(run.n) ?? []), run.petitionId]);
  }
  await db.transaction().execute(async (trx) => {
    for (const [n, ids] of byTotal)
      await trx.updateTable("petitions").set({ signature_count: n }).where("id", "in", ids).execute();
    // A few thousand parameters a statement: both databases' limits are far above.
    for (let i = 0; i < countries.length; i += 2000)
      await trx
        .insertInto("country_counts")
        .values(countries.slice(i, i + 2000))
        .execute();
    for (let i = 0; i < days.length; i += 2000)
      await trx
        .insertInto("daily_counts")
        .values(days.slice(i, i + 2000))
        .execute();
  });
}

/** Every stored count, to see whether the recount changed any. */
async function storedCounts(db: DB): Promise<string> {
  const totals = await db.selectFrom("petitions").select(["id", "signature_count"]).orderBy("id").execute();
  const countries = await db
    .selectFrom("country_counts")
    .selectAll()
    .orderBy("petition_id")
    .orderBy("country")
    .execute();
  const days = await db.selectFrom("daily_counts").selectAll().orderBy("petition_id").orderBy("day").execute();
  const changes = await db
    .selectFrom("count_changes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .execute();
  return JSON.stringify({
    totals: totals.map((t) => [t.id, Number(t.signature_count)]),
    countries: countries.map((c) => [c.petition_id, c.country, Number(c.signature_count)]),
    days: days.map((d) => [d.petition_id, d.day, Number(d.signature_count)]),
    changes: Number(changes[0].n),
  });
}

async function analyze() {
  if (postgres) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("vacuum analyze");
    } finally {
      await client.end();
    }
  } else {
    const sqlite = new SQLite(url);
    try {
      // Statistics from a sample of each index (as PRAGMA optimize takes them): a full ANALYZE of ten million
      // rows takes minutes and gives the planner nothing more to choose by here.
      sqlite.pragma("analysis_limit = 1000");
      sqlite.exec("ANALYZE");
    } finally {
      sqlite.close();
    }
  }
}

async function databaseBytes(): Promise<number> {
  if (!postgres) {
    return [url, `${url}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>("select pg_database_size(current_database()) as n");
    return Number(r.rows[0].n);
  } finally {
    await client.end();
  }
}

async function main() {
  const now = new Date();
  let db = createDb(url, { poolSize: 2 });
  await step("migrations", () => migrateToLatest(db));
  const seeded = await step("campaigns, organizer, session", () => seedCampaigns(db, now));
  await db.destroy();
  const runs = [
    ...seeded.small.map((id, k) => runFor(id, `c${k}-`, smallSignatures, now.getTime())),
    runFor(seeded.bigId, "big-", signatures, now.getTime()),
  ];
  await step("signatures", () => (postgres ? insertPostgres(runs) : insertSqlite(url, runs)));
  // Statistics before the recount: without them PostgreSQL plans it for an empty table (97 s instead of 9 s
  // at a million signatures).
  await step(postgres ? "vacuum analyze" : "analyze", analyze);
  db = createDb(url, { poolSize: 2 });
  await step("counts", () => seedCounts(db, runs));
  const before = await storedCounts(db);
  const drifted = await step("recount (the app's recountAll, as npm run db:recount)", () => recountAll(db));
  const after = await storedCounts(db);
  await step("big campaigns' dashboard figures (the app's tallyBigPetitions)", () => tallyBigPetitions(db, { now }));
  const confirmed = await db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("petition_id", "=", seeded.bigId)
    .where("status", "=", "confirmed")
    .executeTakeFirstOrThrow();
  await db.destroy();
  // Again, now that the counts and the tallies are in: what the planner sees is the whole seed.
  await step(postgres ? "vacuum analyze again" : "analyze again", analyze);
  const result = {
    petitionId: seeded.bigId,
    slug: BIG_SLUG,
    sessionToken: seeded.sessionToken,
    campaigns: seeded.small.length + 1,
    signatures,
    confirmedOnBig: Number(confirmed.n),
    drifted,
    countsUnchangedByRecount: before === after,
    timings,
    bytes: await databaseBytes(),
  };
  fs.writeFileSync(resultFile, JSON.stringify(result));
  log("done");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
