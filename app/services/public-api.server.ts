import { createHash } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { countryName } from "../lib/countries";
import { goalFor } from "../lib/goal";
import {
  BROWSE_SORTS,
  BROWSE_STATES,
  getListedCount,
  getListedPetition,
  MAX_PAGE,
  MAX_PER_PAGE,
  DEFAULT_PER_PAGE,
  publicState,
  searchPetitions,
  type ListedPetition,
  type SearchOptions,
} from "../models/browse.server";
import { countryCounts } from "../models/counts.server";
import { listUpdateTitles } from "../models/update-lists.server";
import { SEARCH_QUERY_MAX_LENGTH } from "../../db/search";

/**
 * The public, read-only JSON API (documented at /api): the documents it answers with, built here and only
 * here, so that every way of reading campaigns from outside (this API, other formats built on it) says the
 * same things the same way. Only listed campaigns (open, closed, won) exist for it. What it shows of a
 * campaign is what its page shows anyone: never a signer's address, hidden name, postcode or anything
 * derived from their IP address; it lists no signers at all, only counts by country.
 */

/** How long a CDN or browser may keep a list or a campaign, and serve it stale while it asks again. */
export const LIST_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300";
export const PETITION_CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=120";
/** The count changes every few seconds on a busy campaign; pages poll it every 10 s. */
export const COUNT_CACHE_CONTROL = "public, max-age=5, stale-while-revalidate=25";

/** Updates a campaign's document lists, newest first. */
const UPDATES_LISTED = 20;

