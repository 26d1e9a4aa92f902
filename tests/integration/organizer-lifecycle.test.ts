import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatDate } from "../../app/lib/time";
import { closeDuePetitions } from "../../app/models/organize.server";
import { addMonths, isoDay } from "../../app/schemas/petition.server";
import type { DB } from "../../db/connection";
import { startTestApp, type TestApp } from "../helpers/app";
import { errorBeside, hasLink, markedInvalid, valueOf, withoutTextSeparators } from "../helpers/html";
import { browser, completePetition, makePetition, petitionFields, signedIn, type Person } from "../helpers/session";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
let olivia: Person; // an organizer
let mo: Person; // a moderator
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  olivia = await signedIn(app, "olivia@example.org");
  mo = await signedIn(app, "mo@example.org", ["moderator"]);
});
afterAll(async () => {
  await app.stop();
  await smtp.stop();
});

const DAY = 86_400_000;
const subjectIs = (subject: string) => (m: ReceivedMail) => m.subject === subject;

async function petitionRow(id: number, db: DB = app.db) {
  return db.selectFrom("petitions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function makersOf(id: number) {
  return app.db
    .selectFrom("decision_makers")
    .select(["name", "role"])
    .where("petition_id", "=", id)
    .orderBy("position")
    .execute();
}

async function auditOf(id: number, db: DB = app.db) {
  return db
    .selectFrom("audit_log")
    .select(["action", "actor_id", "details"])
    .where("petition_id", "=", id)
    .orderBy("id")
    .execute();
}

async function html(res: Response): Promise<string> {
  return res.text();
}

const publicPage = (slug: string) => browser(app).get(`/petitions/${slug}`);
const homePage = async () => html(await browser(app).get("/"));

describe("an organizer writes a petition and sends it for review", () => {
  const title = "Plant a thousand street trees in Eastfield";
  let id: number;

  test("an organizer saves a half-written draft and finds it again when they come back", async () => {
    const res = await browser(app, olivia).post("/start", { intent: "save", title });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/organize\/\d+\/edit\?saved=1$/);
    id = Number(location.split("/")[2]);

    const stored = await petitionRow(id);
    expect(stored).toMatchObject({ title, summary: "", status: "draft", opened_at: null });
    const owner = await app.db
      .selectFrom("petition_organizers")
      .select(["user_id", "role"])
      .where("petition_id", "=", id)
      .execute();
    expect(owner).toEqual([{ user_id: olivia.id, role: "owner" }]);

    const page = await browser(app, olivia).get(location);
    expect(page.status).toBe(200);
    const editHtml = await html(page);
    expect(valueOf(editHtml, "title")).toBe(title);
    expect(editHtml).toContain("Draft saved at");

    // More later, from the edit page.
    const more = await browser(app, olivia).post(`/organize/${id}/edit`, {
      intent: "save",
      title,
      summary: "Shade, cleaner air and cooler streets.",
      "maker-name-0": "Eastfield Town Council",
      "maker-role-0": "",
    });
    expect(more.status).toBe(200);
    const reloaded = await html(await browser(app, olivia).get(`/organize/${id}/edit`));
    expect(valueOf(reloaded, "title")).toBe(title);
    expect(valueOf(reloaded, "summary")).toBe("Shade, cleaner air and cooler streets.");
    expect(valueOf(reloaded, "maker-name-0")).toBe("Eastfield Town Council");
    expect(await makersOf(id)).toEqual([{ name: "Eastfield Town Council", role: null }]);
  });

  test("an organizer who submits with fields missing is told beside each one, keeps what they typed, and the draft is saved", async () => {
    const res = await browser(app, olivia).post(`/organize/${id}/edit`, {
      intent: "submit",
      title,
      summary: "Trees, please",
      body: "",
      goal: "5,000",
    });
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(errorBeside(page, "summary")).toBe("One-line summary must be at least 20 characters");
    expect(errorBeside(page, "body")).toBe("Enter the text of your petition");
    expect(errorBeside(page, "makers")).toBe(
      "Name at least one decision maker: the person or body who can make this happen",
    );
    expect(errorBeside(page, "title")).toBeNull();
    expect(markedInvalid(page, "summary")).toBe(true);
    expect(valueOf(page, "title")).toBe(title);
    expect(valueOf(page, "summary")).toBe("Trees, please");
    expect(valueOf(page, "goal")).toBe("5,000");
    expect(page).toContain('<a href="#body">Enter the text of your petition</a>');

    const stored = await petitionRow(id);
    expect(stored).toMatchObject({ status: "draft", summary: "Trees, please", goal: 5000, submitted_at: null });
    expect(await makersOf(id)).toEqual([]);
  });

  test("an organizer who submits a complete petition sends it for review and is told by email", async () => {
    const input = completePetition({
      title,
      summary: "Shade, cleaner air and cooler streets for everyone in Eastfield.",
    });
    const res = await browser(app, olivia).post(`/organize/${id}/edit`, petitionFields(input, "submit"));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${id}?submitted=1`);

    const stored = await petitionRow(id);
    expect(stored.status).toBe("in_review");
    expect(stored.submitted_at).not.toBeNull();
    expect(stored.slug).toMatch(/^draft-/);
    expect((await publicPage(stored.slug)).status).toBe(404);

    const mail = await smtp.waitFor(olivia.email, subjectIs(`We have your petition: ${title}`));
    expect(mail.text).toContain(`${app.url}/organize/${id}`);
    const queue = await html(await browser(app, mo).get("/moderate"));
    expect(hasLink(queue, `/moderate/${id}`, title)).toBe(true);
  });

  test("a moderator approves it: it opens at an address made from its title, for six months, and the organizer hears", async () => {
    const res = await browser(app, mo).post(`/moderate/${id}`, { intent: "approve" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/moderate?decided=${id}`);

    const stored = await petitionRow(id);
    expect(stored.status).toBe("open");
    expect(stored.slug).toBe("plant-a-thousand-street-trees-in-eastfield");
    expect(stored.opened_at).not.toBeNull();
    expect(stored.closes_at).toBe(addMonths(new Date(stored.opened_at!), 6).toISOString());

    const page = await publicPage(stored.slug);
    expect(page.status).toBe(200);
    expect(await html(page)).toContain(`<h1 lang="en">${title}</h1>`);
    expect(await homePage()).toContain(`href="/petitions/${stored.slug}"`);

    const mail = await smtp.waitFor(olivia.email, subjectIs(`Your petition is live: ${title}`));
    expect(mail.text).toContain(`${app.url}/petitions/${stored.slug}`);

    const log = await auditOf(id);
    expect(log.map((e) => [e.action, e.actor_id])).toEqual([
      ["petition.create", olivia.id],
      ["petition.submit", olivia.id],
      ["petition.approve", mo.id],
    ]);
  });

  test("an organizer who started a second petition with the same title gets an address of its own", async () => {
    const again = await makePetition(app, { state: "open", owner: olivia, input: completePetition({ title }) });
    expect(again.slug).toBe("plant-a-thousand-street-trees-in-eastfield-2");
  });
});

