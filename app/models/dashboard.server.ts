import type { DB } from "../../db/connection";
import type { NameDisplay, Petition } from "../../db/schema";
import { letOthersRun } from "../lib/event-loop";
import { signatureCount } from "./counts.server";
import { displayName } from "./signatures.server";

/**
 * What the organizer's dashboard, the CSV export and the delivery page read.
 * Portable SQL only (docs/decisions/0003-portable-sql.md): days come from
 * substr() of the ISO timestamp, flags from CASE, no SQLite-only functions.
 *
 * The privacy rule lives in the queries: a signer's email address leaves the
 * database only if they ticked "email me updates" (updates_consent = 1).
 */

export type DashboardFigures = {
  /** The public count: kept as signatures are confirmed, so exact at any size. */
  confirmed: number;
  /** The figures below are null while a big campaign's are being counted for the first time. */
  pending: number | null;
  /** Confirmed signatures whose signer agreed to receive updates. */
  subscribers: number | null;
  /** Confirmed as a percentage of confirmed and pending, or null before the first signature. */
  confirmationRate: number | null;
  /** Signatures held by the fraud checks (suspect or invalidated); they count in none of the above. */
  held: number | null;
  /** When a big campaign's figures (all but `confirmed`) were counted; null when they were counted now. */
  asOf: string | null;
};

/**
 * Up to this many confirmed signatures a campaign's figures are counted whenever its dashboard loads (a few
 * milliseconds). Beyond it, counting them would take seconds on every load, and on SQLite every other request
 * would wait meanwhile: they are counted every few minutes off the request path (`tallyBigPetitions`, a
 * scheduled job) and shown with the time they were counted.
 */
export const EXACT_FIGURES_UP_TO = 20_000;

type Tally = { confirmed: number; pending: number; subscribers: number; held: number; hidden: number };

/** The sums behind the figures, over the signatures `where` picks, grouped by petition. */
function tallyQuery(db: DB) {
  return db.selectFrom("signatures").select((eb) => {
    const counted = eb("hold", "is", null);
    const confirmed = eb("status", "=", "confirmed");
    const tally = (condition: ReturnType<typeof eb.and>) =>
      eb.fn.sum<number | string | null>(eb.case().when(condition).then(1).else(0).end());
    return [
      "petition_id",
      tally(eb.and([counted, confirmed])).as("confirmed"),
      tally(eb.and([counted, eb("status", "=", "pending")])).as("pending"),
      tally(eb.and([counted, confirmed, eb("updates_consent", "=", 1)])).as("subscribers"),
      tally(eb.and([eb("hold", "is not", null)])).as("held"),
      tally(eb.and([counted, confirmed, eb("name_display", "=", "hidden")])).as("hidden"),
    ];
  });
}

// SUM over no rows is NULL, and PostgreSQL returns bigint sums as strings.
function readTally(row: Record<keyof Tally, number | string | null> | undefined): Tally {
  return {
    confirmed: Number(row?.confirmed ?? 0),
    pending: Number(row?.pending ?? 0),
    subscribers: Number(row?.subscribers ?? 0),
    held: Number(row?.held ?? 0),
    hidden: Number(row?.hidden ?? 0),
  };
}

/**
 * A campaign's tally: counted now for a small campaign, or as last counted by `tallyBigPetitions` for a big
 * one (null before its first count), with the time it was counted.
 */
async function tallyFor(
  db: DB,
  petitionId: number,
  confirmed: number,
  exactUpTo: number,
): Promise<{ tally: Tally | null; asOf: string | null }> {
  if (confirmed <= exactUpTo) {
    const row = await tallyQuery(db).where("petition_id", "=", petitionId).groupBy("petition_id").executeTakeFirst();
    return { tally: readTally(row), asOf: null };
  }
  const kept = await db
    .selectFrom("petition_tallies")
    .selectAll()
    .where("petition_id", "=", petitionId)
    .executeTakeFirst();
  return { tally: kept ?? null, asOf: kept?.counted_at ?? null };
}

