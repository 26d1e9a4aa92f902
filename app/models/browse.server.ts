import { sql, type ExpressionBuilder, type SelectQueryBuilder } from "kysely";
import type { DB } from "../../db/connection";
import type { Database, DecisionMaker, Petition } from "../../db/schema";
import { matchingPetitions, parseSearchQuery, SEARCH_MAX_TERMS, SEARCH_QUERY_MAX_LENGTH } from "../../db/search";
import { liveCount, withLiveCount } from "./counts.server";
import { isSignable, LISTED_STATES } from "./petition-lifecycle.server";
import type { BrowseSort, BrowseState } from "../lib/browse";

/**
 * Finding petitions: one function for search, the public API's list, the browse page and "similar
 * campaigns". Only listed petitions (open, closed, won) are ever returned: never a draft, one in review, a
 * rejected or a hidden one. The full-text part is each database's own engine (db/search.ts).
 */

export { BROWSE_SORTS, BROWSE_STATES, type BrowseSort, type BrowseState } from "../lib/browse";

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 50;
/** Pages further than this are not served: 500,000 petitions at the largest page size. */
export const MAX_PAGE = 10_000;

export type SearchOptions = {
  /** What a person typed; read safely by parseSearchQuery, whatever it contains. */
  q?: string | null;
  state?: BrowseState | null;
  /** Defaults to relevance with a query, popular without. */
  sort?: BrowseSort | null;
  /** From 1; clamped to 1..MAX_PAGE. */
  page?: number;
  /** Clamped to 1..MAX_PER_PAGE. */
  perPage?: number;
  now?: Date;
};

export type ListedPetition = Pick<
  Petition,
  | "id"
  | "slug"
  | "title"
  | "summary"
  | "language"
  | "status"
  | "goal"
  | "opened_at"
  | "closes_at"
  | "closed_at"
  | "victory_at"
  | "edited_at"
  | "image_id"
> & {
  /** The live count (app/models/counts.server.ts). */
  signature_count: number;
  /** Open, and its closing date not passed. */
  signable: boolean;
  decisionMakers: Pick<DecisionMaker, "name" | "role">[];
};

export type SearchResults = {
  petitions: ListedPetition[];
  /** Every petition that matches, on all pages. */
  total: number;
  page: number;
  perPage: number;
  /** At least 1, so that "page 1 of 1" holds for an empty list too. */
  totalPages: number;
  /** The sort used (relevance falls back to popular when there is nothing to search for). */
  sort: BrowseSort;
  /** Whether the query had anything to search for (words that are not stop words or punctuation). */
  searched: boolean;
};

type PetitionQuery = SelectQueryBuilder<Database, "petitions", object>;

function stateFilter(state: BrowseState, nowIso: string) {
  return (eb: ExpressionBuilder<Database, "petitions">) => {
    const notDue = eb.or([eb("petitions.closes_at", "is", null), eb("petitions.closes_at", ">", nowIso)]);
    switch (state) {
      case "open":
        return eb.and([eb("petitions.status", "=", "open"), notDue]);
      case "closed":
        // One whose date passed a moment ago is closed, though the job that marks it has not run yet.
        return eb.or([
          eb("petitions.status", "=", "closed"),
          eb.and([eb("petitions.status", "=", "open"), eb.not(notDue)]),
        ]);
      case "victory":
        return eb("petitions.status", "=", "victory");
    }
  };
}

const clamp = (n: number | undefined, min: number, max: number, fallback: number) =>
  n === undefined || !Number.isFinite(n) ? fallback : Math.min(max, Math.max(min, Math.trunc(n)));

