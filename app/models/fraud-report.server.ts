import type { TFunction } from "i18next";
import type { DB } from "../../db/connection";
import { liveCount, withLiveCount } from "./counts.server";

/**
 * What the moderators' fraud pages read: trending sources, suspects, figures,
 * past invalidations. The changes are in fraud.server.ts. Portable SQL only.
 */

export const TRENDING_WINDOW_MS = 60 * 60 * 1000;
/** How many characters of a network's hash label it on the page: enough to tell networks apart. */
const NETWORK_LABEL_CHARS = 6;

// PostgreSQL returns bigint sums and counts as strings; SUM over no rows is NULL.
const num = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

/** Any petition a moderator may look after: everything but drafts, which have no signatures. */
export async function getPetitionForSafety(db: DB, petitionId: number) {
  const row = await db
    .selectFrom("petitions")
    .select([
      "id",
      "title",
      "slug",
      "status",
      "language",
      "signing_paused_message",
      "challenge_required_since",
      "closes_at",
      liveCount,
    ])
    .where("id", "=", petitionId)
    .where("status", "!=", "draft")
    .executeTakeFirst();
  return row && withLiveCount(row);
}

/**
 * A petition from what a moderator pastes: its number, its slug, or the
 * address of its page. Undefined if none matches.
 */
export async function findPetitionForSafety(db: DB, ref: string) {
  const trimmed = ref.trim();
  const slug = trimmed.match(/\/petitions\/([a-z0-9-]+)/i)?.[1] ?? trimmed;
  let q = db.selectFrom("petitions").select("id").where("status", "!=", "draft");
  q = /^\d{1,9}$/.test(trimmed) ? q.where("id", "=", Number(trimmed)) : q.where("slug", "=", slug.toLowerCase());
  return q.executeTakeFirst();
}

export type SafetyFigures = {
  counted: number;
  /** Of the counted ones, those flagged for review (over a signing limit, a very fast form). */
  flagged: number;
  pending: number;
  suspect: number;
  invalidated: number;
};

/**
 * A petition's signatures by what counts: confirmed and free (and of those, the flagged ones), pending and
 * free, and the two holds.
 */
export async function safetyFigures(db: DB, petitionId: number): Promise<SafetyFigures> {
  const row = await db
    .selectFrom("signatures")
    .select((eb) => {
      const free = eb("hold", "is", null);
      const count = (condition: ReturnType<typeof eb.and>) =>
        eb.fn.sum<number | string | null>(eb.case().when(condition).then(1).else(0).end());
      return [
        count(eb.and([free, eb("status", "=", "confirmed")])).as("counted"),
        count(eb.and([free, eb("status", "=", "confirmed"), eb("review_reason", "is not", null)])).as("flagged"),
        count(eb.and([free, eb("status", "=", "pending")])).as("pending"),
        count(eb.and([eb("hold", "=", "suspect")])).as("suspect"),
        count(eb.and([eb("hold", "=", "invalidated")])).as("invalidated"),
      ];
    })
    .where("petition_id", "=", petitionId)
    .executeTakeFirstOrThrow();
  return {
    counted: num(row.counted),
    flagged: num(row.flagged),
    pending: num(row.pending),
    suspect: num(row.suspect),
    invalidated: num(row.invalidated),
  };
}

