/**
 * Updates (composing, publishing, and milestones): organizers
 * draft, preview, test and publish updates; the campaign page, the update's
 * own page and the Atom feed show them; subscribers get them by email through
 * the worker and a real SMTP server; moderators can stop one; organizers hear
 * when a goal is reached; subscribers hear of a victory once.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { throttleMessage } from "../../app/lib/update-throttle";
import { emailLanguage } from "../../app/lib/i18n.server";
import { createMailSender, MailWorker, workerOptions } from "../../app/mail/worker.server";
import { recountAll } from "../../app/models/counts.server";
import { foldCounts } from "../../app/services/counting.server";
import { confirm } from "../../app/services/signing.server";
import { queueUpdateBatch, updateProgress } from "../../app/models/update.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import type { NewSignature } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { outboxSettled } from "../helpers/outbox";
import { errorBeside, valueOf, withoutTextSeparators } from "../helpers/html";
import { browser, completePetition, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

const EN = emailLanguage("en");

let smtp: TestSmtpServer;
let app: TestApp;
let olivia: Person; // owns the petition
let colin: Person; // co-organizes it
let oscar: Person; // organizes a petition of his own, not this one
let mo: Person; // a moderator
let petition: MadePetition;

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  olivia = await signedIn(app, "olivia@example.org");
  colin = await signedIn(app, "colin@example.org");
  oscar = await signedIn(app, "oscar@example.org");
  mo = await signedIn(app, "mo@example.org", ["moderator"]);
  petition = await makePetition(app, { state: "open", owner: olivia, coOrganizer: colin });
  await makePetition(app, { state: "open", owner: oscar });
  await seedSigners(app, petition.id, 3, { prefix: "subscriber", consent: true });
  await seedSigners(app, petition.id, 2, { prefix: "quiet", consent: false });
  await seedSigners(app, petition.id, 1, { prefix: "unconfirmed", consent: true, status: "pending" });
  await seedSigners(app, petition.id, 1, { prefix: "held", consent: true, hold: "suspect" });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

let seeded = 0;

/**
 * Signatures written straight into the table (the signing journey has its own
 * tests), then counted as `npm run db:recount` would. Addresses are
 * `<prefix>-<n>@example.org`, numbered from 1.
 */
