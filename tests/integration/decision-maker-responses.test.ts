/**
 * Decision makers respond: the private link (a page with a button; opened only when pressed), writing,
 * previewing and publishing a response, which the campaign page, its own page and the feed show and each
 * subscriber gets by email once; who may publish as a decision maker (only their link, only for its
 * petition and person; a revoked link answers as an unknown one); organizers recording a response;
 * moderators hiding one; the status lists and the API read; and retention.
 */
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addMonths } from "../../app/schemas/petition.server";
import { deliverNow } from "../../app/models/deliveries.server";
import { hidePetition } from "../../app/models/moderation.server";
import {
  awaitingResponse,
  hasResponded,
  responseStatus,
  responseStatuses,
} from "../../app/models/response-lists.server";
import { runRetention } from "../../app/models/retention.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { errorBeside, valueOf, withoutTextSeparators } from "../helpers/html";
import { browser, completePetition, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { respondTokenIn, seedSigners } from "../helpers/signers";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp";
import { withoutNonces } from "../helpers/signing";

let smtp: TestSmtpServer;
let app: TestApp;
let olivia: Person; // owns the petition
let colin: Person; // co-organizes it
let oscar: Person; // organizes another petition
let mo: Person; // a moderator
let petition: MadePetition;
let others: MadePetition; // Oscar's
let homeSecretary: number;
let primeMinister: number;
let homeToken: string;
let primeToken: string;
let oscarsToken: string;

const HOME = "home.secretary@gov.example.org";
const PRIME = "prime.minister@gov.example.org";

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  olivia = await signedIn(app, "olivia@example.org");
  colin = await signedIn(app, "colin@example.org");
  oscar = await signedIn(app, "oscar@example.org");
  mo = await signedIn(app, "mo@example.org", ["moderator"]);
  petition = await makePetition(app, {
    state: "open",
    owner: olivia,
    coOrganizer: colin,
    input: {
      ...completePetition(),
      decisionMakers: [
        { name: "The Home Secretary", role: "Home Office" },
        { name: "The Prime Minister", role: "" },
      ],
    },
  });
  others = await makePetition(app, { state: "open", owner: oscar });
  await seedSigners(app.db, petition.id, 3, { prefix: "subscriber", consent: true });
  await seedSigners(app.db, petition.id, 1, { prefix: "quiet", consent: false });
  [homeSecretary, primeMinister] = await makerIds(petition.id);
  homeToken = await deliver(petition.id, homeSecretary, olivia, HOME);
  primeToken = await deliver(petition.id, primeMinister, olivia, PRIME);
  oscarsToken = await deliver(others.id, (await makerIds(others.id))[0], oscar, "council@example.org");
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

async function makerIds(petitionId: number): Promise<number[]> {
  const rows = await app.db
    .selectFrom("decision_makers")
    .select("id")
    .where("petition_id", "=", petitionId)
    .orderBy("position")
    .execute();
  return rows.map((r) => r.id);
}

/** Gives a decision maker an address and delivers the petition by hand; returns the link's token from the email. */
async function deliver(petitionId: number, makerId: number, by: Person, address: string): Promise<string> {
  await app.db
    .updateTable("decision_makers")
    .set({ contact_email: address, deliver_at: "manual" })
    .where("id", "=", makerId)
    .execute();
  const result = await deliverNow(app.db, { petitionId, makerId, userId: by.id, site: { appUrl: app.config.appUrl } });
  expect(result.kind).toBe("delivered");
  const row = await app.db
    .selectFrom("outbox")
    .select("text")
    .where("to_address", "=", address)
    .where("kind", "=", "petition-delivery")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return respondTokenIn(row.text);
}

const open = (token: string) => browser(app).post(`/respond/${token}`, { intent: "open" });
const page = async (res: Response) => withoutTextSeparators(await res.text());
const formKeyIn = (html: string) => html.match(/name="formKey" value="([A-Za-z0-9_-]{43})"/)?.[1] ?? "";

async function responsesOf(makerId: number) {
  return app.db.selectFrom("responses").selectAll().where("decision_maker_id", "=", makerId).orderBy("id").execute();
}

/** A fresh form key, as the page hands out. */
async function freshKey(token: string): Promise<string> {
  const key = formKeyIn(await (await browser(app).get(`/respond/${token}`)).text());
  expect(key).toHaveLength(43);
  return key;
}

const isResponseMail = (m: ReceivedMail) => (m.subject ?? "").startsWith("Response from");

describe("a decision maker opens their link", () => {
  test("opening it shows a page with a button and counts for nothing; only the press counts as opened", async () => {
    const res = await browser(app).get(`/respond/${homeToken}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await page(res);
    expect(html).toContain('<meta name="referrer" content="same-origin"/>');
    expect(html).toContain("Open the page to read and respond");
    expect(html).not.toContain("Your name, as it should appear");
    const delivery = () =>
      app.db
        .selectFrom("deliveries")
        .select("opened_at")
        .where("decision_maker_id", "=", homeSecretary)
        .executeTakeFirstOrThrow();
    expect((await delivery()).opened_at).toBeNull();
    // The printed petition opens too, and does not count either.
    const printed = await page(await browser(app).get(`/respond/${homeToken}/petition`));
    expect(printed).toContain(`<h1 lang="en">${petition.title}</h1>`);
    expect(printed).toContain("Signed by <strong>4</strong> people");
    expect((await delivery()).opened_at).toBeNull();

    const pressed = await open(homeToken);
    expect(pressed.status).toBe(302);
    expect(pressed.headers.get("location")).toBe(`/respond/${homeToken}`);
    expect((await delivery()).opened_at).not.toBeNull();
    const form = await (await browser(app).get(`/respond/${homeToken}`)).text();
    expect(valueOf(form, "response-name")).toBe("The Home Secretary");
    expect(valueOf(form, "response-title")).toBe("Home Office");

    const organizers = await page(await browser(app, olivia).get(`/organize/${petition.id}/decision-makers`));
    expect(organizers).toContain("Not yet"); // the Prime Minister's
    expect(organizers.match(/<td>Not yet/g)).toHaveLength(1);
  });
});

describe("a decision maker writes, previews and publishes a response", () => {
  test("bad answers get a 400 naming the problem beside its field, with the text kept, and nothing is published", async () => {
    const formKey = await freshKey(homeToken);
    const long = "x".repeat(20_001);
    const cases: [Record<string, string>, string, string][] = [
      [
        { intent: "publish", name: "", title: "", body: "We agree.", formKey },
        "response-name",
        "Enter the name the response is signed with",
      ],
      [
        { intent: "publish", name: "J", title: "", body: "We agree.", formKey },
        "response-name",
        "The name must be at least 2 characters",
      ],
      [{ intent: "preview", name: "Jane Doe", title: "", body: "   ", formKey }, "response-body", "Write the response"],
      [
        { intent: "preview", name: "Jane Doe", title: "", body: long, formKey },
        "response-body",
        "Keep the response to 20,000 characters",
      ],
      [
        { intent: "preview", name: "Jane Doe", title: "t".repeat(161), body: "We agree.", formKey },
        "response-title",
        "Keep the title to 160 characters",
      ],
      [
        { intent: "publish", name: "Jane Doe", title: "", body: "We agree.", formKey: "" },
        "response-body",
        "This form has expired. Reload the page and try again",
      ],
      [
        { intent: "shout", name: "Jane Doe", title: "", body: "We agree.", formKey },
        "response-body",
        "Choose Preview or Publish",
      ],
    ];
    for (const [fields, field, message] of cases) {
      const res = await browser(app).post(`/respond/${homeToken}`, fields);
      expect(res.status, JSON.stringify(fields).slice(0, 100)).toBe(400);
      const html = await res.text();
      expect(errorBeside(html, field), JSON.stringify(fields).slice(0, 100)).toBe(message);
      expect(valueOf(html, "response-body")).toBe(fields.body);
      expect(valueOf(html, "response-name")).toBe(fields.name);
    }
    expect(await responsesOf(homeSecretary)).toEqual([]);
  });

  test("the preview shows it as the public will read it; publishing sends what was previewed, once however often the form comes", async () => {
    const formKey = await freshKey(homeToken);
    const text = {
      name: "Rt Hon Jane Doe",
      title: "Home Secretary",
      body: "Thank you for this petition.\n\nWe will **pilot the Merseyside model** in three more forces from April.",
    };
    const preview = await browser(app).post(`/respond/${homeToken}`, { intent: "preview", ...text, formKey });
    expect(preview.status).toBe(200);
    const previewed = await page(preview);
    expect(previewed).toContain('<h2 id="preview-heading">Preview</h2>');
    expect(previewed).toContain("Response from Rt Hon Jane Doe, Home Secretary");
    expect(previewed).toContain("<strong>pilot the Merseyside model</strong>");
    expect(previewed).toContain("Publish the response</button>");
    expect(await responsesOf(homeSecretary)).toEqual([]);

    const published = await browser(app).post(`/respond/${homeToken}`, { intent: "publish", ...text, formKey });
    expect(published.status).toBe(302);
    expect(published.headers.get("location")).toBe(`/respond/${homeToken}?published=1&to=3`);
    // A second press, or the browser sending the form again: nothing more is published or emailed.
    const again = await browser(app).post(`/respond/${homeToken}`, { intent: "publish", ...text, formKey });
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe(`/respond/${homeToken}?published=1`);
    const [response, ...more] = await responsesOf(homeSecretary);
    expect(more).toEqual([]);
    expect(response).toMatchObject({
      source: "decision_maker",
      name: text.name,
      title: text.title,
      petition_id: petition.id,
      responded_on: new Date().toISOString().slice(0, 10),
      hidden_at: null,
    });
    expect(response.update_id).not.toBeNull();

    const after = await page(await browser(app).get(`/respond/${homeToken}?published=1&to=3`));
    expect(after).toContain(
      "Your response is published on the petition’s page, and it is being emailed to the 3 signers who asked for updates.",
    );
    expect(after).toContain("Your responses so far");

    // Each subscriber gets it once, with their own one-click unsubscribe link; the signer who did not ask gets nothing.
    for (const n of [1, 2, 3]) {
      const mail = await smtp.waitFor(`subscriber-${n}@example.org`, isResponseMail);
      expect(mail.subject).toBe(`Response from Rt Hon Jane Doe, Home Secretary (${petition.title})`);
      expect(mail.text).toContain("We will pilot the Merseyside model in three more forces from April.");
      expect(mail.text).toContain(`${app.url}/petitions/${petition.slug}/responses/${response.id}`);
      const unsubscribe = mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
      expect(unsubscribe).toMatch(/\/unsubscribe\/p\d+\./);
    }
    await settled(response.update_id!);
    for (const n of [1, 2, 3]) expect(smtp.to(`subscriber-${n}@example.org`).filter(isResponseMail)).toHaveLength(1);
    expect(smtp.to("quiet-1@example.org")).toEqual([]);

    // The organizers are told.
    for (const who of [olivia, colin]) {
      const told = await smtp.waitFor(
        who.email,
        (m) => m.subject === `The Home Secretary responded to your petition: ${petition.title}`,
      );
      expect(told.text).toContain("It is being emailed to the 3 signers who asked for updates.");
    }
  });

  test("the campaign page shows it first with where each decision maker stands, and so do its own page and the feed", async () => {
    const [response] = await responsesOf(homeSecretary);
    const campaign = await page(await browser(app).get(`/petitions/${petition.slug}`));
    expect(campaign).toContain('<strong translate="no">The Home Secretary</strong> responded on');
    expect(campaign).toMatch(
      /<strong translate="no">The Prime Minister<\/strong> has not responded: waiting since \d+ \w+ \d{4}/,
    );
    expect(campaign).toContain("Response from Rt Hon Jane Doe, Home Secretary</h3>");
    expect(campaign.indexOf("Response from Rt Hon Jane Doe")).toBeLessThan(campaign.indexOf("Why this matters"));
    // Not listed again among the updates.
    expect(campaign).not.toContain(`/updates/${response.update_id}"`);

    const own = await browser(app).get(`/petitions/${petition.slug}/responses/${response.id}`);
    expect(own.status).toBe(200);
    expect(await page(own)).toContain("Response from Rt Hon Jane Doe, Home Secretary</h1>");
    // The update that emailed it leads to the response.
    const asUpdate = await browser(app).get(`/petitions/${petition.slug}/updates/${response.update_id}`);
    expect(asUpdate.status).toBe(302);
    expect(asUpdate.headers.get("location")).toBe(`/petitions/${petition.slug}/responses/${response.id}`);
    // Another petition's address does not show it.
    expect((await browser(app).get(`/petitions/${others.slug}/responses/${response.id}`)).status).toBe(404);

    const feed = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === "entry" }).parse(
      await (await browser(app).get(`/petitions/${petition.slug}/updates.atom`)).text(),
    ).feed;
    expect(feed.entry).toHaveLength(1);
    expect(feed.entry[0].title["#text"]).toBe("Response from Rt Hon Jane Doe, Home Secretary");
    expect(feed.entry[0].author.name).toBe("Rt Hon Jane Doe");

    const status = await responseStatus(app.db, petition.id);
    expect(status).toEqual({
      state: "responded",
      firstRespondedOn: response.responded_on,
      lastRespondedOn: response.responded_on,
    });
  });

  test("a second response within the update interval is published but not emailed, and the page and the organizers say why", async () => {
    const updatesBefore = await app.db
      .selectFrom("updates")
      .select("id")
      .where("petition_id", "=", petition.id)
      .execute();
    const formKey = await freshKey(homeToken);
    const res = await browser(app).post(`/respond/${homeToken}`, {
      intent: "publish",
      name: "Rt Hon Jane Doe",
      title: "Home Secretary",
      body: "A correction: the pilot starts in May.",
      formKey,
    });
    expect(res.headers.get("location")).toBe(`/respond/${homeToken}?published=1&to=none`);
    expect(await responsesOf(homeSecretary)).toHaveLength(2);
    expect((await responsesOf(homeSecretary))[1].update_id).toBeNull();
    expect(await app.db.selectFrom("updates").select("id").where("petition_id", "=", petition.id).execute()).toEqual(
      updatesBefore,
    );
    const shown = await page(await browser(app).get(res.headers.get("location")!));
    expect(shown).toContain("It was not emailed to the signers: they get at most one response from you in 3 days");
    const told = await smtp.waitFor(
      olivia.email,
      (m) => (m.text ?? "").includes("the pilot starts in May") || (m.text ?? "").includes("It was not emailed"),
    );
    expect(told.text).toContain(
      "It was not emailed to the signers: a response from this decision maker was emailed on",
    );
  });
});