describe("an organizer who submits straight from the start page", () => {
  test("an incomplete petition is kept as a draft, and its edit page shows what is missing", async () => {
    const res = await browser(app, olivia).post("/start", { intent: "submit", title: "Lights", summary: "" });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/organize\/\d+\/edit\?check=1$/);
    const id = Number(location.split("/")[2]);
    expect(await petitionRow(id)).toMatchObject({ status: "draft", title: "Lights" });

    const page = await html(await browser(app, olivia).get(location));
    expect(errorBeside(page, "title")).toBe("Title must be at least 10 characters");
    expect(errorBeside(page, "summary")).toBe("Enter a one-line summary");
    expect(valueOf(page, "title")).toBe("Lights");
  });

  test("an organizer who picks a closing date gets that date", async () => {
    const closesOn = isoDay(new Date(Date.now() + 45 * DAY));
    const input = completePetition({ closesOn });
    const res = await browser(app, olivia).post("/start", petitionFields(input, "submit"));
    expect(res.status).toBe(302);
    const id = Number((res.headers.get("location") ?? "").match(/^\/organize\/(\d+)\?submitted=1$/)?.[1]);
    expect((await browser(app, mo).post(`/moderate/${id}`, { intent: "approve" })).status).toBe(302);
    expect((await petitionRow(id)).closes_at).toBe(`${closesOn}T23:59:59.000Z`);
  });
});

