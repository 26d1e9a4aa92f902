/**
 * A campaign's language and its organizers' translations (ADR campaign-translations): the language picked
 * on the form, translations added on /organize/:id/translations, reviewed by a moderator (moderation is on,
 * as in production), and shown to readers whose page is in their language, never to others.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { errorBeside, valueOf } from "../helpers/html";
import { browser, completePetition, makePetition, petitionFields, signedIn, type Person } from "../helpers/session";

const WELSH = {
  language: "cy",
  title: "Cadwch Lyfrgell Glan yr Afon ar agor ar y Sul",
  summary: "Y llyfrgell yw’r unig le cynnes a thawel yn y ward ar ddydd Sul.",
  body: "Mae teuluoedd, myfyrwyr a phobl hŷn yn dibynnu ar Lyfrgell Glan yr Afon. Mae ei chau ar y Sul yn eu gadael heb unman i fynd.",
};

let app: TestApp;
let organizer: Person;
let stranger: Person;
let moderator: Person;
beforeAll(async () => {
  // The whole-page cache on, as in production: a page cached for one language must never reach another.
  app = await startTestApp({ worker: false, env: { PAGE_CACHE_MS: "60000" } });
  organizer = await signedIn(app, "organizer@example.org");
  stranger = await signedIn(app, "stranger@example.org");
  moderator = await signedIn(app, "translations-moderator@example.org", ["moderator"]);
});
afterAll(() => app?.stop());

const save = (fields: Record<string, string>) => ({ intent: "save", ...fields });

/** Approves the translation waiting for review, through the moderator's page, as a moderator would. */
async function approvePending(title: string) {
  const queue = await (await browser(app, moderator).get("/moderate/translations")).text();
  const card = queue.split("<article").find((part) => part.includes(title));
  expect(card, "the translation waits in the moderators' queue").toBeDefined();
  const id = card!.match(/name="id" value="(\d+)"/)![1];
  const updatedAt = card!.match(/name="updatedAt" value="([^"]+)"/)![1];
  const res = await browser(app, moderator).post("/moderate/translations", { intent: "approve", id, updatedAt });
  expect(res.status).toBe(302);
}