/** Waits until every email of the update has been sent (none waiting or being sent). */
async function settled(updateId: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const u = await app.db
      .selectFrom("updates")
      .select("email_status")
      .where("id", "=", updateId)
      .executeTakeFirstOrThrow();
    const waiting = await app.db
      .selectFrom("outbox")
      .select("id")
      .where("update_id", "=", updateId)
      .where("status", "in", ["pending", "sending"])
      .execute();
    if (u.email_status === "sending" && waiting.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`The update's emails did not settle (${u.email_status}, ${waiting.length} waiting)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("only a decision maker's own link publishes as them", () => {
  test("a link publishes as its own decision maker on its own petition, whatever the form claims", async () => {
    await open(primeToken);
    const formKey = await freshKey(primeToken);
    const res = await browser(app).post(`/respond/${primeToken}`, {
      intent: "publish",
      name: "The Prime Minister",
      title: "",
      body: "I have asked the Home Secretary to lead on this.",
      formKey,
      // Fields the form never has, naming someone else:
      makerId: String(homeSecretary),
      decisionMakerId: String(homeSecretary),
      petitionId: String(others.id),
      source: "organizer",
    });
    expect(res.status).toBe(302);
    const [mine] = await responsesOf(primeMinister);
    expect(mine).toMatchObject({
      petition_id: petition.id,
      source: "decision_maker",
      decision_maker_id: primeMinister,
    });
    expect(await responsesOf(homeSecretary)).toHaveLength(2);

    // Oscar's decision maker's link opens Oscar's petition, and nothing of Olivia's.
    await open(oscarsToken);
    const theirs = await page(await browser(app).get(`/respond/${oscarsToken}`));
    expect(theirs).toContain(others.title);
    expect(theirs).not.toContain(petition.title);
    expect(theirs).not.toContain("I have asked the Home Secretary");
    const printed = await page(await browser(app).get(`/respond/${oscarsToken}/petition`));
    expect(printed).toContain(others.title);
    expect(printed).not.toContain(petition.title);
  });

  test("a revoked link, a link of a petition taken down and an unknown one answer alike, to every request, and change nothing", async () => {
    const taken = await makePetition(app, { state: "open", owner: olivia });
    const takenToken = await deliver(taken.id, (await makerIds(taken.id))[0], olivia, "taken@example.org");
    await open(takenToken);
    await hidePetition(app.db, {
      petitionId: taken.id,
      moderatorId: mo.id,
      note: "",
      site: { appUrl: app.config.appUrl },
    });

    const revoke = await browser(app, olivia).post(`/organize/${petition.id}/decision-makers`, {
      intent: "revoke",
      makerId: String(primeMinister),
    });
    expect(revoke.status).toBe(302);
    const unknown = "U".repeat(43);
    const requests: [string, (token: string) => Promise<Response>][] = [
      ["opens the link", (t) => browser(app).get(`/respond/${t}`)],
      ["opens the printed petition", (t) => browser(app).get(`/respond/${t}/petition`)],
      ["presses the button", (t) => open(t)],
      [
        "previews",
        (t) =>
          browser(app).post(`/respond/${t}`, {
            intent: "preview",
            name: "X Y",
            title: "",
            body: "Hi",
            formKey: "k".repeat(43),
          }),
      ],
      [
        "publishes",
        (t) =>
          browser(app).post(`/respond/${t}`, {
            intent: "publish",
            name: "X Y",
            title: "",
            body: "Hi",
            formKey: "q".repeat(43),
          }),
      ],
      ["says it is not for them", (t) => browser(app).post(`/respond/${t}`, { intent: "not-for-me" })],
    ];
    const snapshot = async () => ({
      responses: await app.db.selectFrom("responses").selectAll().orderBy("id").execute(),
      deliveries: await app.db.selectFrom("deliveries").selectAll().orderBy("id").execute(),
      makers: await app.db.selectFrom("decision_makers").selectAll().orderBy("id").execute(),
      audit: await app.db.selectFrom("audit_log").select("id").orderBy("id").execute(),
    });
    const before = await snapshot();
    for (const [does, request] of requests) {
      const answers = [];
      for (const token of [unknown, primeToken, takenToken, "tooShort7"]) {
        const res = await request(token);
        answers.push({ status: res.status, body: withoutNonces(await res.text()).replaceAll(token, "TOKEN") });
      }
      expect(answers[0].status, does).toBe(404);
      for (const [i, what] of ["revoked", "taken down", "malformed"].entries()) {
        expect(answers[i + 1], `a ${what} link ${does}`).toEqual(answers[0]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  test("nobody else can publish as a decision maker: organizers and moderators have no way in, and what organizers record is marked as theirs", async () => {
    // The links are in the decision makers' emails alone: the organizers' pages never show them.
    const organizers = await page(await browser(app, olivia).get(`/organize/${petition.id}/decision-makers`));
    expect(organizers).not.toMatch(/\/respond\/[A-Za-z0-9_-]{43}/);
    for (const who of [olivia, mo]) {
      const res = await browser(app, who).post(`/respond/${"S".repeat(43)}`, {
        intent: "publish",
        name: "The Home Secretary",
        title: "",
        body: "Forged.",
        formKey: "f".repeat(43),
      });
      expect(res.status).toBe(404);
    }
    expect(
      (await app.db.selectFrom("responses").select("body_markdown").execute()).map((r) => r.body_markdown),
    ).not.toContain("Forged.");
  });
});

describe("an organizer records a response that arrived elsewhere", () => {
  const path = () => `/organize/${petition.id}/decision-makers/${primeMinister}/response`;

  test("bad answers get a 400 naming the problem beside its field, with everything typed kept", async () => {
    const html = await (await browser(app, olivia).get(path())).text();
    const formKey = formKeyIn(html);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const base = {
      intent: "record",
      name: "The Prime Minister",
      title: "",
      body: "We read it.",
      respondedOn: "2026-12-01",
      sourceUrl: "",
      formKey,
    };
    const cases: [Record<string, string>, string, string][] = [
      [{ ...base, respondedOn: "" }, "response-respondedOn", "Enter the date of the response"],
      [{ ...base, respondedOn: "1 March" }, "response-respondedOn", "Enter the date as a date, like 2027-03-03"],
      [{ ...base, respondedOn: tomorrow }, "response-respondedOn", "The date cannot be in the future"],
      [
        { ...base, sourceUrl: "javascript:alert(1)" },
        "response-sourceUrl",
        "Enter the link as a web address starting with https://",
      ],
      [
        { ...base, sourceUrl: "ftp://example.org/letter" },
        "response-sourceUrl",
        "Enter the link as a web address starting with https://",
      ],
      [{ ...base, body: "" }, "response-body", "Write the response"],
      [{ ...base, intent: "publish" }, "response-body", "Choose Preview or Record"],
    ];
    for (const [fields, field, message] of cases) {
      const res = await browser(app, olivia).post(path(), fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const body = await res.text();
      expect(errorBeside(body, field), JSON.stringify(fields)).toBe(message);
      for (const kept of ["respondedOn", "sourceUrl", "body", "name"] as const) {
        expect(valueOf(body, `response-${kept}`)).toBe(fields[kept]);
      }
    }
    expect((await responsesOf(primeMinister)).filter((r) => r.source === "organizer")).toEqual([]);
  });

  test("the organizer previews and records it; the page marks it as recorded by the organizers, with its date and the original", async () => {
    const formKey = formKeyIn(await (await browser(app, olivia).get(path())).text());
    const fields = {
      name: "The Prime Minister",
      title: "10 Downing Street",
      body: "The Prime Minister's office wrote to us to say the matter is for the Home Office.",
      respondedOn: "2026-12-01",
      sourceUrl: "https://example.org/letters/2026-12-01.pdf",
      formKey,
    };
    const preview = await page(await browser(app, olivia).post(path(), { intent: "preview", ...fields }));
    expect(preview).toContain("Recorded by the organizers from a response they received elsewhere");
    const res = await browser(app, olivia).post(path(), { intent: "record", ...fields });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `/organize/${petition.id}/decision-makers?recorded=${primeMinister}#maker-${primeMinister}`,
    );
    const recorded = (await responsesOf(primeMinister)).find((r) => r.source === "organizer")!;
    expect(recorded).toMatchObject({
      recorded_by: olivia.id,
      responded_on: "2026-12-01",
      source_url: fields.sourceUrl,
      delivery_id: null,
    });
    const campaign = await page(await browser(app).get(`/petitions/${petition.slug}`));
    expect(campaign).toContain("Response from The Prime Minister, 10 Downing Street</h3>");
    expect(campaign).toContain(
      `Recorded by the organizers from a response they received elsewhere (<a href="${fields.sourceUrl}" rel="nofollow noopener noreferrer ugc">the original</a>)`,
    );
  });
});