async function seedSigners(
  target: TestApp,
  petitionId: number,
  n: number,
  opts: {
    prefix: string;
    consent: boolean;
    status?: "confirmed" | "pending";
    hold?: "suspect" | null;
    tokenHash?: string;
  },
) {
  const now = new Date().toISOString();
  const rows: NewSignature[] = Array.from({ length: n }, (_, i) => {
    const email = `${opts.prefix}-${i + 1}@example.org`;
    seeded += 1;
    return {
      petition_id: petitionId,
      name: `Signer ${seeded}`,
      email,
      canonical_email: email,
      country: "GB",
      postcode: null,
      name_display: "hidden",
      updates_consent: opts.consent ? 1 : 0,
      consent_wording_version: UPDATES_CONSENT.version,
      status: opts.status ?? "confirmed",
      token_hash: opts.tokenHash ?? null,
      token_expires_at: opts.tokenHash ? expiresAt(new Date(), 14 * DAY_MS) : null,
      created_at: now,
      updated_at: now,
      confirmed_at: (opts.status ?? "confirmed") === "confirmed" ? now : null,
      hold: opts.hold ?? null,
      hold_reason: opts.hold ? "test" : null,
      invalidation_id: null,
      ip_hash: null,
      network_hash: null,
      email_domain: "example.org",
      manage_token_hash: null,
      manage_token_expires_at: null,
      anonymised_at: null,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await target.db
      .insertInto("signatures")
      .values(rows.slice(i, i + 500))
      .execute();
  await recountAll(target.db);
}

async function pageOf(res: Response): Promise<string> {
  return withoutTextSeparators(await res.text());
}

/** Waits until `check` passes, for things the worker does in its own time. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A header as it was written, unparsed. */
function headerOf(mail: ReceivedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name)?.line ?? "";
  return line.slice(line.indexOf(":") + 1).trim();
}

const updateRow = (id: number) =>
  app.db.selectFrom("updates").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
/**
 * Whether a received email is this update's: its subject is the update's title and then the campaign's. (Its
 * Message-ID is random, and says nothing about which update it carries.)
 */
async function fromUpdate(id: number, on: TestApp = app): Promise<(m: ReceivedMail) => boolean> {
  const u = await on.db
    .selectFrom("updates")
    .innerJoin("petitions", "petitions.id", "updates.petition_id")
    .select(["updates.title", "petitions.title as petitionTitle"])
    .where("updates.id", "=", id)
    .executeTakeFirstOrThrow();
  const subject = `${u.title} (${u.petitionTitle})`;
  return (m) => m.subject === subject;
}

describe("an organizer posts an update", () => {
  let updateId: number;
  const title = "We met the council";
  const body = [
    "Thank you all. We met the **cabinet member** on Tuesday.",
    "",
    "<script>alert('stolen')</script>",
    "",
    "Read [the minutes](https://example.org/minutes?a=1&b=2) or [this](javascript:alert(1)).",
  ].join("\n");

  test("an organizer opens the updates page from the dashboard and finds nothing yet", async () => {
    const dashboard = await pageOf(await browser(app, olivia).get(`/organize/${petition.id}`));
    expect(dashboard).toContain(`href="/organize/${petition.id}/updates"`);
    const list = await pageOf(await browser(app, olivia).get(`/organize/${petition.id}/updates`));
    expect(list).toContain("No updates yet.");
    expect(list).toContain(`href="/organize/${petition.id}/updates/new"`);
  });

  test("an organizer's mistakes are shown beside the fields, with what they typed kept", async () => {
    const empty = await browser(app, olivia).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title: "  ",
      body: "Half a thought",
    });
    expect(empty.status).toBe(400);
    const emptyPage = await pageOf(empty);
    expect(errorBeside(emptyPage, "title")).toBe("Give the update a title");
    expect(valueOf(emptyPage, "body")).toBe("Half a thought");

    const long = await browser(app, olivia).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title: "T".repeat(121),
      body: "B".repeat(20_001),
    });
    expect(long.status).toBe(400);
    const longPage = await pageOf(long);
    expect(errorBeside(longPage, "title")).toBe("Keep the title to 120 characters");
    expect(errorBeside(longPage, "body")).toBe("Keep the update to 20,000 characters");
    expect(valueOf(longPage, "title")).toBe("T".repeat(121));
    expect(await app.db.selectFrom("updates").select("id").where("petition_id", "=", petition.id).execute()).toEqual(
      [],
    );
  });

  test("an organizer saves a draft; nobody else hears of it", async () => {
    const res = await browser(app, olivia).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title,
      body,
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^/organize/${petition.id}/updates/\\d+\\?saved=1$`));
    updateId = Number(location.split("/")[4].split("?")[0]);
    expect(await updateRow(updateId)).toMatchObject({
      status: "draft",
      title,
      body_markdown: body,
      email_status: "none",
      created_by: olivia.id,
    });

    const campaign = await pageOf(await browser(app).get(`/petitions/${petition.slug}`));
    expect(campaign).not.toContain(title);
    expect((await browser(app).get(`/petitions/${petition.slug}/updates/${updateId}`)).status).toBe(404);
  });

  test("an organizer previews the draft as the page will show it and as the email will look, both sanitized", async () => {
    const page = await pageOf(await browser(app, olivia).get(`/organize/${petition.id}/updates/${updateId}?saved=1`));
    expect(page).toContain("The draft is saved.");
    expect(valueOf(page, "title")).toBe(title);
    expect(valueOf(page, "body")).toBe(body);

    const pagePreview = page.slice(page.indexOf("As the page will show it"), page.indexOf("As the email will look"));
    expect(pagePreview).toContain("<strong>cabinet member</strong>");
    expect(pagePreview).toContain('href="https://example.org/minutes?a=1&amp;b=2"');
    expect(pagePreview).not.toContain("<script");
    expect(pagePreview).not.toContain("javascript:");

    const frameTag = page.match(/<iframe\b[^>]*>/)?.[0] ?? "";
    expect(frameTag).toContain('sandbox=""');
    const frameSrc = frameTag.match(/ src="([^"]+)"/)?.[1].replace(/&amp;/g, "&") ?? "";
    expect(frameSrc.startsWith(`/organize/${petition.id}/updates/${updateId}/email.html?saved=`)).toBe(true);
    const text = page.match(/<pre class="mail-text">([^]*?)<\/pre>/)?.[1] ?? "";
    expect(text).toContain(title);
    expect(text).toContain("the minutes (https://example.org/minutes?a=1&amp;b=2)");
    expect(text).toContain("Stop updates from this campaign: (the signer&#x27;s own link)");
    expect(text).not.toContain("%%");

    const frame = await browser(app, olivia).get(frameSrc);
    expect(frame.status).toBe(200);
    expect(frame.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = frame.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("sandbox");
    expect(csp).not.toContain("script-src"); // the site-wide policy is not added on top of it
    expect(frame.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const emailHtml = await frame.text();
    expect(emailHtml).toContain("<strong>cabinet member</strong>");
    expect(emailHtml).not.toContain("<script");
    expect(emailHtml).not.toContain("javascript:");
    expect(emailHtml).not.toContain("%%");

    expect(page).toContain("Also email it to 3 subscribers");
    expect(page).not.toMatch(/<input[^>]*id="email"[^>]*disabled/);
  });

  test("an organizer writing in Spanish is told what is wrong in Spanish, with the limit written its way", async () => {
    const res = await browser(app, olivia).post(`/organize/${petition.id}/updates/new?lang=es`, {
      intent: "save",
      title: "",
      body: "B".repeat(20_001),
    });
    expect(res.status).toBe(400);
    const page = await pageOf(res);
    expect(page).toContain('<html lang="es"');
    expect(page).toContain("Ponle un título a la actualización");
    expect(page).toContain("La actualización puede tener como máximo 20.000 caracteres");
  });

  test("an organizer edits the draft, and a mistake keeps what they typed", async () => {
    const bad = await browser(app, olivia).post(`/organize/${petition.id}/updates/${updateId}`, {
      intent: "save",
      title: "",
      body: `${body}\n\nP.S.`,
    });
    expect(bad.status).toBe(400);
    const badPage = await pageOf(bad);
    expect(errorBeside(badPage, "title")).toBe("Give the update a title");
    expect(valueOf(badPage, "body")).toBe(`${body}\n\nP.S.`);
    expect((await updateRow(updateId)).body_markdown).toBe(body);

    const good = await browser(app, olivia).post(`/organize/${petition.id}/updates/${updateId}`, {
      intent: "save",
      title,
      body: `${body}\n\nP.S. See you there.`,
    });
    expect(good.status).toBe(302);
    expect((await updateRow(updateId)).body_markdown).toBe(`${body}\n\nP.S. See you there.`);
  });

  test("an organizer sends themselves a test: it arrives marked [Test], and nobody else gets it", async () => {
    const res = await browser(app, olivia).post(`/organize/${petition.id}/updates/${updateId}`, { intent: "test" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${petition.id}/updates/${updateId}?tested=1`);
    const mail = await smtp.waitFor(olivia.email, (m) => m.subject?.startsWith("[Test]") ?? false);
    expect(mail.subject).toBe(`[Test] ${title} (${petition.title})`);
    expect(mail.text).toContain("This is a test");
    expect(mail.text).toContain("P.S. See you there.");
    expect(mail.html || "").toContain("<strong>cabinet member</strong>");
    expect(mail.html || "").not.toContain("<script");
    expect((await updateRow(updateId)).status).toBe("draft");
    expect(smtp.to("subscriber-1@example.org")).toEqual([]);
  });

  test("only the petition's organizers can reach its updates: anyone else gets 404", async () => {
    const paths = [
      `/organize/${petition.id}/updates`,
      `/organize/${petition.id}/updates/new`,
      `/organize/${petition.id}/updates/${updateId}`,
      `/organize/${petition.id}/updates/${updateId}/email.html`,
    ];
    for (const path of paths) {
      expect((await browser(app, oscar).get(path)).status, `oscar: ${path}`).toBe(404);
      expect((await browser(app, mo).get(path)).status, `moderator: ${path}`).toBe(404);
      expect((await browser(app, colin).get(path)).status, `co-organizer: ${path}`).toBe(200);
      const anonymous = await browser(app).get(path);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/sign-in\?redirectTo=/);
    }
    const forged = await browser(app, oscar).post(`/organize/${petition.id}/updates/${updateId}`, {
      intent: "publish",
      email: "yes",
    });
    expect(forged.status).toBe(404);
    const sneaky = await browser(app, oscar).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title: "Hi",
      body: "Spam",
    });
    expect(sneaky.status).toBe(404);
    // An update id from this petition under another petition's address is not found either.
    const oscarsPetition = await app.db
      .selectFrom("petition_organizers")
      .select("petition_id")
      .where("user_id", "=", oscar.id)
      .executeTakeFirstOrThrow();
    expect((await browser(app, oscar).get(`/organize/${oscarsPetition.petition_id}/updates/${updateId}`)).status).toBe(
      404,
    );
    expect((await updateRow(updateId)).status).toBe("draft");
  });

  test("an organizer publishes it with email: it shows on the campaign page, its own page and the feed", async () => {
    const res = await browser(app, olivia).post(`/organize/${petition.id}/updates/${updateId}`, {
      intent: "publish",
      email: "yes",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${petition.id}/updates/${updateId}?emailed=1`);
    expect(await updateRow(updateId)).toMatchObject({ status: "published" });

    const campaign = await pageOf(await browser(app).get(`/petitions/${petition.slug}`));
    expect(campaign).toContain('<h2 id="updates-heading">Updates</h2>');
    expect(campaign).toContain(`<a href="/petitions/${petition.slug}/updates/${updateId}" lang="en">${title}</a>`);
    expect(campaign).toMatch(
      new RegExp(
        `<link rel="alternate" type="application/atom\\+xml" title="[^"]*" href="/petitions/${petition.slug}/updates.atom"/>`,
      ),
    );

    const own = await browser(app).get(`/petitions/${petition.slug}/updates/${updateId}`);
    expect(own.status).toBe(200);
    const ownPage = await pageOf(own);
    expect(ownPage).toContain(`<h1 lang="en">${title}</h1>`);
    expect(ownPage).toContain("<strong>cabinet member</strong>");
    expect(ownPage).not.toContain("alert(");

    const feed = await browser(app).get(`/petitions/${petition.slug}/updates.atom`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await feed.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parseFeed(xml);
    expect(doc.title["#text"]).toBe(`Updates: ${petition.title}`);
    expect(doc.entry).toHaveLength(1);
    const [entry] = doc.entry;
    const url = `${app.url}/petitions/${petition.slug}/updates/${updateId}`;
    expect(entry.id).toBe(url);
    expect(entry.title["#text"]).toBe(title);
    expect(entry.updated).toBe((await updateRow(updateId)).published_at);
    expect(entry.link[0]["@href"]).toBe(url);
    expect(entry.content["@type"]).toBe("html");
    expect(entry.content["#text"]).toContain("<strong>cabinet member</strong>");
    expect(entry.content["#text"]).toContain('href="https://example.org/minutes?a=1&amp;b=2"');
    expect(entry.content["#text"]).not.toContain("<script");
  });

  test("the subscribers get it by email, once each; nobody else does", async () => {
    for (let i = 1; i <= 3; i++) {
      const mail = await smtp.waitFor(`subscriber-${i}@example.org`, await fromUpdate(updateId));
      expect(mail.subject).toBe(`${title} (${petition.title})`);
      expect(mail.text).toContain("P.S. See you there.");
      expect(headerOf(mail, "list-unsubscribe")).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/.+>$/);
      expect(headerOf(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
      // The campaign's list, so that mail clients can file its updates together.
      expect(headerOf(mail, "list-id")).toBe(`"${petition.title}" <petition-${petition.id}.updates.127.0.0.1>`);
      // A Message-ID of its own that says nothing: two random numbers (SQLite's are integers, PostgreSQL's
      // fractions), no update or signature number in it.
      expect(mail.messageId).toMatch(/^<[0-9][0-9.e]{10,}[0-9]@127\.0\.0\.1>$/);
      const row = await app.db
        .selectFrom("outbox")
        .select(["id", "signature_id"])
        .where("message_id", "=", mail.messageId!)
        .executeTakeFirstOrThrow();
      for (const number of [updateId, row.id, row.signature_id])
        expect(mail.messageId).not.toMatch(new RegExp(`[<.]${number}[.@]`));
    }
    const isThisUpdate = await fromUpdate(updateId);
    const ids = [1, 2, 3].map((i) => smtp.to(`subscriber-${i}@example.org`).find(isThisUpdate)?.messageId);
    expect(new Set(ids).size).toBe(3);
    await eventually(async () => (await updateProgress(app.db, updateId)).sent === 3, "three sent");
    expect(await updateProgress(app.db, updateId)).toEqual({ queued: 0, sent: 3, failed: 0, cancelled: 0 });
    for (const other of ["quiet-1", "quiet-2", "unconfirmed-1", "held-1"])
      expect(smtp.to(`${other}@example.org`)).toEqual([]);
    for (let i = 1; i <= 3; i++)
      expect(smtp.to(`subscriber-${i}@example.org`).filter(await fromUpdate(updateId))).toHaveLength(1);

    const view = await pageOf(await browser(app, olivia).get(`/organize/${petition.id}/updates/${updateId}`));
    expect(view).toContain("Published update");
    expect(view).toContain("Published and emailed");
    expect(view).toContain("3 sent · 0 queued · 0 failed · 0 cancelled");
    expect(view).not.toContain('name="intent" value="publish"');
    const list = await pageOf(await browser(app, olivia).get(`/organize/${petition.id}/updates`));
    expect(list).toContain("3 sent · 0 queued · 0 failed · 0 cancelled");
  });

  test("a second emailed update within three days is refused with the reason, and nothing is published", async () => {
    const created = await browser(app, colin).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title: "Another thing",
      body: "So soon.",
    });
    const secondId = Number((created.headers.get("location") ?? "").split("/")[4].split("?")[0]);
    const first = await updateRow(updateId);
    const reason = throttleMessage(new Date(Date.parse(first.email_queued_at!) + 3 * DAY_MS), 3 * DAY_MS, EN);
    expect(reason).toMatch(
      /^You emailed an update on \d{1,2} \w+; you can email the next one from \d{1,2} \w+ at \d\d:\d\d UTC\.$/,
    );

    const page = await pageOf(await browser(app, colin).get(`/organize/${petition.id}/updates/${secondId}`));
    expect(page).toMatch(/<input[^>]*id="email"[^>]*disabled=""/);
    expect(page).toContain(reason);

    const forged = await browser(app, colin).post(`/organize/${petition.id}/updates/${secondId}`, {
      intent: "publish",
      email: "yes",
    });
    expect(forged.status).toBe(400);
    expect(errorBeside(await pageOf(forged), "email")).toBe(reason);
    expect(await updateRow(secondId)).toMatchObject({ status: "draft", email_status: "none", published_at: null });
    expect(await app.db.selectFrom("outbox").select("id").where("update_id", "=", secondId).execute()).toEqual([]);
  });

  test("publishing without email is allowed at any time, and the newest update comes first", async () => {
    const created = await browser(app, olivia).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title: "Photos from the meeting",
      body: "They are on our site.",
    });
    const thirdId = Number((created.headers.get("location") ?? "").split("/")[4].split("?")[0]);
    const res = await browser(app, olivia).post(`/organize/${petition.id}/updates/${thirdId}`, { intent: "publish" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${petition.id}/updates/${thirdId}?published=1`);
    expect(await updateRow(thirdId)).toMatchObject({ status: "published", email_status: "none" });

    const campaign = await pageOf(await browser(app).get(`/petitions/${petition.slug}`));
    expect(campaign.indexOf("Photos from the meeting")).toBeGreaterThan(-1);
    expect(campaign.indexOf("Photos from the meeting")).toBeLessThan(campaign.indexOf("We met the council"));
    expect(campaign).not.toContain("Another thing");
    const doc = parseFeed(await (await browser(app).get(`/petitions/${petition.slug}/updates.atom`)).text());
    expect(doc.entry.map((e: { title: { "#text": string } }) => e.title["#text"])).toEqual([
      "Photos from the meeting",
      "We met the council",
    ]);

    const list = await pageOf(await browser(app, olivia).get(`/organize/${petition.id}/updates`));
    const order = ["Photos from the meeting", "Another thing", "We met the council"].map((t) => list.indexOf(t));
    expect(order.every((i) => i > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(list).toContain("Published, not emailed");
    expect(list).toContain("Draft: not published");
    await outboxSettled(app.db);
    expect(smtp.messages.filter(await fromUpdate(thirdId))).toEqual([]);
  });
});

function parseFeed(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#text",
    isArray: (name) => name === "entry" || name === "link",
  });
  return parser.parse(xml).feed;
}

describe("a moderator stops an update that is going out", () => {
  let quiet: TestApp; // no worker of its own: the test runs one round at a time
  let owner: Person;
  let moderator: Person;
  let target: MadePetition;
  let updateId: number;

  beforeAll(async () => {
    quiet = await startTestApp({ smtpUrl: smtp.url, worker: false });
    owner = await signedIn(quiet, "owner-stop@example.org");
    moderator = await signedIn(quiet, "mod-stop@example.org", ["moderator"]);
    target = await makePetition(quiet, { state: "open", owner });
    await seedSigners(quiet, target.id, 30, { prefix: "stoppable", consent: true });
  });
  afterAll(async () => {
    await quiet?.stop();
  });

  test("the moderator stops it after a few have gone, and no further message goes", async () => {
    const created = await browser(quiet, owner).post(`/organize/${target.id}/updates/new`, {
      intent: "save",
      title: "Buy our T-shirts",
      body: "Not what you signed up for.",
    });
    updateId = Number((created.headers.get("location") ?? "").split("/")[4].split("?")[0]);

    const sender = createMailSender({ smtpUrl: smtp.url, from: quiet.config.mailFrom });
    const worker = new MailWorker(quiet.db, sender.send, {
      ...workerOptions(quiet.config),
      batchSize: 5,
      log: () => {},
    });
    try {
      while ((await worker.runOnce()) > 0); // the emails about the petition itself go first
      expect(
        (
          await browser(quiet, owner).post(`/organize/${target.id}/updates/${updateId}`, {
            intent: "publish",
            email: "yes",
          })
        ).status,
      ).toBe(302);
      // The first ten recipients are queued; the worker's next round queues the rest and sends five.
      expect(await queueUpdateBatch(quiet.db, updateId, { appUrl: quiet.config.appUrl }, 10)).toBe(10);
      expect(
        (
          await quiet.db
            .selectFrom("updates")
            .select("email_status")
            .where("id", "=", updateId)
            .executeTakeFirstOrThrow()
        ).email_status,
      ).toBe("queuing");
      await worker.runOnce();
      await smtp.waitFor("stoppable-5@example.org", await fromUpdate(updateId, quiet));
      expect(await updateProgress(quiet.db, updateId)).toEqual({ queued: 25, sent: 5, failed: 0, cancelled: 0 });

      const list = await pageOf(await browser(quiet, moderator).get("/moderate/updates"));
      expect(list).toContain("Buy our T-shirts");
      expect(list).toContain(target.title);
      expect(list).toContain(owner.email);
      expect(list).toContain("5 sent · 25 queued · 0 failed · 0 cancelled");
      expect(list).toContain("Stop sending");
      expect(await pageOf(await browser(quiet, moderator).get("/moderate"))).toContain('href="/moderate/updates"');

      expect(
        (await browser(quiet, owner).post("/moderate/updates", { intent: "stop", updateId: String(updateId) })).status,
      ).toBe(403);
      const stop = await browser(quiet, moderator).post("/moderate/updates", {
        intent: "stop",
        updateId: String(updateId),
      });
      expect(stop.status).toBe(302);
      expect(stop.headers.get("location")).toBe("/moderate/updates?stopped=25");

      for (let i = 0; i < 3; i++) await worker.runOnce();
    } finally {
      await worker.stop();
      sender.close();
    }
    // No worker runs now: every message it sent is at the SMTP server already (it marks one sent only after that).
    const stoppable = smtp.messages.filter((m) => m.envelopeTo.some((to) => to.startsWith("stoppable-")));
    expect(stoppable.map((m) => m.envelopeTo[0]).sort()).toEqual(
      [1, 2, 3, 4, 5].map((n) => `stoppable-${n}@example.org`),
    );
    expect(await updateProgress(quiet.db, updateId)).toEqual({ queued: 0, sent: 5, failed: 0, cancelled: 25 });
    expect(
      await quiet.db
        .selectFrom("updates")
        .select(["email_status", "stopped_by"])
        .where("id", "=", updateId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      email_status: "stopped",
      stopped_by: moderator.id,
    });
    const audit = await quiet.db
      .selectFrom("audit_log")
      .select(["actor_id", "details"])
      .where("action", "=", "update.stop")
      .execute();
    expect(audit).toEqual([{ actor_id: moderator.id, details: JSON.stringify({ updateId }) }]);

    const after = await pageOf(await browser(quiet, moderator).get("/moderate/updates?stopped=25"));
    expect(after).toContain("Sending stopped. 25 emails that had not gone were cancelled.");
    expect(after).toContain("emailing stopped by a moderator");
    expect(after).not.toContain("Stop sending</button>");
    const again = await browser(quiet, moderator).post("/moderate/updates", {
      intent: "stop",
      updateId: String(updateId),
    });
    expect(again.status).toBe(409);
  });
});

describe("organizers hear when their petition reaches a goal", () => {
  test("the 100th confirmed signature emails the organizers once, with the next goal", async () => {
    const owner = await signedIn(app, "milestone-owner@example.org");
    const co = await signedIn(app, "milestone-co@example.org");
    const target = await makePetition(app, { state: "open", owner, coOrganizer: co });
    await seedSigners(app, target.id, 99, { prefix: "early", consent: false });
    const hundredth = newToken();
    const hundredAndFirst = newToken();
    await seedSigners(app, target.id, 1, {
      prefix: "hundredth",
      consent: false,
      status: "pending",
      tokenHash: hundredth.hash,
    });
    await seedSigners(app, target.id, 1, {
      prefix: "hundred-and-first",
      consent: false,
      status: "pending",
      tokenHash: hundredAndFirst.hash,
    });
    expect(
      (
        await app.db
          .selectFrom("petitions")
          .select("signature_count")
          .where("id", "=", target.id)
          .executeTakeFirstOrThrow()
      ).signature_count,
    ).toBe(99);

    const site = { appUrl: app.config.appUrl };
    expect((await confirm(app.db, hundredth.token, new Date())).state).toBe("confirmed");
    // The scheduled job folds the confirmation into the count and tells the organizers; here, at once.
    await foldCounts(app.db, site);
    const subject = `Your petition reached 100 signatures: ${target.title}`;
    for (const who of [owner, co]) {
      const mail = await smtp.waitFor(who.email, (m) => m.subject === subject);
      expect(mail.text).toContain("Your petition reached 100 signatures.");
      expect(mail.text).toContain("the next goal: 200 signatures");
    }
    expect((await confirm(app.db, hundredAndFirst.token, new Date())).state).toBe("confirmed");
    await foldCounts(app.db, site);

    // A withdrawal takes the count back below 100; reaching it again tells nobody twice.
    const again = newToken();
    await seedSigners(app, target.id, 1, { prefix: "again", consent: false, status: "pending", tokenHash: again.hash });
    await app.db.updateTable("petitions").set({ signature_count: 99 }).where("id", "=", target.id).execute();
    expect((await confirm(app.db, again.token, new Date())).state).toBe("confirmed");
    await foldCounts(app.db, site);

    const milestones = await app.db
      .selectFrom("outbox")
      .select("to_address")
      .where("kind", "=", "petition-milestone")
      .where("subject", "like", `%${target.title}`)
      .execute();
    expect(milestones.map((m) => m.to_address).sort()).toEqual([co.email, owner.email].sort());
  });

  test("an organizer's own goal, reached through the confirmation page, is a milestone too", async () => {
    const owner = await signedIn(app, "own-goal@example.org");
    const target = await makePetition(app, { state: "open", owner, input: completePetition({ goal: "10" }) });
    await seedSigners(app, target.id, 9, { prefix: "goal-early", consent: false });
    const tenth = newToken();
    await seedSigners(app, target.id, 1, {
      prefix: "goal-tenth",
      consent: false,
      status: "pending",
      tokenHash: tenth.hash,
    });

    const res = await browser(app).post(`/confirm/${tenth.token}`, { intent: "confirm" });
    expect(res.status).toBe(302);
    const mail = await smtp.waitFor(
      owner.email,
      (m) => m.subject === `Your petition reached 10 signatures: ${target.title}`,
    );
    expect(mail.text).toContain("the next goal: 100 signatures");
  });
});

describe("subscribers hear of a victory once", () => {
  test("declaring victory publishes an update and emails it to each subscriber, even soon after another emailed update", async () => {
    const owner = await signedIn(app, "winner@example.org");
    const target = await makePetition(app, { state: "open", owner });
    await seedSigners(app, target.id, 3, { prefix: "fan", consent: true });
    await seedSigners(app, target.id, 1, { prefix: "bystander", consent: false });

    // An update emailed just now: a normal one could not follow for three days.
    const created = await browser(app, owner).post(`/organize/${target.id}/updates/new`, {
      intent: "save",
      title: "Nearly there",
      body: "The vote is on Monday.",
    });
    const firstId = Number((created.headers.get("location") ?? "").split("/")[4].split("?")[0]);
    expect(
      (await browser(app, owner).post(`/organize/${target.id}/updates/${firstId}`, { intent: "publish", email: "yes" }))
        .status,
    ).toBe(302);
    await eventually(async () => (await updateProgress(app.db, firstId)).sent === 3, "the first update to go");

    const message = "The council voted to keep the library open on Sundays.";
    const res = await browser(app, owner).post(`/organize/${target.id}/manage`, { intent: "victory", message });
    expect(res.status).toBe(302);

    const victory = await app.db
      .selectFrom("updates")
      .selectAll()
      .where("petition_id", "=", target.id)
      .where("id", "!=", firstId)
      .executeTakeFirstOrThrow();
    expect(victory).toMatchObject({ title: `Victory: ${message}`, status: "published", created_by: owner.id });
    const subject = `Victory: ${message} (${target.title})`;
    for (let i = 1; i <= 3; i++) {
      const mail = await smtp.waitFor(`fan-${i}@example.org`, (m) => m.subject === subject);
      expect(mail.text).toContain(message);
    }
    await eventually(async () => (await updateProgress(app.db, victory.id)).sent === 3, "the victory to go");
    await outboxSettled(app.db);
    for (let i = 1; i <= 3; i++)
      expect(smtp.to(`fan-${i}@example.org`).filter((m) => m.subject === subject)).toHaveLength(1);
    expect(smtp.to("bystander-1@example.org")).toEqual([]);

    const campaign = await pageOf(await browser(app).get(`/petitions/${target.slug}`));
    expect(campaign).toContain(
      `<a href="/petitions/${target.slug}/updates/${victory.id}" lang="en">Victory: ${message}</a>`,
    );
  });
});
