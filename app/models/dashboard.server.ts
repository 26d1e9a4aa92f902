import type { DB } from "../../db/connection";
import type { NameDisplay, Petition } from "../../db/schema";
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
  confirmed: number;
  pending: number;
  /** Confirmed signatures whose signer agreed to receive updates. */
  subscribers: number;
  /** Confirmed as a percentage of confirmed and pending, or null before the first signature. */
  confirmationRate: number | null;
  /** Signatures held by the fraud checks (suspect or invalidated); they count in none of the above. */
  held: number;
};

export async function dashboardFigures(db: DB, petitionId: number): Promise<DashboardFigures> {
  const row = await db
    .selectFrom("signatures")
    .select((eb) => {
      const counted = eb("hold", "is", null);
      const tally = (condition: ReturnType<typeof eb.and>) =>
        eb.fn.sum<number | string | null>(eb.case().when(condition).then(1).else(0).end());
      return [
        tally(eb.and([counted, eb("status", "=", "confirmed")])).as("confirmed"),
        tally(eb.and([counted, eb("status", "=", "pending")])).as("pending"),
        tally(eb.and([counted, eb("status", "=", "confirmed"), eb("updates_consent", "=", 1)])).as("subscribers"),
        tally(eb.and([eb("hold", "is not", null)])).as("held"),
      ];
    })
    .where("petition_id", "=", petitionId)
    .executeTakeFirstOrThrow();
  // SUM over no rows is NULL, and PostgreSQL returns bigint sums as strings.
  const confirmed = Number(row.confirmed ?? 0);
  const pending = Number(row.pending ?? 0);
  const all = confirmed + pending;
  return {
    confirmed,
    pending,
    subscribers: Number(row.subscribers ?? 0),
    confirmationRate: all === 0 ? null : (confirmed / all) * 100,
    held: Number(row.held ?? 0),
  };
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
 * is held open while the rows travel to the browser, so signing goes on.
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
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { confirmedAt: last.confirmed_at!, id: last.id };
  }
}

export const DELIVERY_MAX_NAMES = 10_000;

export type DeliveryList = {
  confirmed: number;
  /** Signers who chose not to have their name shown. */
  hidden: number;
  /** Signers who chose to be named, whether listed or not. */
  named: number;
  /** The names as each signer chose to show them, grouped by country code. */
  countries: { code: string; names: string[] }[];
  /** Named signers beyond the page's limit, who are in the CSV export. */
  notListed: number;
};

/**
 * The names for the printed petition: only signers who chose to be shown,
 * as they chose (full, or first name and initial), in the order they
 * confirmed, up to `limit`.
 */
export async function deliveryList(db: DB, petitionId: number, limit = DELIVERY_MAX_NAMES): Promise<DeliveryList> {
  const counts = await db
    .selectFrom("signatures")
    .select((eb) => [
      eb.fn.countAll<number | string>().as("confirmed"),
      eb.fn
        .sum<number | string | null>(eb.case().when("name_display", "=", "hidden").then(1).else(0).end())
        .as("hidden"),
    ])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "confirmed")
    .where("hold", "is", null)
    .executeTakeFirstOrThrow();
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
  const confirmed = Number(counts.confirmed);
  const hidden = Number(counts.hidden ?? 0);
  const named = confirmed - hidden;
  return {
    confirmed,
    hidden,
    named,
    countries: [...byCountry.entries()].map(([code, names]) => ({ code, names })),
    notListed: Math.max(0, named - rows.length),
  };
}