/** A petition's invalidations, newest first, with who ran and who undid each. */
export async function listInvalidations(db: DB, petitionId: number, t: TFunction, limit = 50) {
  const rows = await db
    .selectFrom("invalidations as i")
    .leftJoin("users as creator", "creator.id", "i.created_by")
    .leftJoin("users as undoer", "undoer.id", "i.undone_by")
    .select([
      "i.id",
      "i.criteria",
      "i.matched",
      "i.created_at",
      "i.undone_at",
      "creator.email as createdBy",
      "undoer.email as undoneBy",
    ])
    .where("i.petition_id", "=", petitionId)
    .orderBy("i.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, criteria: describeCriteria(r.criteria, t) }));
}

/** The stored criteria (JSON) as a person reads them, in the language of `t`. */
export function describeCriteria(json: string, t: TFunction): string {
  let c: Record<string, string>;
  try {
    c = JSON.parse(json) as Record<string, string>;
  } catch {
    return json;
  }
  const parts: string[] = [];
  const time = (iso: string) => iso.slice(0, 16).replace("T", " ");
  // Each criterion is a whole phrase of its own ("domain example.org"); a list of them needs no grammar.
  if (c.networkHash) parts.push(t("campaignSafety.criteria.network", { value: networkLabel(c.networkHash) }));
  if (c.emailDomain) parts.push(t("campaignSafety.criteria.domain", { value: c.emailDomain }));
  if (c.email) parts.push(t("campaignSafety.criteria.email", { value: c.email }));
  if (c.country) parts.push(t("campaignSafety.criteria.country", { value: c.country }));
  if (c.from) parts.push(t("campaignSafety.criteria.from", { value: time(c.from) }));
  if (c.to) parts.push(t("campaignSafety.criteria.to", { value: time(c.to) }));
  return parts.join(t("campaignSafety.criteria.separator"));
}

/** Why a petition's signatures that are not held were flagged for review, the commonest reason first. */
export async function reviewReasons(db: DB, petitionId: number) {
  const rows = await db
    .selectFrom("signatures")
    .select((eb) => ["review_reason", eb.fn.countAll<number | string>().as("count")])
    .where("petition_id", "=", petitionId)
    .where("hold", "is", null)
    .where("review_reason", "is not", null)
    .groupBy("review_reason")
    .orderBy("count", "desc")
    .limit(20)
    .execute();
  return rows.map((r) => ({ reason: r.review_reason ?? "", count: num(r.count) }));
}

/** Why a petition's suspects were held, the commonest reason first. */
export async function suspectReasons(db: DB, petitionId: number) {
  const rows = await db
    .selectFrom("signatures")
    .select((eb) => ["hold_reason", eb.fn.countAll<number | string>().as("count")])
    .where("petition_id", "=", petitionId)
    .where("hold", "=", "suspect")
    .groupBy("hold_reason")
    .orderBy("count", "desc")
    .execute();
  // No reason is an empty one: the page says so in its reader's language (app/lib/fraud-reasons.ts).
  return rows.map((r) => ({ reason: r.hold_reason ?? "", count: num(r.count) }));
}

/**
 * The newest suspects, for releasing a few by hand. No names or addresses:
 * the domain, country, network label and state are enough to judge a pattern.
 */
export async function newestSuspects(db: DB, petitionId: number, limit = 50) {
  const rows = await db
    .selectFrom("signatures")
    .select(["id", "created_at", "status", "country", "email_domain", "network_hash", "hold_reason"])
    .where("petition_id", "=", petitionId)
    .where("hold", "=", "suspect")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    status: r.status,
    country: r.country,
    domain: r.email_domain,
    network: r.network_hash ? networkLabel(r.network_hash) : null,
    reason: r.hold_reason,
  }));
}

/** Petitions whose signing a moderator has paused. */
export async function listPausedPetitions(db: DB) {
  return db
    .selectFrom("petitions")
    .select(["id", "title", "language", "signing_paused_message"])
    .where("signing_paused_message", "is not", null)
    .orderBy("id")
    .execute();
}

export type SuspectSummary = {
  petitionId: number;
  petitionTitle: string;
  language: string;
  total: number;
  confirmed: number;
  pending: number;
  oldest: string;
  newest: string;
};

/** Suspect signatures per petition (or for one), the most first. */
export async function listSuspects(
  db: DB,
  opts: { petitionId?: number; limit?: number } = {},
): Promise<SuspectSummary[]> {
  let q = db
    .selectFrom("signatures as s")
    .innerJoin("petitions as p", "p.id", "s.petition_id")
    .select((eb) => [
      "s.petition_id as petitionId",
      "p.title as petitionTitle",
      "p.language",
      eb.fn.countAll<number | string>().as("total"),
      eb.fn
        .sum<number | string | null>(eb.case().when("s.status", "=", "confirmed").then(1).else(0).end())
        .as("confirmed"),
      eb.fn.min("s.created_at").as("oldest"),
      eb.fn.max("s.created_at").as("newest"),
    ])
    .where("s.hold", "=", "suspect")
    .groupBy(["s.petition_id", "p.title", "p.language"])
    .orderBy("total", "desc")
    .orderBy("s.petition_id")
    .limit(opts.limit ?? 50);
  if (opts.petitionId !== undefined) q = q.where("s.petition_id", "=", opts.petitionId);
  const rows = await q.execute();
  return rows.map((r) => ({
    petitionId: r.petitionId,
    petitionTitle: r.petitionTitle,
    language: r.language,
    total: num(r.total),
    confirmed: num(r.confirmed),
    pending: num(r.total) - num(r.confirmed),
    oldest: r.oldest,
    newest: r.newest,
  }));
}