export async function dashboardFigures(
  db: DB,
  petitionId: number,
  opts: { exactUpTo?: number } = {},
): Promise<DashboardFigures> {
  const confirmed = await signatureCount(db, petitionId);
  const { tally, asOf } = await tallyFor(db, petitionId, confirmed, opts.exactUpTo ?? EXACT_FIGURES_UP_TO);
  if (!tally) return { confirmed, pending: null, subscribers: null, confirmationRate: null, held: null, asOf: null };
  // The rate from one counting, so its two parts agree with each other.
  const all = tally.confirmed + tally.pending;
  return {
    confirmed,
    pending: tally.pending,
    subscribers: tally.subscribers,
    confirmationRate: all === 0 ? null : (tally.confirmed / all) * 100,
    held: tally.held,
    asOf,
  };
}

/** Signatures counted per statement when tallying big campaigns: each statement takes milliseconds. */
const TALLY_CHUNK = 50_000;

/**
 * Counts the figures of every campaign over `exactUpTo` confirmed signatures and keeps them, for their
 * dashboards and delivery pages. It walks the signatures table by id, `chunk` rows per statement, and lets
 * the event loop run between statements, so the process doing it (a mail worker) goes on sending meanwhile
 * and, on SQLite, no statement holds the others back for long. The figures are as of the walk: a signature
 * that changes during it may be counted as it was or as it is.
 */
export async function tallyBigPetitions(
  db: DB,
  opts: { exactUpTo?: number; chunk?: number; now?: Date } = {},
): Promise<number> {
  const exactUpTo = opts.exactUpTo ?? EXACT_FIGURES_UP_TO;
  const chunk = opts.chunk ?? TALLY_CHUNK;
  const big = await db.selectFrom("petitions").select("id").where("signature_count", ">", exactUpTo).execute();
  if (big.length === 0) return 0;
  const ids = big.map((p) => p.id);
  const bounds = await db
    .selectFrom("signatures")
    .select((eb) => [eb.fn.min("id").as("low"), eb.fn.max("id").as("high")])
    .executeTakeFirstOrThrow();
  const totals = new Map<number, Tally>(ids.map((id) => [id, readTally(undefined)]));
  const low = Number(bounds.low ?? 1);
  const high = Number(bounds.high ?? 0);
  for (let from = low - 1; from < high; from += chunk) {
    // Every petition's rows in the range are summed, and the small ones' sums dropped below: with a condition on
    // the petition as well, SQLite chose the index that starts with the petition and read the big campaign's
    // whole range in it for every chunk (0.7 s a chunk, 142 s a tally, at ten million signatures) instead of
    // 50,000 rows by their ids (30 ms).
    const rows = await tallyQuery(db)
      .where("id", ">", from)
      .where("id", "<=", from + chunk)
      .groupBy("petition_id")
      .execute();
    for (const row of rows) {
      const sum = totals.get(row.petition_id);
      if (!sum) continue;
      const part = readTally(row);
      for (const key of Object.keys(sum) as (keyof Tally)[]) sum[key] += part[key];
    }
    await letOthersRun();
  }
  const countedAt = (opts.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    for (const [petitionId, t] of totals) {
      await trx
        .insertInto("petition_tallies")
        .values({ petition_id: petitionId, ...t, counted_at: countedAt })
        .onConflict((oc) => oc.column("petition_id").doUpdateSet({ ...t, counted_at: countedAt }))
        .execute();
    }
  });
  return totals.size;
}

export const CHART_MAX_DAYS = 90;

export type DayPoint = { day: string; confirmed: number; total: number };
export type DailySeries = {
  points: DayPoint[];
  /** Days before the first point that are left out because of the cap. */
  daysLeftOut: number;
};

const DAY_MS = 86_400_000;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
}

/**
 * Every day from `start` to `end` (inclusive), days without signatures
 * included, each with its confirmations and the running total. Only the last
 * `maxDays` are kept; the total still counts the days left out.
 */
