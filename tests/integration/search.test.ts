import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { searchPetitions, MAX_PER_PAGE } from "../../app/models/browse.server";
import { countIn } from "../../app/models/counts.server";
import type { DB } from "../../db/connection";
import type { PetitionStatus } from "../../db/schema";
import { parseSearchQuery } from "../../db/search";
import { tempDb } from "../helpers/app";
import { TEST_DIALECT } from "../helpers/database";

let t: Awaited<ReturnType<typeof tempDb>>;
const ids: Record<string, number> = {};
const NOW = new Date("2026-12-07T12:00:00.000Z");

async function addPetition(
  db: DB,
  slug: string,
  fields: {
    title: string;
    summary?: string;
    body?: string;
    status: PetitionStatus;
    count?: number;
    opened?: string;
    closes?: string | null;
  },
) {
  const at = fields.opened ?? "2026-11-01T00:00:00.000Z";
  const row = await db
    .insertInto("petitions")
    .values({
      slug,
      title: fields.title,
      summary: fields.summary ?? "A summary.",
      body_markdown: fields.body ?? "Some text.",
      body_html: "<p>Some text.</p>",
      country: "GB",
      status: fields.status,
      goal: null,
      signature_count: fields.count ?? 0,
      opened_at: fields.status === "draft" || fields.status === "in_review" ? null : at,
      closes_at: fields.closes ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  ids[slug] = row.id;
}

beforeAll(async () => {
  t = await tempDb();
  const p = (slug: string, f: Parameters<typeof addPetition>[2]) => addPetition(t.db, slug, f);
  await p("library", {
    title: "Save the Whitechapel library",
    summary: "Keep our library open on Sundays.",
    status: "open",
    count: 40,
    opened: "2026-11-05T00:00:00.000Z",
    closes: "2027-01-01T00:00:00.000Z",
  });
  await p("libraries-funding", {
    title: "Fund public libraries",
    summary: "Councils need money for books.",
    body: "Every library in the county is short of staff.",
    status: "closed",
    count: 900,
    opened: "2026-10-01T00:00:00.000Z",
  });
  await p("bus-lane", {
    title: "A bus lane on Mile End Road",
    summary: "Buses are late every morning.",
    body: "The library bus stop floods.",
    status: "victory",
    count: 5,
    opened: "2026-11-20T00:00:00.000Z",
  });
  await p("crossing", {
    title: "A safe crossing by the school",
    summary: "Children cross a busy road.",
    status: "open",
    count: 300,
    opened: "2026-11-10T00:00:00.000Z",
    closes: "2026-12-20T00:00:00.000Z",
  });
  // Its date passed: closed, though the job that marks it has not run.
  await p("overdue", {
    title: "Longer opening hours at the pool",
    status: "open",
    count: 10,
    closes: "2026-12-01T00:00:00.000Z",
  });
  for (const status of ["draft", "in_review", "rejected", "hidden"] as const) {
    await p(`secret-${status}`, { title: `Secret library plan ${status}`, summary: "library library", status });
  }
});

afterAll(() => t.cleanup());

const slugsOf = async (opts: Parameters<typeof searchPetitions>[1]) =>
  (await searchPetitions(t.db, { now: NOW, ...opts })).petitions.map((p) => p.slug);

describe(`searching petitions (${TEST_DIALECT})`, () => {
  test("a visitor searching for a word finds the listed petitions with it, the title's match first, stemmed", async () => {
    const found = await slugsOf({ q: "libraries" });
    expect(new Set(found)).toEqual(new Set(["library", "libraries-funding", "bus-lane"]));
    const titled = await slugsOf({ q: "library" });
    // A word in the title ranks above the same word only in the text.
    expect(titled.indexOf("library")).toBeLessThan(titled.indexOf("bus-lane"));
  });

  test("a draft, one in review, a rejected and a hidden petition are never found or listed", async () => {
    for (const q of [undefined, "secret", "library plan"]) {
      const found = await slugsOf({ q, perPage: 50 });
      expect(found.filter((s) => s.startsWith("secret"))).toEqual([]);
    }
    expect((await searchPetitions(t.db, { now: NOW })).total).toBe(5);
  });

  test("a visitor narrows by state, and a petition past its date counts as closed", async () => {
    expect(new Set(await slugsOf({ state: "open" }))).toEqual(new Set(["library", "crossing"]));
    expect(new Set(await slugsOf({ state: "closed" }))).toEqual(new Set(["libraries-funding", "overdue"]));
    expect(await slugsOf({ state: "victory" })).toEqual(["bus-lane"]);
    expect(await slugsOf({ state: "open", q: "library" })).toEqual(["library"]);
  });

  test("sorts: popular, recent, closing soon (open ones with a date first)", async () => {
    expect(await slugsOf({ sort: "popular" })).toEqual([
      "libraries-funding",
      "crossing",
      "library",
      "overdue",
      "bus-lane",
    ]);
    expect((await slugsOf({ sort: "recent" })).slice(0, 3)).toEqual(["bus-lane", "crossing", "library"]);
    expect((await slugsOf({ sort: "closing_soon" })).slice(0, 2)).toEqual(["crossing", "library"]);
  });

  test("the live count includes confirmations not yet folded", async () => {
    await t.db
      .transaction()
      .execute((trx) => countIn(trx, ids["bus-lane"], [{ country: "GB", confirmed_at: NOW.toISOString() }]));
    const r = await searchPetitions(t.db, { now: NOW, state: "victory" });
    expect(r.petitions[0].signature_count).toBe(6);
  });

  test("pages: a total for the page links, a capped page size, an empty page past the end", async () => {
    const first = await searchPetitions(t.db, { now: NOW, perPage: 2, sort: "popular" });
    expect(first).toMatchObject({ total: 5, page: 1, perPage: 2, totalPages: 3 });
    const third = await searchPetitions(t.db, { now: NOW, perPage: 2, page: 3, sort: "popular" });
    expect(third.petitions.map((p) => p.slug)).toEqual(["bus-lane"]);
    const beyond = await searchPetitions(t.db, { now: NOW, perPage: 2, page: 99 });
    expect(beyond.petitions).toEqual([]);
    expect((await searchPetitions(t.db, { now: NOW, perPage: 10_000 })).perPage).toBe(MAX_PER_PAGE);
    expect((await searchPetitions(t.db, { now: NOW, perPage: -3, page: Number.NaN })).page).toBe(1);
  });

  test("quoted phrases, exclusions and 'or' read as a web search box reads them", async () => {
    expect(await slugsOf({ q: '"bus lane"' })).toEqual(["bus-lane"]);
    expect(await slugsOf({ q: '"lane bus"' })).toEqual([]);
    expect(new Set(await slugsOf({ q: "library -bus" }))).toEqual(new Set(["library", "libraries-funding"]));
    expect(new Set(await slugsOf({ q: "crossing or pool" }))).toEqual(new Set(["crossing", "overdue"]));
  });

  test("someone typing hostile query syntax gets an answer, never an error or the syntax obeyed", async () => {
    const hostile = [
      '"',
      '"""',
      'library"',
      "NEAR(library bus)",
      "NEAR(",
      "library*",
      "*",
      "-",
      "--",
      "-library",
      "title:library",
      "library:*",
      "((library",
      "library)",
      "library AND",
      "OR OR",
      "NOT",
      "^library",
      "lib & bus | !x <-> y",
      "'; drop table petitions; --",
      "\u0000library\u0007\u001b[31m",
      "libr\u0301ary",
      "😀 library 😀",
      "library ".repeat(5000),
      "x".repeat(100_000),
      "a".repeat(61) + " library",
      "{library}",
      "\\library\\",
    ];
    for (const q of hostile) {
      const r = await searchPetitions(t.db, { now: NOW, q });
      expect(
        r.petitions.every((p) => !p.slug.startsWith("secret")),
        q,
      ).toBe(true);
    }
    // Brackets and stars separate words; NEAR is a word like any other, here one no petition has.
    expect(await slugsOf({ q: "((library) bus" })).toEqual(["bus-lane"]);
    expect(await slugsOf({ q: "NEAR(library bus)" })).toEqual([]);
    expect(await slugsOf({ q: "library*" })).toEqual(await slugsOf({ q: "library" }));
    expect((await searchPetitions(t.db, { now: NOW, q: "'; drop table petitions; --" })).petitions).toEqual([]);
    const count = await t.db
      .selectFrom("petitions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(9);
  });

  test("nothing to search for (punctuation, stop words, only exclusions) lists every petition, most signed first", async () => {
    for (const q of ["", "   ", "the", "!!!", "-library", '""']) {
      expect(parseSearchQuery(q), q).toBeNull();
      const r = await searchPetitions(t.db, { now: NOW, q });
      expect(r).toMatchObject({ searched: false, sort: "popular", total: 5 });
    }
  });

  test("an organizer's edit to the title is found at once, and the old words no longer are", async () => {
    await t.db
      .updateTable("petitions")
      .set({ title: "Save the Whitechapel reading room" })
      .where("id", "=", ids.library)
      .execute();
    expect(await slugsOf({ q: "whitechapel reading" })).toEqual(["library"]);
    await t.db
      .updateTable("petitions")
      .set({ title: "Save the Whitechapel library" })
      .where("id", "=", ids.library)
      .execute();
    expect(await slugsOf({ q: "reading room" })).toEqual([]);
  });

  test.skipIf(TEST_DIALECT !== "postgres")("PostgreSQL answers a search from its text index", async () => {
    // Few rows: tell the planner not to read the table instead, so the plan shows whether the index fits.
    await t.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const compiled = (await import("../../db/search")).matchingPetitions(trx, parseSearchQuery("library")!);
      const plan = await sql<{ "QUERY PLAN": string }>`explain select * from ${compiled}`.execute(trx);
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("petitions_search_idx");
    });
  });
});