describe("an organizer on the start page", () => {
  const petitionCount = async () =>
    Number(
      (
        await app.db
          .selectFrom("petitions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  test("is told once how a draft is saved, and what the smallest goal is", async () => {
    const page = withoutTextSeparators(await html(await browser(app, olivia).get("/start")));
    // Without JavaScript a draft saves only when Save draft is pressed; the page says nothing else.
    expect(page).toContain("Your draft is saved when you press Save draft.");
    expect(page).not.toMatch(/as you go/);
    expect(page).toMatch(/<p class="hint" id="goal-hint">At least 10\./);
  });

  test("who presses Submit with nothing typed is told what a petition needs, and no draft is made", async () => {
    const before = await petitionCount();
    for (let i = 0; i < 2; i++) {
      const res = await browser(app, olivia).post("/start", { intent: "submit", title: " ", "maker-name-0": "" });
      expect(res.status).toBe(400);
      const page = await html(res);
      expect(errorBeside(page, "title")).toBe("Enter a title");
      expect(errorBeside(page, "makers")).toBe(
        "Name at least one decision maker: the person or body who can make this happen",
      );
      expect(page).toContain('<a href="#maker-name-0">Name at least one decision maker');
    }
    expect(await petitionCount()).toBe(before);
  });

  test("who presses Save draft, or whose browser saves by itself, with nothing typed makes no draft", async () => {
    const before = await petitionCount();
    const save = await browser(app, olivia).post("/start", { intent: "save", summary: "   " });
    expect(save.status).toBe(400);
    expect(errorBeside(await html(save), "title")).toBe(
      "There is nothing to save yet. Start with a title, or any other part.",
    );
    // The browser's own save (a fetcher) of an empty form: nothing happens, and nothing is said to have.
    const autosave = await browser(app, olivia).post("/start.data", { intent: "autosave" });
    expect(autosave.status).toBe(200);
    expect(await autosave.text()).not.toContain("draftId");
    expect(await petitionCount()).toBe(before);
  });

  test("saves a draft with a goal still too small, and is told about the goal only on submitting", async () => {
    const res = await browser(app, olivia).post("/start", {
      intent: "save",
      title: "Mend the Eastfield bridge",
      goal: "5",
    });
    expect(res.status).toBe(302);
    const id = Number((res.headers.get("location") ?? "").split("/")[2]);
    expect(await petitionRow(id)).toMatchObject({ title: "Mend the Eastfield bridge", goal: 5, status: "draft" });

    const input = completePetition({ title: "Mend the Eastfield bridge", goal: "" });
    const submit = await browser(app, olivia).post(`/organize/${id}/edit`, {
      ...petitionFields(input, "submit"),
      goal: "5",
    });
    expect(submit.status).toBe(400);
    expect(errorBeside(await html(submit), "goal")).toBe(
      "A goal must be at least 10, or leave it empty for automatic goals",
    );
    expect((await petitionRow(id)).status).toBe("draft");
  });
});

describe("a campaign whose text starts with the page's own heading", () => {
  test("an organizer is told the page adds the heading, and one who writes it anyway sees it once", async () => {
    const form = withoutTextSeparators(await html(await browser(app, olivia).get("/start")));
    expect(form).toContain(
      "The campaign page shows it under the heading “Why this matters”, so begin with your first paragraph.",
    );

    const body =
      "## Why this matters:\n\nThe bridge has been closed for two winters, and the detour adds an hour to the school run.";
    const p = await makePetition(app, { state: "open", owner: olivia, input: completePetition({ body }) });
    const page = await html(await publicPage(p.slug));
    expect(page.match(/<h2[^>]*>Why this matters:?<\/h2>/gi)).toEqual(["<h2>Why this matters</h2>"]);
    expect(page).toContain("<p>The bridge has been closed for two winters");

    // Any other opening heading is the organizer's own, and stays.
    const other = await makePetition(app, {
      state: "open",
      owner: olivia,
      input: completePetition({ body: `## What we ask\n\n${body.split("\n\n")[1]}` }),
    });
    expect(await html(await publicPage(other.slug))).toContain("<h2>What we ask</h2>");
  });
});

describe("a moderator turns petitions down", () => {
  test("a moderator rejects a petition with a reason: its page says why, it is not listed, and the organizer is told", async () => {
    const p = await makePetition(app, { state: "in_review", owner: olivia });
    const res = await browser(app, mo).post(`/moderate/${p.id}`, {
      intent: "reject",
      reason: "wrong_target",
      note: "The council does not run the railways.",
    });
    expect(res.status).toBe(302);

    const stored = await petitionRow(p.id);
    expect(stored).toMatchObject({
      status: "rejected",
      rejection_reason: "wrong_target",
      rejection_note: "The council does not run the railways.",
    });
    expect(stored.slug).not.toMatch(/^draft-/);
    const page = await publicPage(stored.slug);
    expect(page.status).toBe(200);
    const text = withoutTextSeparators(await html(page));
    expect(text).toContain("This petition was rejected");
    expect(text).toContain("The reason: The decision maker named cannot do what it asks.");
    expect(text).toContain("The council does not run the railways.");
    expect(text).not.toContain('name="email"'); // no signing form
    expect(await homePage()).not.toContain(p.title);

    const mail = await smtp.waitFor(olivia.email, subjectIs(`Your petition was not published: ${p.title}`));
    expect(mail.text).toContain("The reason: The decision maker named cannot do what it asks.");
    expect(mail.text).toContain("Their note: The council does not run the railways.");
    const [entry] = (await auditOf(p.id)).filter((e) => e.action === "petition.reject");
    expect(entry.actor_id).toBe(mo.id);
    expect(JSON.parse(entry.details ?? "{}")).toEqual({
      reason: "wrong_target",
      note: "The council does not run the railways.",
      hidden: false,
    });
  });

  test("a moderator rejects and hides a petition: it has no public page at all", async () => {
    const p = await makePetition(app, { state: "in_review", owner: olivia });
    const res = await browser(app, mo).post(`/moderate/${p.id}`, {
      intent: "reject",
      reason: "offensive",
      hide: "yes",
    });
    expect(res.status).toBe(302);
    const stored = await petitionRow(p.id);
    expect(stored.status).toBe("hidden");
    expect((await publicPage(stored.slug)).status).toBe(404);
    expect(await homePage()).not.toContain(p.title);
    await smtp.waitFor(olivia.email, subjectIs(`Your petition was not published: ${p.title}`));
  });

  test("a moderator takes down an open petition: its page is gone and the organizer is told", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    expect((await publicPage(p.slug)).status).toBe(200);
    expect(await homePage()).toContain(p.title);

    const res = await browser(app, mo).post(`/moderate/${p.id}`, {
      intent: "hide",
      note: "Reported as a duplicate of an older campaign.",
    });
    expect(res.status).toBe(302);
    expect((await petitionRow(p.id)).status).toBe("hidden");
    expect((await publicPage(p.slug)).status).toBe(404);
    expect(await homePage()).not.toContain(p.title);
    const mail = await smtp.waitFor(olivia.email, subjectIs(`Your petition has been taken down: ${p.title}`));
    expect(mail.text).toContain("Their note: Reported as a duplicate of an older campaign.");
  });

  test("a moderator who sends a rejection without a reason is asked for one, and nothing changes", async () => {
    const p = await makePetition(app, { state: "in_review", owner: olivia });
    const res = await browser(app, mo).post(`/moderate/${p.id}`, { intent: "reject", note: "No." });
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(errorBeside(page, "reason")).toBe("Choose a reason for rejecting it");
    // The note they wrote is kept.
    expect(valueOf(page, "note")).toBe("No.");
    expect((await petitionRow(p.id)).status).toBe("in_review");
  });
});