export function dailySeries(
  perDay: { day: string; count: number }[],
  range: { start: string; end: string },
  maxDays = CHART_MAX_DAYS,
): DailySeries {
  if (range.end < range.start) return { points: [], daysLeftOut: 0 };
  const length = daysBetween(range.start, range.end) + 1;
  const daysLeftOut = Math.max(0, length - maxDays);
  const first = addDays(range.start, daysLeftOut);
  const byDay = new Map(perDay.map((d) => [d.day, d.count]));
  let total = perDay.filter((d) => d.day < first).reduce((sum, d) => sum + d.count, 0);
  const points: DayPoint[] = [];
  for (let i = 0; i < length - daysLeftOut; i++) {
    const day = addDays(first, i);
    const confirmed = byDay.get(day) ?? 0;
    total += confirmed;
    points.push({ day, confirmed, total });
  }
  return { points, daysLeftOut };
}

/**
 * The days the chart covers: from the opening (or the first confirmation, if
 * earlier) to today while the petition is open; once it has stopped taking
 * signatures, to the later of its closing day and its last confirmation, so a
 * campaign closed long ago is not drawn as months of zeros.
 */
export function chartRange(
  petition: Pick<Petition, "status" | "opened_at" | "closed_at">,
  perDay: { day: string }[],
  now = new Date(),
): { start: string; end: string } | null {
  const today = now.toISOString().slice(0, 10);
  const firstConfirmation = perDay[0]?.day ?? null;
  const opened = petition.opened_at?.slice(0, 10) ?? null;
  const starts = [opened, firstConfirmation].filter((d): d is string => d !== null);
  if (starts.length === 0) return null;
  const start = starts.sort()[0];
  let end = today;
  if (petition.status !== "open") {
    const lastConfirmation = perDay.at(-1)?.day ?? start;
    const closed = petition.closed_at?.slice(0, 10) ?? lastConfirmation;
    end = [closed, lastConfirmation].sort().at(-1)!;
    if (end > today) end = today;
  }
  return { start: start > end ? end : start, end };
}

export const RECENT_SIGNATURES = 50;

/**
 * The latest confirmed signatures, for organizers only. `email` is null
 * unless the signer agreed to receive updates: the database never hands it over otherwise.
 * A signature whose personal data was erased (anonymised_at) still counts, and is listed with no details.
 */