export type TrendingSource = {
  kind: "network" | "domain";
  petitionId: number;
  petitionTitle: string;
  /** The language the petition's title is written in (petitions.language). */
  petitionLanguage: string;
  /** What the invalidation form takes: the network's hash, or the domain. */
  value: string;
  /** What a person reads: "net 3fa9c2…" (the address itself is never stored), or the domain. */
  label: string;
  total: number;
  counted: number;
  /** Counted, but flagged for review. */
  flagged: number;
  pending: number;
  suspect: number;
  invalidated: number;
  oldest: string;
  newest: string;
};

export function networkLabel(networkHash: string): string {
  return `net ${networkHash.slice(0, NETWORK_LABEL_CHARS)}…`;
}

/**
 * Networks and email domains with more than `threshold` signatures on one
 * petition since `since` (an hour ago by default), the most first: the
 * "trending IP / trending domain" logs of the UK Parliament site.
 */
export async function trendingSources(
  db: DB,
  opts: { petitionId?: number; since?: Date; threshold: number; now?: Date; limit?: number },
): Promise<TrendingSource[]> {
  const since = (opts.since ?? new Date((opts.now ?? new Date()).getTime() - TRENDING_WINDOW_MS)).toISOString();
  const limit = opts.limit ?? 50;
  const by = async (kind: TrendingSource["kind"]) => {
    const column = kind === "network" ? "s.network_hash" : "s.email_domain";
    let q = db
      .selectFrom("signatures as s")
      .innerJoin("petitions as p", "p.id", "s.petition_id")
      .select((eb) => {
        const free = eb("s.hold", "is", null);
        const count = (condition: ReturnType<typeof eb.and>) =>
          eb.fn.sum<number | string | null>(eb.case().when(condition).then(1).else(0).end());
        return [
          "s.petition_id as petitionId",
          "p.title as petitionTitle",
          "p.language as petitionLanguage",
          eb.ref(column).as("value"),
          eb.fn.countAll<number | string>().as("total"),
          count(eb.and([free, eb("s.status", "=", "confirmed")])).as("counted"),
          count(eb.and([free, eb("s.status", "=", "confirmed"), eb("s.review_reason", "is not", null)])).as("flagged"),
          count(eb.and([free, eb("s.status", "=", "pending")])).as("pending"),
          count(eb.and([eb("s.hold", "=", "suspect")])).as("suspect"),
          count(eb.and([eb("s.hold", "=", "invalidated")])).as("invalidated"),
          eb.fn.min("s.created_at").as("oldest"),
          eb.fn.max("s.created_at").as("newest"),
        ];
      })
      .where("s.created_at", ">=", since)
      .where(column, "is not", null)
      .groupBy(["s.petition_id", "p.title", "p.language", column])
      .having((eb) => eb.fn.countAll(), ">", opts.threshold)
      .orderBy("total", "desc")
      .limit(limit);
    if (opts.petitionId !== undefined) q = q.where("s.petition_id", "=", opts.petitionId);
    const rows = await q.execute();
    return rows.map((r) => {
      const value = r.value as string;
      return {
        kind,
        petitionId: r.petitionId,
        petitionTitle: r.petitionTitle,
        petitionLanguage: r.petitionLanguage,
        value,
        label: kind === "network" ? networkLabel(value) : value,
        total: num(r.total),
        counted: num(r.counted),
        flagged: num(r.flagged),
        pending: num(r.pending),
        suspect: num(r.suspect),
        invalidated: num(r.invalidated),
        oldest: r.oldest,
        newest: r.newest,
      };
    });
  };
  const all = [...(await by("network")), ...(await by("domain"))];
  return all.sort((a, b) => b.total - a.total || a.petitionId - b.petitionId || a.label.localeCompare(b.label));
}