const intParam = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be from ${min} to ${max}`);

/** The list's query parameters; each bad one is named in the 400's body. */
const listParams = z.object({
  q: z.string().max(SEARCH_QUERY_MAX_LENGTH, `q must be at most ${SEARCH_QUERY_MAX_LENGTH} characters`).optional(),
  state: z.enum(BROWSE_STATES, { error: `state must be one of ${BROWSE_STATES.join(", ")}` }).optional(),
  sort: z.enum(BROWSE_SORTS, { error: `sort must be one of ${BROWSE_SORTS.join(", ")}` }).optional(),
  page: intParam("page", 1, MAX_PAGE).optional(),
  per_page: intParam("per_page", 1, MAX_PER_PAGE).optional(),
});

export type ListParams = z.infer<typeof listParams>;

/** The list's parameters from an address's query, or the problems with them by parameter. */
export function readListParams(
  search: URLSearchParams,
): { ok: true; params: ListParams } | { ok: false; errors: Record<string, string> } {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(listParams.shape)) {
    const value = search.get(key);
    // An empty value is no value: a form sends "q=" for an empty box.
    if (value !== null && value !== "") raw[key] = value;
  }
  const parsed = listParams.safeParse(raw);
  if (parsed.success) return { ok: true, params: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { ok: false, errors };
}

const petitionUrl = (origin: string, slug: string) => `${origin}/petitions/${encodeURIComponent(slug)}`;
const apiUrl = (origin: string, slug: string) => `${origin}/api/petitions/${encodeURIComponent(slug)}.json`;
export const countUrl = (origin: string, slug: string) =>
  `${origin}/api/petitions/${encodeURIComponent(slug)}/count.json`;

function summaryOf(p: Omit<ListedPetition, "signable" | "id">, origin: string, now: Date) {
  return {
    slug: p.slug,
    title: p.title,
    summary: p.summary,
    state: publicState(p, now),
    signature_count: p.signature_count,
    goal: goalFor(p.signature_count, p.goal),
    decision_makers: p.decisionMakers.map((m) => ({ name: m.name, title: m.role })),
    opened_at: p.opened_at,
    closes_at: p.closes_at,
    closed_at: p.closed_at ?? (publicState(p, now) === "closed" ? p.closes_at : null),
    victory_at: p.victory_at,
    edited_at: p.edited_at,
    image_url: p.image_id ? `${origin}/images/${p.image_id}` : null,
    links: { self: apiUrl(origin, p.slug), html: petitionUrl(origin, p.slug), count: countUrl(origin, p.slug) },
  };
}

/** The list document: one page of campaigns, how many there are, and links to the other pages. */
export async function petitionListDocument(db: DB, params: ListParams, origin: string, now = new Date()) {
  const options: SearchOptions = {
    q: params.q,
    state: params.state,
    sort: params.sort,
    page: params.page,
    perPage: params.per_page,
    now,
  };
  const results = await searchPetitions(db, options);
  const link = (page: number) => {
    const query = new URLSearchParams();
    if (params.q) query.set("q", params.q);
    if (params.state) query.set("state", params.state);
    if (params.sort) query.set("sort", params.sort);
    if (page !== 1) query.set("page", String(page));
    if (results.perPage !== DEFAULT_PER_PAGE) query.set("per_page", String(results.perPage));
    const text = query.toString();
    return `${origin}/api/petitions.json${text ? `?${text}` : ""}`;
  };
  return {
    data: results.petitions.map((p) => summaryOf(p, origin, now)),
    meta: {
      total: results.total,
      page: results.page,
      per_page: results.perPage,
      total_pages: results.totalPages,
      sort: results.sort,
    },
    links: {
      self: link(results.page),
      first: link(1),
      last: link(results.totalPages),
      prev: results.page > 1 ? link(Math.min(results.page - 1, results.totalPages)) : null,
      next: results.page < results.totalPages ? link(results.page + 1) : null,
    },
  };
}

/** One campaign's document, or undefined when it is not listed. */
export async function petitionDocument(db: DB, slug: string, origin: string, now = new Date()) {
  const petition = await getListedPetition(db, slug);
  if (!petition) return undefined;
  const [countries, updates] = await Promise.all([
    countryCounts(db, petition.id),
    listUpdateTitles(db, petition.id, UPDATES_LISTED),
  ]);
  const base = summaryOf(petition, origin, now);
  return {
    data: {
      ...base,
      links: undefined,
      victory_message: petition.status === "victory" ? petition.victory_message : null,
      signatures_by_country: countries.map((c) => ({
        country: c.country,
        name: countryName(c.country),
        signature_count: c.signature_count,
      })),
      updates: updates.map((u) => ({
        title: u.title,
        published_at: u.published_at,
        url: `${petitionUrl(origin, petition.slug)}/updates/${u.id}`,
      })),
    },
    links: { ...base.links, updates_feed: `${petitionUrl(origin, petition.slug)}/updates.atom` },
  };
}

/** A campaign's count document, as small as can be; undefined when it is not listed. */
export async function countDocument(db: DB, slug: string, now = new Date()) {
  const row = await getListedCount(db, slug);
  if (!row) return undefined;
  return {
    signature_count: row.signature_count,
    goal: goalFor(row.signature_count, row.goal),
    state: publicState(row, now),
    /** When this count was read from the database. */
    updated_at: now.toISOString(),
  };
}

/** Headers every API answer carries: anyone's page or tool may read it. */
export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag",
};

/**
 * A JSON answer a CDN can keep: its ETag is the body's hash, and a request that names it gets a 304 with
 * no body. The ETag is set here, so the server's own validator (server/http-cache.ts) leaves it alone.
 */
export function jsonResponse(request: Request, body: unknown, opts: { status?: number; cacheControl: string }) {
  const text = JSON.stringify(body);
  const headers = new Headers({
    ...CORS_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": opts.cacheControl,
    "X-Content-Type-Options": "nosniff",
  });
  const status = opts.status ?? 200;
  if (status !== 200) return new Response(text, { status, headers });
  const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
  headers.set("ETag", etag);
  if (etagMatches(request.headers.get("if-none-match"), etag)) {
    headers.delete("Content-Type");
    return new Response(null, { status: 304, headers });
  }
  return new Response(text, { status, headers });
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/** A problem, as JSON: 404 for a campaign that is not listed, 400 with the bad parameters named. */
export function problemResponse(status: 400 | 404, title: string, errors?: Record<string, string>) {
  return new Response(JSON.stringify({ status, title, ...(errors ? { errors } : {}) }), {
    status,
    headers: {
      ...CORS_HEADERS,
      "Content-Type": "application/problem+json; charset=utf-8",
      // A 404 may be kept a little: a crowd asking for a missing campaign is answered by the CDN.
      "Cache-Control": status === 404 ? "public, max-age=30" : "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