export async function recentConfirmedSignatures(db: DB, petitionId: number, limit = RECENT_SIGNATURES) {
  return db
    .selectFrom("signatures")
    .select((eb) => [
      "id",
      "name",
      "country",
      "postcode",
      "confirmed_at",
      "anonymised_at",
      eb.case().when("updates_consent", "=", 1).then(eb.ref("email")).else(null).end().as("email"),
    ])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .where("hold", "is", null)
    .orderBy("confirmed_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

export type ExportRow = {
  id: number;
  name: string;
  name_display: NameDisplay;
  country: string;
  postcode: string | null;
  /** Null unless the signer agreed to receive updates. */
  email: string | null;
  updates_consent: number;
  confirmed_at: string | null;
  /** Set when the signer erased their details (or retention did): the signature counts, its details are gone. */
  anonymised_at: string | null;
  source: string | null;
  referrer_data: string | null;
};

export const EXPORT_PAGE_SIZE = 1000;

/**
 * Rows written between two turns of the event loop. Writing a page of 1,000 rows as CSV takes the process
 * about 8 ms; a sign POST on PostgreSQL makes six round trips, and waited for one such stretch after each
 * (sign POSTs during an export at a million signatures: 37-43 ms at the median, against 7 ms alone). In
 * slices of 100 the median was 12 ms and the export as fast (80 MB in 8 s).
 */
const EXPORT_SLICE = 100;

/** Where the previous page ended: the (confirmed_at, id) of its last row. */
export type ExportCursor = { confirmedAt: string; id: number };

/**
 * One page of confirmed signatures after `after`, in the order they were
 * confirmed (keyset paging). The key is (confirmed_at, id) rather than id
 * alone because signatures_petition_status_idx (petition_id, status,
 * confirmed_at) already serves that order, with the row id as tie-breaker:
 * each page is an index range read with no sort. Paging by id over that index
 * sorted every remaining row for each page (measured on SQLite without
 * ANALYZE: 157 s for a million rows, against 2 s this way). Row-value
 * comparison is standard SQL; PostgreSQL has it too.
 */
export async function confirmedSignaturesAfter(
  db: DB,
  petitionId: number,
  after: ExportCursor | null,
  limit = EXPORT_PAGE_SIZE,
): Promise<ExportRow[]> {
  let query = db
    .selectFrom("signatures")
    .select((eb) => [
      "id",
      "name",
      "name_display",
      "country",
      "postcode",
      eb.case().when("updates_consent", "=", 1).then(eb.ref("email")).else(null).end().as("email"),
      "updates_consent",
      "confirmed_at",
      "anonymised_at",
      "source",
      "referrer_data",
    ])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .where("hold", "is", null)
    .where("confirmed_at", "is not", null);
  if (after)
    query = query.where((eb) => eb(eb.refTuple("confirmed_at", "id"), ">", eb.tuple(after.confirmedAt, after.id)));
  return query.orderBy("confirmed_at").orderBy("id").limit(limit).execute();
}

/**
 * Every confirmed signature, read a page at a time so that memory stays the
 * same whatever the size. Each page is its own short query: no transaction
 * is held open while the rows travel to the browser, so signing goes on, and
 * the event loop answers other requests between pages.
 * Signatures confirmed while the export runs come at the end.
 */
export async function* allConfirmedSignatures(
  db: DB,
  petitionId: number,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ExportRow> {
  let after: ExportCursor | null = null;
  for (;;) {
    const page = await confirmedSignaturesAfter(db, petitionId, after, pageSize);
    // On SQLite each page is read synchronously, and a client that downloads fast keeps asking for the next:
    // without a turn of the event loop the export of a big campaign held every other request of the process
    // until it ended. A turn every slice, not every page: see EXPORT_SLICE.
    for (let from = 0; from < page.length; from += EXPORT_SLICE) {
      yield* page.slice(from, from + EXPORT_SLICE);
      await letOthersRun();
    }
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { confirmedAt: last.confirmed_at!, id: last.id };
  }
}

export const DELIVERY_MAX_NAMES = 10_000;

export type DeliveryList = {
  confirmed: number;
  /** Signers who chose not to have their name shown; null while a big campaign's are first counted. */
  hidden: number | null;
  /** Signers who chose to be named, whether listed or not; null with `hidden`. */
  named: number | null;
  /** The names as each signer chose to show them, grouped by country code. */
  countries: { code: string; names: string[] }[];
  /** Named signers beyond the page's limit, who are in the CSV export; null with `hidden`. */
  notListed: number | null;
};

/**
 * The names for the printed petition: only signers who chose to be shown,
 * as they chose (full, or first name and initial), in the order they
 * confirmed, up to `limit`.
 */
export async function deliveryList(
  db: DB,
  petitionId: number,
  limit = DELIVERY_MAX_NAMES,
  opts: { exactUpTo?: number } = {},
): Promise<DeliveryList> {
  const confirmed = await signatureCount(db, petitionId);
  const { tally } = await tallyFor(db, petitionId, confirmed, opts.exactUpTo ?? EXACT_FIGURES_UP_TO);
  const rows = await db
    .selectFrom("signatures")
    .select(["name", "name_display", "country"])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .where("hold", "is", null)
    .where("name_display", "!=", "hidden")
    .orderBy("confirmed_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  const byCountry = new Map<string, string[]>();
  for (const r of rows) {
    const shown = displayName(r.name, r.name_display);
    if (!shown) continue;
    const list = byCountry.get(r.country) ?? [];
    list.push(shown);
    byCountry.set(r.country, list);
  }
  // A big campaign's hidden names as last counted; null before its first count.
  const hidden = tally ? Math.min(tally.hidden, confirmed) : null;
  const named = hidden === null ? null : confirmed - hidden;
  return {
    confirmed,
    hidden,
    named,
    countries: [...byCountry.entries()].map(([code, names]) => ({ code, names })),
    notListed: named === null ? null : Math.max(0, named - rows.length),
  };
}
