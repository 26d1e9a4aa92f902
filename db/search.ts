import { sql, type AliasedRawBuilder, type Kysely } from "kysely";
import { dialectOf } from "./dialect";

/**
 * Full-text search over petitions' title, summary and text with each database's own engine: SQLite's FTS5
 * (the virtual table petitions_fts, kept in step by triggers) and PostgreSQL's text search (a GIN index on a
 * weighted tsvector expression). Both are made by db/migrations/2026-12-07T12-00-00_search.ts; the
 * SQL that differs between them is here and nowhere else (docs/decisions/0031-search-and-public-api.md).
 *
 * What a person types is never handed to either engine as query syntax. parseSearchQuery reads it the way
 * web search boxes are read (words, "quoted phrases", -exclusions, "or" between alternatives) into words made
 * of letters and digits only, and the query each engine gets is written from those words: every word and
 * phrase quoted for FTS5, and for PostgreSQL a websearch_to_tsquery text with no other characters in it.
 * Quotes, brackets, NEAR(, *, :, ^, control characters and SQL are separators, never syntax.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- used on a Kysely<Database> and on migrations
type AnyDb = Kysely<any>;

/** Longer input is cut to this many characters (the public API refuses it with a 400 first). */
export const SEARCH_QUERY_MAX_LENGTH = 200;
/** Words, phrases and exclusions a query keeps at most; the rest are left out. */
export const SEARCH_MAX_TERMS = 12;
/** A word longer than this is cut: no real word is, and neither engine needs more to find it. */
const MAX_WORD_LENGTH = 60;

/** SQLite's FTS5 table and its shadow tables: the database's own index, rebuilt from petitions by its triggers. */
export function isSearchIndexTable(name: string): boolean {
  return name === "petitions_fts" || name.startsWith("petitions_fts_");
}

/**
 * PostgreSQL's english stop words (tsearch_data/english.stop): it leaves them out of every query. They are
 * left out here for both engines, so that "the library" finds the same petitions on either.
 */
const STOP_WORDS = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
  it its itself they them their theirs themselves what which who whom this that these those am is are was were be
  been being have has had having do does did doing a an the and but if or because as until while of at by for with
  about against between into through during before after above below to from up down in out on off over under again
  further then once here there when where why how all any both each few more most other some such no nor not only
  own same so than too very s t can will just don should now`.split(/\s+/),
);

/** One word, or several that must appear in this order ("quoted", or joined by punctuation: well-being). */
type Phrase = readonly string[];
/** Phrases that must all appear, and phrases that must not. */
type Conjunction = { all: Phrase[]; none: Phrase[] };
/**
 * A query as the engines get it: a petition matches if it matches any one of the alternatives. As in web
 * search (and in websearch_to_tsquery and FTS5 alike), "or" binds more loosely than the space between words:
 * `fish chips or books` is (fish and chips) or books.
 */
export type SearchQuery = { anyOf: Conjunction[] };

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.slice(0, MAX_WORD_LENGTH));
}

/** Stop words at either end of a phrase match anything on PostgreSQL: they are dropped there, and so here. */
function trimStopWords(words: string[]): string[] {
  let start = 0;
  let end = words.length;
  while (start < end && STOP_WORDS.has(words[start])) start++;
  while (end > start && STOP_WORDS.has(words[end - 1])) end--;
  return words.slice(start, end);
}

type Item = { phrase: Phrase; negated: boolean } | { or: true };

/** The pieces of the input: quoted phrases, other runs of non-space characters, "or", and a leading minus. */
function itemsOf(input: string): Item[] {
  const items: Item[] = [];
  for (const m of input.matchAll(/(-?)"([^"]*)"?|(\S+)/gu)) {
    const run = m[3];
    if (run === "or") {
      items.push({ or: true });
      continue;
    }
    // A quote inside a run (it"s) starts nothing: it separates words like any other punctuation.
    const words = trimStopWords(wordsOf(run ?? m[2]));
    const negated = run !== undefined ? run.startsWith("-") : m[1] === "-";
    if (words.length > 0) items.push({ phrase: words, negated });
  }
  return items;
}

/**
 * What a person typed into a search box, as words the engines can be given safely; null when nothing in it
 * can be searched for (empty, only punctuation or stop words, or only exclusions): the caller lists every
 * petition then, as with no query at all.
 */
export function parseSearchQuery(input: string): SearchQuery | null {
  const text = input.slice(0, SEARCH_QUERY_MAX_LENGTH).normalize("NFC").toLowerCase();
  const anyOf: Conjunction[] = [{ all: [], none: [] }];
  let terms = 0;
  for (const item of itemsOf(text)) {
    if ("or" in item) {
      if (anyOf[anyOf.length - 1].all.length > 0) anyOf.push({ all: [], none: [] });
      continue;
    }
    if (++terms > SEARCH_MAX_TERMS) break;
    const current = anyOf[anyOf.length - 1];
    (item.negated ? current.none : current.all).push(item.phrase);
  }
  // An alternative with nothing it must contain would match (nearly) everything: FTS5 cannot even say it.
  const kept = anyOf.filter((c) => c.all.length > 0);
  return kept.length > 0 ? { anyOf: kept } : null;
}

/** The query as an FTS5 MATCH expression: every word inside double quotes, so it is a string, never an operator. */
export function ftsQuery(q: SearchQuery): string {
  const phrase = (p: Phrase) => `"${p.join(" ")}"`;
  const conjunction = (c: Conjunction) =>
    [`(${c.all.map(phrase).join(" AND ")})`, ...c.none.map((p) => `NOT ${phrase(p)}`)].join(" ");
  return q.anyOf.map((c) => `(${conjunction(c)})`).join(" OR ");
}

/** The query as websearch_to_tsquery text: only words, spaces, double quotes, "or" and leading minus signs. */
export function websearchQuery(q: SearchQuery): string {
  const phrase = (p: Phrase) => (p.length === 1 ? p[0] : `"${p.join(" ")}"`);
  return q.anyOf.map((c) => [...c.all.map(phrase), ...c.none.map((p) => `-${phrase(p)}`)].join(" ")).join(" or ");
}

/** The weighted document PostgreSQL's index is built on: the migration's expression, exactly. */
const PG_DOCUMENT = sql`(
      setweight(to_tsvector('english'::regconfig, title), 'A') ||
      setweight(to_tsvector('english'::regconfig, summary), 'B') ||
      setweight(to_tsvector('english'::regconfig, body_markdown), 'C')
    )`;

/**
 * The petitions that match, as a table to join on `petitions.id`: `matches.id` and `matches.score`, higher
 * for a better match (FTS5's bm25 with the title weighted above the summary and the summary above the text,
 * negated; PostgreSQL's ts_rank over the A/B/C-weighted document). Scores rank within one database only.
 */
export function matchingPetitions(
  db: AnyDb,
  q: SearchQuery,
): AliasedRawBuilder<{ id: number; score: number }, "matches"> {
  if (dialectOf(db) === "postgres") {
    return sql<{ id: number; score: number }>`(
      select petitions.id, ts_rank(${PG_DOCUMENT}, query) as score
      from petitions, websearch_to_tsquery('english'::regconfig, ${websearchQuery(q)}) as query
      where ${PG_DOCUMENT} @@ query
    )`.as("matches");
  }
  return sql<{ id: number; score: number }>`(
    select rowid as id, -bm25(petitions_fts, 10.0, 4.0, 1.0) as score
    from petitions_fts where petitions_fts match ${ftsQuery(q)}
  )`.as("matches");
}