describe("an organizer translating their campaign", () => {
  it("adds a Welsh translation that Welsh readers see once a moderator approves it, with a note and a link to the original; English readers see the original", async () => {
    const input = completePetition();
    const p = await makePetition(app, { state: "open", owner: organizer, input });
    const organizing = browser(app, organizer);

    const saved = await organizing.post(`/organize/${p.id}/translations`, save(WELSH));
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`/organize/${p.id}/translations?pending=1`);
    const listed = await (await organizing.get(`/organize/${p.id}/translations?pending=1`)).text();
    expect(listed).toContain(WELSH.title);
    expect(listed).toContain("Waiting for a moderator");

    await approvePending(WELSH.title);

    const welsh = await (await browser(app).get(`/petitions/${p.slug}`, { "accept-language": "cy" })).text();
    expect(welsh).toContain(`<h1 lang="cy">${WELSH.title}</h1>`);
    expect(welsh).toContain(`lang="cy">${WELSH.summary}</p>`);
    expect(welsh).toContain(WELSH.body.slice(0, 40));
    expect(welsh).toContain(`<title>${WELSH.title} | Undersigned</title>`);
    expect(welsh).toContain("Cyfieithwyd o’r Saesneg gan drefnwyr yr ymgyrch.");
    expect(welsh).toContain(`href="/petitions/${p.slug}?original=1" hrefLang="en"`);
    expect(welsh).not.toContain(input.title);

    // The same address for an English reader, after the Welsh page was cached: the original.
    const english = await (await browser(app).get(`/petitions/${p.slug}`, { "accept-language": "en-GB" })).text();
    expect(english).toContain(`<h1 lang="en">${input.title}</h1>`);
    expect(english).not.toContain(WELSH.title);
    expect(english).not.toContain("Translated from");

    // And the Welsh reader again, now both are cached; then the original they were linked to.
    const again = await (await browser(app).get(`/petitions/${p.slug}`, { "accept-language": "cy" })).text();
    expect(again).toContain(`<h1 lang="cy">${WELSH.title}</h1>`);
    const original = await (
      await browser(app).get(`/petitions/${p.slug}?original=1`, { "accept-language": "cy" })
    ).text();
    expect(original).toContain(`<h1 lang="en">${input.title}</h1>`);
    expect(original).not.toContain(WELSH.title);

    // The widget's title too.
    const widget = await (await browser(app).get(`/embed/${p.slug}`, { "accept-language": "cy" })).text();
    expect(widget).toContain(`<span lang="cy">${WELSH.title}</span>`);
  });

  it("cannot slip a changed text past the moderator: an approved translation changed goes back to review and is not shown", async () => {
    const input = completePetition();
    const p = await makePetition(app, { state: "open", owner: organizer, input });
    const organizing = browser(app, organizer);
    await organizing.post(`/organize/${p.id}/translations`, save(WELSH));
    await approvePending(WELSH.title);
    const hostile = { ...WELSH, title: "Teitl newydd nad oes neb wedi’i ddarllen eto" };
    expect((await organizing.post(`/organize/${p.id}/translations`, save(hostile))).status).toBe(302);
    // Asked for the first time since the change (pages are kept for PAGE_CACHE_MS): a fresh render.
    const page = await (await browser(app).get(`/petitions/${p.slug}?lang=cy`)).text();
    expect(page).not.toContain(hostile.title);
    expect(page).not.toContain(WELSH.title);
    expect(page).toContain(`<h1 lang="en">${input.title}</h1>`);
  });

  it("is told what is wrong beside each field, with the other answers kept", async () => {
    const p = await makePetition(app, { state: "open", owner: organizer });
    const res = await browser(app, organizer).post(
      `/organize/${p.id}/translations`,
      save({ language: "cy", title: "   ", summary: WELSH.summary, body: "" }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(errorBeside(html, "title")).toBe("Enter the title in this language");
    expect(errorBeside(html, "body")).toBe("Enter the text in this language");
    expect(errorBeside(html, "summary")).toBeNull();
    expect(valueOf(html, "summary")).toBe(WELSH.summary);

    const same = await browser(app, organizer).post(
      `/organize/${p.id}/translations`,
      save({ ...WELSH, language: "en" }),
    );
    expect(same.status).toBe(400);
    expect(errorBeside(await same.text(), "language")).toBe(
      "Your campaign is written in this language already: choose another one",
    );
    const unknown = await browser(app, organizer).post(
      `/organize/${p.id}/translations`,
      save({ ...WELSH, language: "fr" }),
    );
    expect(unknown.status).toBe(400);
    expect(
      await app.db.selectFrom("petition_translations").select("id").where("petition_id", "=", p.id).execute(),
    ).toEqual([]);
  });

  it("removes a translation, and readers in that language see the original again", async () => {
    const input = completePetition();
    const p = await makePetition(app, { state: "open", owner: organizer, input });
    const organizing = browser(app, organizer);
    await organizing.post(`/organize/${p.id}/translations`, save(WELSH));
    await approvePending(WELSH.title);
    const removed = await organizing.post(`/organize/${p.id}/translations`, { intent: "remove", language: "cy" });
    expect(removed.headers.get("location")).toBe(`/organize/${p.id}/translations?removed=1`);
    const page = await (await browser(app).get(`/petitions/${p.slug}?lang=cy`)).text();
    expect(page).toContain(`<h1 lang="en">${input.title}</h1>`);
  });
});

describe("someone who does not organize the campaign", () => {
  it("cannot see, add, change or remove its translations", async () => {
    const p = await makePetition(app, { state: "open", owner: organizer });
    await browser(app, organizer).post(`/organize/${p.id}/translations`, save(WELSH));
    const other = browser(app, stranger);
    expect((await other.get(`/organize/${p.id}/translations`)).status).toBe(404);
    expect((await other.post(`/organize/${p.id}/translations`, save({ ...WELSH, language: "es" }))).status).toBe(404);
    expect(
      (await other.post(`/organize/${p.id}/translations`, save({ ...WELSH, title: "Hijacked title" }))).status,
    ).toBe(404);
    expect((await other.post(`/organize/${p.id}/translations`, { intent: "remove", language: "cy" })).status).toBe(404);
    // Moderators review translations on their own page; they do not write them.
    expect((await browser(app, moderator).post(`/organize/${p.id}/translations`, save(WELSH))).status).toBe(404);
    const rows = await app.db
      .selectFrom("petition_translations")
      .select(["language", "title"])
      .where("petition_id", "=", p.id)
      .execute();
    expect(rows).toEqual([{ language: "cy", title: WELSH.title }]);
  });

  it("cannot approve a translation unless they moderate", async () => {
    const p = await makePetition(app, { state: "open", owner: organizer });
    await browser(app, organizer).post(`/organize/${p.id}/translations`, save({ ...WELSH, language: "es" }));
    const row = await app.db
      .selectFrom("petition_translations")
      .select(["id", "updated_at"])
      .where("petition_id", "=", p.id)
      .executeTakeFirstOrThrow();
    const res = await browser(app, organizer).post("/moderate/translations", {
      intent: "approve",
      id: String(row.id),
      updatedAt: row.updated_at,
    });
    expect(res.status).not.toBe(302);
    const after = await app.db
      .selectFrom("petition_translations")
      .select("status")
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe("pending");
  });
});

describe("an organizer choosing their campaign's language", () => {
  it("saves the language picked on the form, and a new form offers the language they use the site in", async () => {
    const organizing = browser(app, organizer);
    const form = await (await organizing.get("/start?lang=es")).text();
    expect(form).toMatch(/<option value="es" lang="es" selected="">Español<\/option>/);
    const res = await organizing.post("/start", { ...petitionFields(completePetition()), language: "cy" });
    expect(res.status).toBe(302);
    const id = Number(res.headers.get("location")!.match(/\/organize\/(\d+)\//)![1]);
    const row = await app.db.selectFrom("petitions").select("language").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.language).toBe("cy");
    const edit = await (await organizing.get(`/organize/${id}/edit`)).text();
    expect(edit).toMatch(/<option value="cy" lang="cy" selected="">Cymraeg<\/option>/);

    const wrong = await organizing.post(`/organize/${id}/edit`, {
      ...petitionFields(completePetition()),
      language: "xx",
    });
    expect(wrong.status).toBe(400);
    expect(errorBeside(await wrong.text(), "language")).toBe("Choose one of the languages offered");
  });
});