describe("the person at a decision maker's address says it is not for them", () => {
  test("the address is removed, every link sent to it stops working, and the organizers are told", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const [makerId] = await makerIds(p.id);
    const token = await deliver(p.id, makerId, olivia, "wrong.person@example.org");
    const res = await browser(app).post(`/respond/${token}`, { intent: "not-for-me" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/respond/not-for-me");
    expect(await page(await browser(app).get("/respond/not-for-me"))).toContain(
      "The petition will not be sent to your address again",
    );
    const maker = await app.db
      .selectFrom("decision_makers")
      .selectAll()
      .where("id", "=", makerId)
      .executeTakeFirstOrThrow();
    expect(maker.contact_email).toBeNull();
    expect((await browser(app).get(`/respond/${token}`)).status).toBe(404);
    const told = await smtp.waitFor(olivia.email, (m) => (m.subject ?? "").startsWith("The address you gave for"));
    expect(told.text).toContain("said it is not for them");
  });
});

describe("a moderator hides an abusive response", () => {
  let quiet: TestApp; // no mail worker: the response's emails wait, so a hide can stop them
  beforeAll(async () => {
    quiet = await startTestApp({ smtpUrl: smtp.url, worker: false });
  });
  afterAll(async () => {
    await quiet?.stop();
  });

  test("with a reason: it leaves the page and the feed, its emails stop, the organizers and the decision maker are told, and it is audited", async () => {
    const owner = await signedIn(quiet, "owner-hide@example.org");
    const moderator = await signedIn(quiet, "mod-hide@example.org", ["moderator"]);
    const p = await makePetition(quiet, { state: "open", owner });
    await seedSigners(quiet.db, p.id, 2, { prefix: `hide-${p.id}`, consent: true });
    const [makerId] = (
      await quiet.db.selectFrom("decision_makers").select("id").where("petition_id", "=", p.id).execute()
    ).map((m) => m.id);
    await quiet.db
      .updateTable("decision_makers")
      .set({ contact_email: "abusive@example.org", deliver_at: "manual" })
      .where("id", "=", makerId)
      .execute();
    await deliverNow(quiet.db, { petitionId: p.id, makerId, userId: owner.id, site: { appUrl: quiet.config.appUrl } });
    const token = respondTokenIn(
      (
        await quiet.db
          .selectFrom("outbox")
          .select("text")
          .where("to_address", "=", "abusive@example.org")
          .executeTakeFirstOrThrow()
      ).text,
    );
    const html = await (await browser(quiet).get(`/respond/${token}`)).text();
    expect(html).toContain("Open the page");
    await browser(quiet).post(`/respond/${token}`, { intent: "open" });
    const formKey = formKeyIn(await (await browser(quiet).get(`/respond/${token}`)).text());
    await browser(quiet).post(`/respond/${token}`, {
      intent: "publish",
      name: "Councillor Grim",
      title: "",
      body: "Signers of this are idiots.",
      formKey,
    });
    const [response] = await quiet.db.selectFrom("responses").selectAll().where("petition_id", "=", p.id).execute();
    expect(response.update_id).not.toBeNull();

    // No reason: refused, with the problem named beside the box.
    const refused = await browser(quiet, moderator).post("/moderate/responses", {
      responseId: String(response.id),
      reason: " ",
    });
    expect(refused.status).toBe(400);
    expect(errorBeside(await refused.text(), `reason-${response.id}`)).toBe(
      "Say why the response is hidden: the organizers and the decision maker are told",
    );
    const reason = "It insults the signers.";
    const res = await browser(quiet, moderator).post("/moderate/responses", {
      responseId: String(response.id),
      reason,
    });
    expect(res.status).toBe(302);
    const hidden = await quiet.db
      .selectFrom("responses")
      .selectAll()
      .where("id", "=", response.id)
      .executeTakeFirstOrThrow();
    expect(hidden).toMatchObject({ hidden_by: moderator.id, hidden_reason: reason });
    const update = await quiet.db
      .selectFrom("updates")
      .selectAll()
      .where("id", "=", response.update_id!)
      .executeTakeFirstOrThrow();
    expect(update.email_status).toBe("stopped");
    expect(await quiet.db.selectFrom("outbox").select("id").where("update_id", "=", update.id).execute()).toEqual([]);

    const campaign = await page(await browser(quiet).get(`/petitions/${p.slug}`));
    expect(campaign).not.toContain("idiots");
    expect(campaign).toContain("was hidden by our moderators");
    expect(await (await browser(quiet).get(`/petitions/${p.slug}/updates.atom`)).text()).not.toContain("idiots");
    expect(await responseStatus(quiet.db, p.id)).toMatchObject({ state: "awaiting" });

    const audit = await quiet.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "response.hide")
      .where("petition_id", "=", p.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(moderator.id);
    expect(JSON.parse(audit.details!)).toEqual({ responseId: response.id, reason });
    const told = await quiet.db
      .selectFrom("outbox")
      .select(["kind", "to_address", "text"])
      .where("kind", "like", "response-hidden%")
      .execute();
    expect(told.map((t) => [t.kind, t.to_address]).sort()).toEqual([
      ["response-hidden", owner.email],
      ["response-hidden-to-maker", "abusive@example.org"],
    ]);
    for (const t of told) expect(t.text).toContain(reason);

    const twice = await browser(quiet, moderator).post("/moderate/responses", {
      responseId: String(response.id),
      reason,
    });
    expect(twice.status).toBe(409);
  });
});

describe("where a petition stands with its decision makers, for lists and the API", () => {
  test("never delivered, awaiting since the first delivery that went, or responded; a delivery whose email failed is not 'awaiting'", async () => {
    const none = await makePetition(app, { state: "open", owner: olivia });
    const failed = await makePetition(app, { state: "open", owner: olivia });
    const failedMaker = (await makerIds(failed.id))[0];
    // The SMTP server refuses the delivery for good; the worker records it as failed. Once the outbox is
    // idle, the next message the server sees is this one.
    const deadline = Date.now() + 15_000;
    const busy = () => app.db.selectFrom("outbox").select("id").where("status", "in", ["pending", "sending"]).execute();
    while ((await busy()).length > 0) {
      if (Date.now() > deadline) throw new Error("the outbox did not empty");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    smtp.refuseNext(1, 550);
    await deliver(failed.id, failedMaker, olivia, "bounces@example.org");
    const outcome = () =>
      app.db
        .selectFrom("outbox")
        .select("status")
        .where("to_address", "=", "bounces@example.org")
        .executeTakeFirstOrThrow();
    while ((await outcome()).status !== "failed") {
      if (Date.now() > deadline) throw new Error(`the refused delivery is ${(await outcome()).status}, not failed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const statuses = await responseStatuses(app.db, [none.id, failed.id, others.id, petition.id]);
    expect(statuses.get(none.id)).toEqual({ state: "none" });
    expect(statuses.get(failed.id)).toEqual({ state: "none" });
    const delivered = await app.db
      .selectFrom("deliveries")
      .select("created_at")
      .where("petition_id", "=", others.id)
      .executeTakeFirstOrThrow();
    expect(statuses.get(others.id)).toEqual({ state: "awaiting", since: delivered.created_at });
    expect(statuses.get(petition.id)).toMatchObject({ state: "responded", firstRespondedOn: "2026-12-01" });

    const ids = [none.id, failed.id, others.id, petition.id];
    const filtered = async (filter: typeof awaitingResponse) =>
      (
        await app.db.selectFrom("petitions").select("id").where("id", "in", ids).where(filter).orderBy("id").execute()
      ).map((r) => r.id);
    expect(await filtered(awaitingResponse)).toEqual([others.id]);
    expect(await filtered(hasResponded)).toEqual([petition.id]);
  });
});

describe("retention", () => {
  test("when a petition passes its retention time, its decision makers' addresses are forgotten and their links stop working", async () => {
    const old = await makePetition(app, { state: "closed", owner: olivia });
    const [makerId] = await makerIds(old.id);
    const token = await deliver(old.id, makerId, olivia, "long.ago@example.org");
    await open(token);
    expect((await browser(app).get(`/respond/${token}`)).status).toBe(200);
    await app.db
      .updateTable("petitions")
      .set({ closed_at: addMonths(new Date(), -7).toISOString() })
      .where("id", "=", old.id)
      .execute();

    const dry = await runRetention(app.db, { months: 6, dryRun: true });
    expect(dry.decisionMakerContacts).toBe(1);
    const report = await runRetention(app.db, { months: 6 });
    expect(report.decisionMakerContacts).toBe(1);
    const maker = await app.db
      .selectFrom("decision_makers")
      .selectAll()
      .where("id", "=", makerId)
      .executeTakeFirstOrThrow();
    expect(maker.contact_email).toBeNull();
    const [delivery] = await app.db
      .selectFrom("deliveries")
      .selectAll()
      .where("decision_maker_id", "=", makerId)
      .execute();
    expect(delivery.token_hash).toBeNull();
    expect((await browser(app).get(`/respond/${token}`)).status).toBe(404);
    // The petitions still within their time keep theirs.
    expect(
      (
        await app.db
          .selectFrom("decision_makers")
          .select("contact_email")
          .where("id", "=", homeSecretary)
          .executeTakeFirstOrThrow()
      ).contact_email,
    ).toBe(HOME);
  });
});
