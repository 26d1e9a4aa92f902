/**
 * Unsubscribing (docs/decisions/0011-unsubscribe.md): the link in
 * every update email and its RFC 8058 one-click header, against the real app,
 * a real SQLite file and a real SMTP server on loopback. The mail provider's
 * POST carries no cookies and no Origin: the signed token is all it has.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalEmail } from "../../app/lib/canonical-email";
import { unsubscribeToken } from "../../app/lib/unsubscribe.server";
import { createUpdate, publishUpdate, queuePendingUpdates } from "../../app/models/update.server";
import type { Signature } from "../../db/schema";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { withoutTextSeparators } from "../helpers/html";
import { makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { outboxTo, rawPost, signingForm } from "../helpers/signing";
import { confirmLinkIn, TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
let owner: Person;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  owner = await signedIn(app, "organizer-unsubscribe@example.org");
});
afterAll(async () => {
  await app.stop();
  await smtp.stop();
});

const site = () => ({ appUrl: app.config.appUrl });
const secret = () => app.config.unsubscribeSecret;
const isConfirmation = (m: ReceivedMail) => m.subject?.startsWith("Please confirm your signature") ?? false;

let updates = 0;

/** Signs a petition with updates ticked, as a browser would, and confirms from the email. */
async function signWithUpdates(
  petition: MadePetition,
  email: string,
  opts: { updates?: boolean } = {},
): Promise<Signature> {
  const before = smtp.to(email).filter(isConfirmation).length;
  const res = await postForm(
    `${app.url}/petitions/${petition.slug}`,
    signingForm({ email, ...(opts.updates === false ? {} : { updates: "yes" }) }),
  );
  expect(res.status).toBe(302);
  const mail = await smtp.waitFor(email, (m) => isConfirmation(m) && m.subject?.includes(petition.title) === true);
  expect(smtp.to(email).filter(isConfirmation).length).toBe(before + 1);
  expect((await postForm(confirmLinkIn(mail), { intent: "confirm" })).status).toBe(302);
  return app.db
    .selectFrom("signatures")
    .selectAll()
    .where("petition_id", "=", petition.id)
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
}

/** The organizer publishes an emailed update; returns its title, which is in the subject. */
async function publishEmailedUpdate(petition: MadePetition): Promise<{ id: number; title: string }> {
  updates += 1;
  const title = `News from the campaign, number ${updates}`;
  const id = await createUpdate(app.db, {
    petitionId: petition.id,
    userId: owner.id,
    input: { title, body: "The council will decide **next week**." },
  });
  if (id === null) throw new Error("The update was not created");
  const published = await publishUpdate(app.db, {
    updateId: id,
    userId: owner.id,
    email: true,
    minIntervalMs: 0,
    site: site(),
  });
  expect(published).toBe("published");
  return { id, title };
}

async function signature(id: number) {
  return app.db.selectFrom("signatures").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** Everything an unsubscribe link could touch, once the worker has finished what it was doing. */
async function snapshot() {
  await outboxSettled();
  return {
    signatures: await app.db.selectFrom("signatures").selectAll().orderBy("id").execute(),
    suppressions: await app.db.selectFrom("suppressions").selectAll().orderBy("canonical_email").execute(),
    outbox: await app.db.selectFrom("outbox").select(["id", "status"]).orderBy("id").execute(),
    audit: await app.db.selectFrom("audit_log").selectAll().orderBy("id").execute(),
  };
}

/** Waits until nothing is waiting in the outbox (the worker has sent or cancelled it all). */
async function outboxSettled() {
  for (let i = 0; i < 200; i++) {
    const busy = await app.db
      .selectFrom("outbox")
      .select("id")
      .where("status", "in", ["pending", "sending"])
      .executeTakeFirst();
    const queuing = await app.db
      .selectFrom("updates")
      .select("id")
      .where("email_status", "=", "queuing")
      .executeTakeFirst();
    if (!busy && !queuing) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("The outbox did not settle");
}

/** The RFC 8058 one-click POST exactly as a mail provider sends it: no cookies, no Origin, nothing else. */
function oneClick(url: string, extra: Record<string, string> = {}) {
  const body = Buffer.from("List-Unsubscribe=One-Click");
  return rawPost(url, {
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length), ...extra },
    chunks: [body],
  });
}

/** The address in the List-Unsubscribe header, as the provider reads it. */
function headerLink(mail: ReceivedMail): string {
  const line = mail.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
  const match = /^List-Unsubscribe: <([^>]+)>$/.exec(line);
  if (!match) throw new Error(`No List-Unsubscribe header in: ${mail.subject}`);
  return match[1];
}