/** Listed petitions that match, one page of them, with how many match in all. */
export async function searchPetitions(db: DB, opts: SearchOptions = {}): Promise<SearchResults> {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const perPage = clamp(opts.perPage, 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
  const page = clamp(opts.page, 1, MAX_PAGE, 1);
  const query = opts.q ? parseSearchQuery(opts.q) : null;
  const sort: BrowseSort = opts.sort === "relevance" || !opts.sort ? (query ? "relevance" : "popular") : opts.sort;

  const base = () => {
    let q: PetitionQuery = db.selectFrom("petitions");
    // The join adds `matches` (id, score) for the relevance order; the rest of the query reads `petitions` only.
    if (query) q = q.innerJoin(matchingPetitions(db, query), "matches.id", "petitions.id") as unknown as PetitionQuery;
    q = q.where("petitions.status", "in", LISTED_STATES);
    return opts.state ? q.where(stateFilter(opts.state, nowIso)) : q;
  };

  const [countRow, rows] = await Promise.all([
    base()
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow(),
    ordered(base(), sort, nowIso)
      .select([
        "petitions.id",
        "petitions.slug",
        "petitions.title",
        "petitions.summary",
        "petitions.language",
        "petitions.status",
        "petitions.goal",
        "petitions.opened_at",
        "petitions.closes_at",
        "petitions.closed_at",
        "petitions.victory_at",
        "petitions.edited_at",
        "petitions.image_id",
        liveCount,
      ])
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  ]);
  const total = Number(countRow.n);
  const makers = await decisionMakersOf(
    db,
    rows.map((r) => r.id),
  );
  return {
    petitions: rows.map((r) => {
      const p = withLiveCount(r);
      return { ...p, signable: isSignable(p, now), decisionMakers: makers.get(p.id) ?? [] };
    }),
    total,
    page,
    perPage,
    totalPages: Math.max(1, Math.ceil(total / perPage)),
    sort,
    searched: query !== null,
  };
}

function ordered(q: PetitionQuery, sort: BrowseSort, nowIso: string): PetitionQuery {
  switch (sort) {
    case "relevance":
      // Only with a query, which joined `matches`.
      return q
        .orderBy(sql.ref("matches.score"), "desc")
        .orderBy("petitions.signature_count", "desc")
        .orderBy("petitions.id", "desc");
    case "popular":
      // The stored count: at most a second behind the live one, and indexed.
      return q.orderBy("petitions.signature_count", "desc").orderBy("petitions.id", "desc");
    case "recent":
      return q.orderBy("petitions.opened_at", "desc").orderBy("petitions.id", "desc");
    case "closing_soon":
      return q
        .orderBy((eb) =>
          eb
            .case()
            .when(eb.and([eb("petitions.status", "=", "open"), eb("petitions.closes_at", ">", nowIso)]))
            .then(0)
            .else(1)
            .end(),
        )
        .orderBy((eb) => eb.case().when("petitions.closes_at", "is", null).then(1).else(0).end())
        .orderBy("petitions.closes_at", "asc")
        .orderBy("petitions.id", "desc");
  }
}

async function decisionMakersOf(db: DB, petitionIds: number[]) {
  const byPetition = new Map<number, Pick<DecisionMaker, "name" | "role">[]>();
  if (petitionIds.length === 0) return byPetition;
  const rows = await db
    .selectFrom("decision_makers")
    .select(["petition_id", "name", "role"])
    .where("petition_id", "in", petitionIds)
    .orderBy("petition_id")
    .orderBy("position")
    .execute();
  for (const r of rows) {
    const list = byPetition.get(r.petition_id) ?? [];
    list.push({ name: r.name, role: r.role });
    byPetition.set(r.petition_id, list);
  }
  return byPetition;
}

/** What a listed petition is now, as the public API and the browse page say it: a petition past its date is closed. */
export type PublicState = "open" | "closed" | "victory";

export function publicState(p: Pick<Petition, "status" | "closes_at">, now = new Date()): PublicState {
  if (p.status === "victory") return "victory";
  return isSignable(p, now) ? "open" : "closed";
}

/** A listed petition with its decision makers, or undefined: drafts, in review, rejected and hidden are not listed. */
export async function getListedPetition(db: DB, slug: string) {
  const row = await db
    .selectFrom("petitions")
    .select([
      "id",
      "slug",
      "title",
      "summary",
      "language",
      "status",
      "goal",
      "opened_at",
      "closes_at",
      "closed_at",
      "victory_at",
      "victory_message",
      "edited_at",
      "image_id",
      liveCount,
    ])
    .where("slug", "=", slug)
    .where("status", "in", LISTED_STATES)
    .executeTakeFirst();
  if (!row) return undefined;
  const petition = withLiveCount(row);
  const makers = await decisionMakersOf(db, [petition.id]);
  return { ...petition, decisionMakers: makers.get(petition.id) ?? [] };
}

/** A listed petition's live count and what its goal is read from, in one statement; undefined if not listed. */
export async function getListedCount(db: DB, slug: string) {
  const row = await db
    .selectFrom("petitions")
    .select(["goal", "status", "closes_at", liveCount])
    .where("slug", "=", slug)
    .where("status", "in", LISTED_STATES)
    .executeTakeFirst();
  return row ? withLiveCount(row) : undefined;
}

/** How many similar campaigns the start form suggests at most. */
export const SIMILAR_MAX = 5;

export type SimilarPetition = {
  slug: string;
  title: string;
  language: string;
  state: PublicState;
  signatureCount: number;
};

/**
 * Listed campaigns that ask something like `title`, best match first: what the start form shows an organizer
 * before they start a campaign that already exists. Any of the title's words may match (a new title rarely
 * has all of an old one's), and the search engine's ranking puts those that share more words first.
 */
export async function similarPetitions(
  db: DB,
  title: string,
  opts: { limit?: number; now?: Date } = {},
): Promise<SimilarPetition[]> {
  // Only letters and digits: the words are joined with "or" here, so nothing the organizer typed is syntax.
  const words = (title.slice(0, SEARCH_QUERY_MAX_LENGTH).match(/[\p{L}\p{M}\p{N}]+/gu) ?? [])
    .filter((w) => w.toLowerCase() !== "or")
    .slice(0, SEARCH_MAX_TERMS);
  if (words.length === 0) return [];
  const now = opts.now ?? new Date();
  const found = await searchPetitions(db, {
    q: words.join(" or "),
    sort: "relevance",
    perPage: opts.limit ?? SIMILAR_MAX,
    now,
  });
  // Only small words ("the", "of"): nothing to compare, rather than the most popular campaigns.
  if (!found.searched) return [];
  return found.petitions.map((p) => ({
    slug: p.slug,
    title: p.title,
    language: p.language,
    state: publicState(p, now),
    signatureCount: p.signature_count,
  }));
}