describe("an organizer runs a published petition", () => {
  test("an organizer edits the text after publication; the title and decision makers stay as people signed them", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const before = await petitionRow(p.id);
    const makersBefore = await makersOf(p.id);

    const page = await html(await browser(app, olivia).get(`/organize/${p.id}/edit`));
    expect(page).toContain("<h1>Edit the text</h1>");
    expect(valueOf(page, "title")).toBeUndefined();

    const res = await browser(app, olivia).post(`/organize/${p.id}/edit`, {
      intent: "save",
      title: "Close the Riverside Library for good",
      "maker-name-0": "Somebody Else Entirely",
      "maker-role-0": "Nobody",
      summary: "Updated: the council meets on 3 March, so sign before then.",
      body: "The Riverside Library is the only warm, quiet place in the ward on a Sunday, and the council meets on 3 March.",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${p.id}?edited=1`);

    const after = await petitionRow(p.id);
    expect(after.title).toBe(before.title);
    expect(after.slug).toBe(before.slug);
    expect(await makersOf(p.id)).toEqual(makersBefore);
    expect(after.summary).toBe("Updated: the council meets on 3 March, so sign before then.");
    expect(after.body_markdown).toContain("the council meets on 3 March");
    expect(after.edited_at).not.toBeNull();

    const publicHtml = withoutTextSeparators(await html(await publicPage(p.slug)));
    expect(publicHtml).toContain("Updated: the council meets on 3 March, so sign before then.");
    // The page says that it was edited, and when.
    expect(publicHtml.toLowerCase()).toContain(`edited on ${formatDate(after.edited_at!)}`.toLowerCase());
    expect(publicHtml).not.toContain("Somebody Else Entirely");
    expect((await auditOf(p.id)).map((e) => e.action)).toContain("petition.edit_text");
  });

  test("an organizer who empties the summary of a published petition is told beside it, and nothing changes", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const before = await petitionRow(p.id);
    const res = await browser(app, olivia).post(`/organize/${p.id}/edit`, {
      intent: "save",
      summary: "Short",
      body: "Too short as well",
    });
    expect(res.status).toBe(400);
    const page = await html(res);
    expect(errorBeside(page, "summary")).toBe("One-line summary must be at least 20 characters");
    expect(errorBeside(page, "body")).toBe("The text must be at least 50 characters");
    expect(valueOf(page, "summary")).toBe("Short");
    expect(valueOf(page, "body")).toBe("Too short as well");
    expect(await petitionRow(p.id)).toEqual(before);
  });

  test("an organizer cannot change a petition while a moderator is reviewing it", async () => {
    const p = await makePetition(app, { state: "in_review", owner: olivia });
    const before = await petitionRow(p.id);
    const page = await html(await browser(app, olivia).get(`/organize/${p.id}/edit`));
    expect(page).toContain("It is waiting for a moderator.");
    const res = await browser(app, olivia).post(`/organize/${p.id}/edit`, {
      ...petitionFields(completePetition(), "save"),
      summary: "Changed while in review, which should not be possible.",
    });
    expect(res.status).toBe(409);
    expect(await petitionRow(p.id)).toEqual(before);
  });

  test("an organizer closes their petition early: it stops taking signatures and they are told", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const res = await browser(app, olivia).post(`/organize/${p.id}/manage`, { intent: "close", confirm: "yes" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${p.id}?closed=1`);
    const stored = await petitionRow(p.id);
    expect(stored.status).toBe("closed");
    expect(stored.closed_at).not.toBeNull();

    const publicHtml = await html(await publicPage(p.slug));
    expect(publicHtml).toContain("This petition is closed");
    expect(publicHtml).not.toContain('id="sign-email"');
    await smtp.waitFor(olivia.email, subjectIs(`Your petition has closed: ${p.title}`));
  });

  test("an organizer extends the closing date once, and not a second time", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const opened = new Date((await petitionRow(p.id)).opened_at!);
    const newDate = isoDay(addMonths(opened, 9));

    const res = await browser(app, olivia).post(`/organize/${p.id}/manage`, { intent: "extend", closesOn: newDate });
    expect(res.status).toBe(200);
    expect(await html(res)).toContain("The closing date has been extended.");
    expect(await petitionRow(p.id)).toMatchObject({ closes_at: `${newDate}T23:59:59.000Z`, closing_extended: 1 });

    const again = await browser(app, olivia).post(`/organize/${p.id}/manage`, {
      intent: "extend",
      closesOn: isoDay(addMonths(opened, 10)),
    });
    expect(again.status).toBe(409);
    expect(await petitionRow(p.id)).toMatchObject({ closes_at: `${newDate}T23:59:59.000Z`, closing_extended: 1 });
  });

  test("an organizer cannot extend past twelve months from opening, nor to an earlier date", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const before = await petitionRow(p.id);
    const opened = new Date(before.opened_at!);
    for (const closesOn of [
      isoDay(new Date(addMonths(opened, 12).getTime() + 2 * DAY)),
      isoDay(addMonths(opened, 3)),
    ]) {
      const res = await browser(app, olivia).post(`/organize/${p.id}/manage`, { intent: "extend", closesOn });
      expect(res.status).toBe(400);
      const page = await html(res);
      expect(errorBeside(page, "closesOn")).toBe(
        "Choose a date after the current closing date, within twelve months of opening",
      );
      expect(valueOf(page, "closesOn")).toBe(closesOn);
      expect(await petitionRow(p.id)).toEqual(before);
    }
  });

  test("an organizer declares victory: the page and the home page's recent victories say what was won", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const message = "The council voted to keep Sunday opening for five more years.";
    const res = await browser(app, olivia).post(`/organize/${p.id}/manage`, { intent: "victory", message });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${p.id}?victory=1`);
    const stored = await petitionRow(p.id);
    expect(stored).toMatchObject({ status: "victory", victory_message: message });
    expect(stored.victory_at).not.toBeNull();

    const publicHtml = await html(await publicPage(p.slug));
    expect(publicHtml).toContain("This campaign won");
    expect(publicHtml).toContain(message);
    const home = await homePage();
    const victories = home.slice(home.indexOf('<h2 id="victories">Recent victories</h2>'));
    expect(hasLink(victories, `/petitions/${p.slug}`, p.title)).toBe(true);
    expect(victories).toContain(message);
    await smtp.waitFor(olivia.email, subjectIs(`Victory declared: ${p.title}`));
  });

  test.each([
    [
      "closes without ticking the box",
      { intent: "close" },
      "confirm-close",
      "Tick the box to confirm that you want to close it",
      null,
    ],
    [
      "extends to something that is not a date",
      { intent: "extend", closesOn: "31/05/2027" },
      "closesOn",
      "Enter the new closing date as a date, like 2027-05-31",
      "31/05/2027",
    ],
    [
      "declares victory without saying what was won",
      { intent: "victory", message: "   " },
      "message",
      "Tell signers what was won",
      null,
    ],
    [
      "invites an address that is not one",
      { intent: "invite", email: "cora-at-example.org" },
      "email",
      "Enter an email address like name@example.org",
      "cora-at-example.org",
    ],
  ])(
    "an organizer who %s is told beside the field, and nothing changes",
    async (_what, fields, fieldId, message, kept) => {
      const p = await makePetition(app, { state: "open", owner: olivia });
      const before = await petitionRow(p.id);
      const invitationsBefore = await app.db
        .selectFrom("organizer_invitations")
        .select("id")
        .where("petition_id", "=", p.id)
        .execute();

      const res = await browser(app, olivia).post(`/organize/${p.id}/manage`, fields as Record<string, string>);
      expect(res.status).toBe(400);
      const page = await html(res);
      expect(errorBeside(page, fieldId)).toBe(message);
      if (kept !== null) expect(valueOf(page, fieldId)).toBe(kept);
      expect(await petitionRow(p.id)).toEqual(before);
      expect(
        await app.db.selectFrom("organizer_invitations").select("id").where("petition_id", "=", p.id).execute(),
      ).toEqual(invitationsBefore);
    },
  );
});

describe("an organizer brings in a co-organizer", () => {
  test("the owner invites Cora by email; only Cora, signed in with that address, can accept, and then she edits the text", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const invited = await browser(app, olivia).post(`/organize/${p.id}/manage`, {
      intent: "invite",
      email: "Cora@Example.org",
    });
    expect(invited.status).toBe(200);
    expect(await html(invited)).toContain('Invitation sent to <span translate="no">Cora@Example.org</span>.');

    const mail = await smtp.waitFor("cora@example.org", subjectIs(`You are invited to help organize: ${p.title}`));
    expect(mail.text).toContain("olivia@example.org invited you");
    const link = mail.text?.match(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/)?.[0];
    expect(link).toBeDefined();
    const path = new URL(link!).pathname;
    const organizers = () =>
      app.db
        .selectFrom("petition_organizers")
        .select(["user_id", "role"])
        .where("petition_id", "=", p.id)
        .orderBy("created_at")
        .execute();

    // Someone else who got hold of the link cannot use it.
    const mallory = await signedIn(app, "mallory@example.org");
    const wrongPage = await html(await browser(app, mallory).get(path));
    expect(wrongPage).toContain("This invitation was sent to a different email address");
    expect(wrongPage).not.toContain("Accept the invitation");
    expect((await browser(app, mallory).post(path)).status).toBe(403);
    expect(await organizers()).toEqual([{ user_id: olivia.id, role: "owner" }]);

    // Cora is not signed in: the link sends her to sign in and brings her back.
    const anonymous = await browser(app).get(path);
    expect(anonymous.status).toBe(302);
    const signInPath = anonymous.headers.get("location")!;
    expect(signInPath).toBe(`/sign-in?redirectTo=${encodeURIComponent(path)}`);
    const form = await html(await browser(app).get(signInPath));
    expect(form).toContain(`<input type="hidden" name="redirectTo" value="${path}"/>`);
    expect((await browser(app).post("/sign-in", { email: "cora@example.org", redirectTo: path })).status).toBe(302);
    const signInMail = await smtp.waitFor("cora@example.org", subjectIs("Your sign-in link for Undersigned"));
    const signInLink = signInMail.text?.match(/https?:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43}/)?.[0];
    const signedInRes = await browser(app).post(new URL(signInLink!).pathname);
    expect(signedInRes.status).toBe(302);
    expect(signedInRes.headers.get("location")).toBe(path);
    const cora = { cookie: (signedInRes.headers.get("set-cookie") ?? "").split(";")[0] };

    expect(await html(await browser(app, cora).get(path))).toContain("Accept the invitation");
    const accepted = await browser(app, cora).post(path);
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe(`/organize/${p.id}`);
    const coraUser = await app.db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "cora@example.org")
      .executeTakeFirstOrThrow();
    expect(await organizers()).toEqual([
      { user_id: olivia.id, role: "owner" },
      { user_id: coraUser.id, role: "co_organizer" },
    ]);
    expect((await auditOf(p.id)).map((e) => [e.action, e.actor_id])).toContainEqual(["organizer.accept", coraUser.id]);

    // The link is used up.
    expect((await browser(app, cora).post(path)).status).toBe(410);
    expect(await html(await browser(app, cora).get("/account"))).toContain("(co-organizer)");

    const edited = await browser(app, cora).post(`/organize/${p.id}/edit`, {
      intent: "save",
      summary: "Cora here: we have a meeting with the council on Friday.",
      body: "The Riverside Library is the only warm, quiet place in the ward on a Sunday. We meet the council on Friday.",
    });
    expect(edited.status).toBe(302);
    expect((await petitionRow(p.id)).summary).toBe("Cora here: we have a meeting with the council on Friday.");
  });
});

describe("a small site without moderation", () => {
  test("an organizer's petition goes live as soon as it is submitted", async () => {
    const open = await startTestApp({ smtpUrl: smtp.url, env: { MODERATION: "off" } });
    try {
      const owen = await signedIn(open, "owen@example.org");
      const input = completePetition({ title: "Reopen the Eastfield lido this summer" });
      const res = await browser(open, owen).post("/start", petitionFields(input, "submit"));
      expect(res.status).toBe(302);
      const id = Number((res.headers.get("location") ?? "").match(/^\/organize\/(\d+)\?published=1$/)?.[1]);
      expect(id).toBeGreaterThan(0);

      const stored = await petitionRow(id, open.db);
      expect(stored.status).toBe("open");
      expect(stored.slug).toBe("reopen-the-eastfield-lido-this-summer");
      expect(stored.opened_at).not.toBeNull();
      expect((await browser(open).get(`/petitions/${stored.slug}`)).status).toBe(200);
      await smtp.waitFor("owen@example.org", subjectIs(`Your petition is live: ${input.title}`));
      const log = await auditOf(id, open.db);
      expect(log.map((e) => e.action)).toEqual(["petition.create", "petition.submit", "petition.publish"]);
      expect(JSON.parse(log[2].details ?? "{}")).toEqual({ moderation: "off" });
    } finally {
      await open.stop();
    }
  });
});

describe("petitions close on their date", () => {
  test("a petition whose closing date has passed is closed, and every organizer is told", async () => {
    const cora = await signedIn(app, "cora.closing@example.org");
    const due = await makePetition(app, {
      state: "open",
      owner: olivia,
      coOrganizer: cora,
      input: completePetition({ closesOn: isoDay(new Date(Date.now() + DAY)) }),
    });
    const later = await makePetition(app, { state: "open", owner: olivia });
    const closesAt = (await petitionRow(due.id)).closes_at!;
    const site = { appUrl: app.config.appUrl };

    expect(await closeDuePetitions(app.db, site, new Date(Date.parse(closesAt) - 1000))).toBe(0);
    expect((await petitionRow(due.id)).status).toBe("open");

    const at = new Date(Date.parse(closesAt) + 1000);
    expect(await closeDuePetitions(app.db, site, at)).toBe(1);
    expect(await petitionRow(due.id)).toMatchObject({ status: "closed", closed_at: at.toISOString() });
    expect((await petitionRow(later.id)).status).toBe("open");
    // The mail worker, on the same clock, sends what the closing put in the outbox.
    await app.worker!.runOnce(at);
    const subject = `Your petition has closed: ${due.title}`;
    await smtp.waitFor(olivia.email, subjectIs(subject));
    await smtp.waitFor(cora.email, subjectIs(subject));
    const [entry] = (await auditOf(due.id)).filter((e) => e.action === "petition.close");
    expect(entry.actor_id).toBeNull();
  });
});