function text(html: string): string {
  return withoutTextSeparators(html);
}

function h1(html: string): string {
  return html.match(/<h1>([^<]*)<\/h1>/)?.[1] ?? "";
}

describe("a signer who asked for updates stops them from the email", () => {
  let petition: MadePetition;
  let signer: Signature;
  let mail: ReceivedMail;
  let update: { id: number; title: string };
  const email = "grace.unsubscribe@example.org";

  beforeAll(async () => {
    petition = await makePetition(app, { state: "open", owner });
    signer = await signWithUpdates(petition, email);
    expect(signer.updates_consent).toBe(1);
    update = await publishEmailedUpdate(petition);
    mail = await smtp.waitFor(email, (m) => m.subject?.includes(update.title) === true);
  });

  test("the update email's headers are exactly RFC 8058's, each whole on one line", async () => {
    const lines = mail.headerLines.filter((h) => h.key === "list-unsubscribe" || h.key === "list-unsubscribe-post");
    expect(lines.map((h) => h.key).sort()).toEqual(["list-unsubscribe", "list-unsubscribe-post"]);
    const link = lines.find((h) => h.key === "list-unsubscribe")!.line;
    const post = lines.find((h) => h.key === "list-unsubscribe-post")!.line;
    // The raw line as it came over SMTP: a folded header would carry a line break.
    expect(link).not.toMatch(/[\r\n]/);
    const token = unsubscribeToken(secret(), signer.id, "petition");
    expect(link).toBe(`List-Unsubscribe: <${app.config.appUrl}/unsubscribe/${token}>`);
    expect(post).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    // The same link is in the email's text and HTML, with the "stop all email" link beside it.
    expect(mail.text).toContain(`${app.config.appUrl}/unsubscribe/${token}`);
    expect(mail.text).toContain(`${app.config.appUrl}/unsubscribe/${unsubscribeToken(secret(), signer.id, "all")}`);
    expect(mail.html).toContain(`href="${app.config.appUrl}/unsubscribe/${token}"`);
  });

  test("the update email carries the signer's own 'manage my signature' link, and it opens their signature", async () => {
    const manage = mail.text?.match(/Manage your signature: (\S+\/signature\/[A-Za-z0-9_-]{43})/)?.[1];
    expect(manage).toBeDefined();
    expect(mail.html).toContain(`href="${manage}"`);
    const page = await fetch(manage!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(petition.title);
  });

  test("opening the link changes nothing and shows what pressing the button would do", async () => {
    const url = headerLink(mail);
    const before = await snapshot();
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const page = text(await res.text());
    expect(h1(page)).toBe("Stop updates about this campaign");
    expect(page).toContain(petition.title);
    expect(page).toContain(">Stop updates</button>");
    // The "stop all" link's page, too, is only a page.
    expect((await fetch(`${app.url}/unsubscribe/${unsubscribeToken(secret(), signer.id, "all")}`)).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  test("the provider's one-click POST, with no cookies and no Origin, unsubscribes at once; a second changes nothing", async () => {
    const url = headerLink(mail);
    const first = await oneClick(url);
    expect(first.status).toBe(200);
    expect(first.headers.location).toBeUndefined();
    expect(h1(first.body)).toBe("You are unsubscribed");
    expect(text(first.body)).toContain(petition.title);
    expect((await signature(signer.id)).updates_consent).toBe(0);
    const afterFirst = await snapshot();

    const second = await oneClick(url);
    expect(second.status).toBe(200);
    expect(h1(second.body)).toBe("You are unsubscribed");
    expect(await snapshot()).toEqual(afterFirst);

    // Audited once, with the petition and nothing about who.
    const entries = afterFirst.audit.filter((a) => a.action === "subscription.unsubscribe");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor_id: null,
      petition_id: petition.id,
      subject_user_id: null,
      details: JSON.stringify({ scope: "petition" }),
    });
    // Unsubscribing from one campaign stops no other email.
    expect(afterFirst.suppressions).toEqual([]);
  });

  test("the next update about the campaign does not go to them", async () => {
    const next = await publishEmailedUpdate(petition);
    await outboxSettled();
    expect(smtp.to(email).filter((m) => m.subject?.includes(next.title))).toHaveLength(0);
    expect((await outboxTo(app.db, email)).filter((m) => m.update_id === next.id)).toHaveLength(0);
  });

  test("the page's own button works too, from the site itself, and so does a multipart body", async () => {
    const other = await signWithUpdates(petition, "ada.button@example.org");
    const url = `${app.url}/unsubscribe/${unsubscribeToken(secret(), other.id, "petition")}`;
    const res = await fetch(url, {
      method: "POST",
      body: new URLSearchParams({ intent: "unsubscribe" }),
      headers: { Origin: app.url },
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    expect(h1(await res.text())).toBe("You are unsubscribed");
    expect((await signature(other.id)).updates_consent).toBe(0);

    const third = await signWithUpdates(petition, "mary.multipart@example.org");
    const boundary = "----undersigned-test-boundary";
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    );
    const multipart = await rawPost(`${app.url}/unsubscribe/${unsubscribeToken(secret(), third.id, "petition")}`, {
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": String(body.length) },
      chunks: [body],
    });
    expect(multipart.status).toBe(200);
    expect((await signature(third.id)).updates_consent).toBe(0);
  });

  test("a provider that sends 'Origin: null' is not refused; another site's page still is", async () => {
    const s = await signWithUpdates(petition, "nell.null-origin@example.org");
    const url = `${app.url}/unsubscribe/${unsubscribeToken(secret(), s.id, "petition")}`;
    const crossSite = await oneClick(url, { Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect((await signature(s.id)).updates_consent).toBe(1);
    const opaque = await oneClick(url, { Origin: "null" });
    expect(opaque.status).toBe(200);
    expect((await signature(s.id)).updates_consent).toBe(0);
    // "null" is allowed on unsubscribe links only.
    expect((await oneClick(`${app.url}/signature/request`, { Origin: "null" })).status).toBe(403);
  });

  test("the signer's manage page shows whether they get updates", async () => {
    const s = await signWithUpdates(petition, "manage.state@example.org");
    const manageLink = smtp
      .to("manage.state@example.org")
      .find(isConfirmation)!
      .text!.match(/https?:\/\/\S+\/signature\/[A-Za-z0-9_-]{43}/)![0];
    const row = (page: string) => text(page).match(/Updates about this campaign<\/th><td>([^<]*)<\/td>/)?.[1];
    expect(row(await (await fetch(manageLink)).text())).toBe("Yes");
    await oneClick(`${app.url}/unsubscribe/${unsubscribeToken(secret(), s.id, "petition")}`);
    expect(row(await (await fetch(manageLink)).text())).toBe("No");
  });
});

describe("links that are not ours change nothing", () => {
  let victim: Signature;
  let bystander: Signature;

  beforeAll(async () => {
    const petition = await makePetition(app, { state: "open", owner });
    victim = await signWithUpdates(petition, "victim.forged@example.org");
    bystander = await signWithUpdates(petition, "bystander.forged@example.org");
  });

  test("a tampered MAC, another signature's id, the other scope's MAC and garbage are all 'not valid' (404)", async () => {
    const good = unsubscribeToken(secret(), victim.id, "petition");
    const [payload, mac] = good.split(".");
    const flipped = `${mac.slice(0, 10)}${mac[10] === "A" ? "B" : "A"}${mac.slice(11)}`;
    const forged = [
      `${payload}.${flipped}`,
      `p${bystander.id}.${mac}`,
      `a${victim.id}.${mac}`,
      `p${victim.id}.${unsubscribeToken("some-other-secret", victim.id, "petition").split(".")[1]}`,
      `p${victim.id}`,
      "not-a-token",
      `${good}x`,
    ];
    const before = await snapshot();
    for (const token of forged) {
      const url = `${app.url}/unsubscribe/${encodeURIComponent(token)}`;
      const page = await fetch(url);
      expect(page.status, token).toBe(404);
      const body = await page.text();
      expect(h1(body)).toBe("This link is not valid");
      expect(body).toContain('href="/signature/request"');
      const post = await oneClick(url);
      expect(post.status, token).toBe(404);
      expect(post.body).toContain('href="/signature/request"');
      const resume = await rawPost(url, {
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        chunks: [Buffer.from("intent=resume")],
      });
      expect(resume.status, token).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });

  test("a good link to a signature that was withdrawn answers, and changes nothing", async () => {
    const petition = await makePetition(app, { state: "open", owner });
    const gone = await signWithUpdates(petition, "gone.withdrawn@example.org");
    await app.db.deleteFrom("signatures").where("id", "=", gone.id).execute();
    const before = await snapshot();
    for (const scope of ["petition", "all"] as const) {
      const res = await oneClick(`${app.url}/unsubscribe/${unsubscribeToken(secret(), gone.id, scope)}`);
      expect(res.status).toBe(200);
      expect(h1(res.body)).toBe("There is nothing to unsubscribe from");
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("'stop all email from this site'", () => {
  const email = "kath.stopall+campaigns@example.org";
  let first: MadePetition;
  let second: MadePetition;
  let onFirst: Signature;
  let onSecond: Signature;
  let allLink: string;

  beforeAll(async () => {
    first = await makePetition(app, { state: "open", owner });
    second = await makePetition(app, { state: "open", owner });
    onFirst = await signWithUpdates(first, email);
    onSecond = await signWithUpdates(second, email);
    const update = await publishEmailedUpdate(first);
    const mail = await smtp.waitFor(email, (m) => m.subject?.includes(update.title) === true);
    allLink = mail.text!.match(/Stop all email from this site: (\S+)/)![1];
    expect(allLink).toBe(`${app.config.appUrl}/unsubscribe/${unsubscribeToken(secret(), onFirst.id, "all")}`);
  });

  test("suppresses the address, turns off updates on every signature made with it, and cancels what is queued", async () => {
    // An update about the other campaign is queued for them, and not sent yet.
    await app.worker!.stop();
    const queued = await publishEmailedUpdate(second);
    await queuePendingUpdates(app.db, site());
    const waiting = (await outboxTo(app.db, email)).find((m) => m.update_id === queued.id);
    expect(waiting?.status).toBe("pending");

    const res = await oneClick(allLink);
    expect(res.status).toBe(200);
    expect(h1(res.body)).toBe("We will send you no more email");
    expect(res.body).toContain(">Start receiving email again</button>");

    const suppressions = await app.db.selectFrom("suppressions").selectAll().execute();
    expect(suppressions.map((s) => [s.canonical_email, s.reason])).toContainEqual([
      canonicalEmail(email),
      "unsubscribe_all",
    ]);
    expect((await signature(onFirst.id)).updates_consent).toBe(0);
    expect((await signature(onSecond.id)).updates_consent).toBe(0);
    expect((await outboxTo(app.db, email)).find((m) => m.id === waiting!.id)?.status).toBe("cancelled");

    // Pressed again (or retried by the provider): nothing more changes.
    const before = await snapshot();
    expect((await oneClick(allLink)).status).toBe(200);
    expect(await snapshot()).toEqual(before);
    const entries = before.audit.filter((a) => a.action === "subscription.unsubscribe" && a.petition_id === first.id);
    expect(entries.map((a) => a.details)).toEqual([JSON.stringify({ scope: "all" })]);

    app.worker!.start();
    await outboxSettled();
    expect(smtp.to(email).filter((m) => m.subject?.includes(queued.title))).toHaveLength(0);
  });

  test("a new signature still gets its confirmation email, but no update reaches the address, and the worker cancels any already queued", async () => {
    const third = await makePetition(app, { state: "open", owner });
    // The person asked for this one: it comes (see the ADR).
    const onThird = await signWithUpdates(third, email);
    expect(onThird.updates_consent).toBe(1);

    const update = await publishEmailedUpdate(third);
    await outboxSettled();
    expect((await outboxTo(app.db, email)).filter((m) => m.update_id === update.id)).toHaveLength(0);

    // A message queued before the address was suppressed (as in a race with the queueing step) is cancelled as it is sent.
    await app.worker!.stop();
    const { id } = await app.db
      .insertInto("outbox")
      .values({
        kind: "update",
        to_address: email,
        subject: "",
        html: "",
        text: "",
        headers: null,
        status: "pending",
        next_attempt_at: new Date().toISOString(),
        message_id: `<race-${onThird.id}@undersigned.test>`,
        created_at: new Date().toISOString(),
        update_id: update.id,
        signature_id: onThird.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    app.worker!.start();
    await outboxSettled();
    const row = await app.db.selectFrom("outbox").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("cancelled");
    expect(smtp.to(email).filter((m) => m.subject?.includes(update.title))).toHaveLength(0);
  });

  test("the manage page says so, and offers to start email again", async () => {
    const manageLink = smtp
      .to(email)
      .filter(isConfirmation)
      .at(-1)!
      .text!.match(/https?:\/\/\S+\/signature\/[A-Za-z0-9_-]{43}/)![0];
    const page = text(await (await fetch(manageLink)).text());
    expect(page).toContain("You asked us to stop all email from this site");
    expect(page).toContain("Yes, but none reach you: we send this address no email");
    expect(page).toContain('value="resume-email"');
  });

  test("'start receiving email again' lifts it, once, and leaves updates off", async () => {
    const res = await rawPost(allLink, {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      chunks: [Buffer.from("intent=resume")],
    });
    expect(res.status).toBe(200);
    expect(h1(res.body)).toBe("Email from this site can reach you again");
    expect(
      await app.db
        .selectFrom("suppressions")
        .selectAll()
        .where("canonical_email", "=", canonicalEmail(email))
        .execute(),
    ).toEqual([]);
    expect((await signature(onFirst.id)).updates_consent).toBe(0);
    expect((await signature(onSecond.id)).updates_consent).toBe(0);
    const resumed = (
      await app.db.selectFrom("audit_log").selectAll().where("action", "=", "subscription.resume").execute()
    ).filter((a) => a.petition_id === first.id);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ actor_id: null, details: null });

    const before = await snapshot();
    expect(
      (
        await rawPost(allLink, {
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          chunks: [Buffer.from("intent=resume")],
        })
      ).status,
    ).toBe(200);
    expect(await snapshot()).toEqual(before);

    // Stopping again works as the first time.
    expect(h1((await oneClick(allLink)).body)).toBe("We will send you no more email");
    expect(
      await app.db
        .selectFrom("suppressions")
        .select("reason")
        .where("canonical_email", "=", canonicalEmail(email))
        .execute(),
    ).toEqual([{ reason: "unsubscribe_all" }]);
  });

  test("the manage page's button lifts it too", async () => {
    const manageLink = smtp
      .to(email)
      .filter(isConfirmation)
      .at(-1)!
      .text!.match(/https?:\/\/\S+\/signature\/[A-Za-z0-9_-]{43}/)![0];
    const res = await postForm(manageLink, { intent: "resume-email" });
    expect(res.status).toBe(302);
    expect(
      await app.db
        .selectFrom("suppressions")
        .selectAll()
        .where("canonical_email", "=", canonicalEmail(email))
        .execute(),
    ).toEqual([]);
  });

  test("a bounce is not the signer's to lift from a link", async () => {
    const petition = await makePetition(app, { state: "open", owner });
    const bounced = await signWithUpdates(petition, "bounced.address@example.org");
    await app.db
      .insertInto("suppressions")
      .values({ canonical_email: bounced.canonical_email, reason: "bounce", created_at: new Date().toISOString() })
      .execute();
    const link = `${app.url}/unsubscribe/${unsubscribeToken(secret(), bounced.id, "all")}`;
    const page = await fetch(link);
    expect(text(await page.text())).toContain("We already send nothing to this address");

    const stop = await oneClick(link);
    expect(stop.status).toBe(200);
    expect(stop.body).not.toContain(">Start receiving email again</button>");
    const resume = await rawPost(link, {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      chunks: [Buffer.from("intent=resume")],
    });
    expect(resume.status).toBe(200);
    expect(
      await app.db
        .selectFrom("suppressions")
        .select("reason")
        .where("canonical_email", "=", bounced.canonical_email)
        .execute(),
    ).toEqual([{ reason: "bounce" }]);
  });
});

describe("the development inbox shows update emails, which are written as they are sent", () => {
  test("an update's message shows its subject, links and headers, and 'cancelled' once it would not be sent", async () => {
    const petition = await makePetition(app, { state: "open", owner });
    const email = "inbox.reader@example.org";
    const s = await signWithUpdates(petition, email);
    const update = await publishEmailedUpdate(petition);
    await smtp.waitFor(email, (m) => m.subject?.includes(update.title) === true);
    const row = (await outboxTo(app.db, email)).find((m) => m.update_id === update.id)!;
    expect(row.subject).toBe("");

    const list = text(await (await fetch(`${app.url}/dev/mail`)).text());
    expect(list).toContain(`href="/dev/mail/${row.id}">${update.title}`);
    const view = text(await (await fetch(`${app.url}/dev/mail/${row.id}`)).text());
    expect(view).toContain(update.title);
    expect(view).toContain(`/unsubscribe/${unsubscribeToken(secret(), s.id, "petition")}`);
    expect(view).toContain("List-Unsubscribe-Post");
    const html = await (await fetch(`${app.url}/dev/mail/${row.id}/html`)).text();
    expect(html).toContain("<html");
    expect(html).toContain(`/unsubscribe/${unsubscribeToken(secret(), s.id, "all")}`);

    await oneClick(`${app.url}/unsubscribe/${unsubscribeToken(secret(), s.id, "petition")}`);
    const after = text(await (await fetch(`${app.url}/dev/mail/${row.id}`)).text());
    expect(after).toContain("Cancelled: an update");
  });
});
