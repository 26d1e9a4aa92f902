import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_EMAILS_PER_SIGNATURE } from "../../app/models/signatures.server";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import {
  countsFor,
  getPetition,
  OPEN_SLUG,
  outboxTo,
  rowCounts,
  signingForm,
  tokenIn,
  withoutNonces,
} from "../helpers/signing";
import { confirmLinkIn, TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await app.stop();
  await smtp.stop();
});

const petitionUrl = () => `${app.url}/petitions/${OPEN_SLUG}`;
const checkEmailPath = `/petitions/${OPEN_SLUG}/check-email`;
const isConfirmation = (m: ReceivedMail) => m.subject?.startsWith("Please confirm your signature") ?? false;
const isAlreadySigned = (m: ReceivedMail) => m.subject?.startsWith("You have already signed") ?? false;
/** The address as the mail server sees it: the mailer trims it and lower-cases its domain. */
const delivered = (typed: string) => typed.trim().replace(/@.*$/, (domain) => domain.toLowerCase());

async function signatureFor(canonical: string) {
  const petition = await getPetition(app.db, OPEN_SLUG);
  return app.db
    .selectFrom("signatures")
    .selectAll()
    .where("petition_id", "=", petition.id)
    .where("canonical_email", "=", canonical)
    .executeTakeFirst();
}

/** Signs as a browser without JavaScript would, and returns what the browser is shown. */
async function sign(fields: Record<string, string>) {
  const res = await postForm(petitionUrl(), signingForm(fields));
  const location = res.headers.get("location");
  const body = await res.text();
  const page = location ? withoutNonces(await (await fetch(new URL(location, app.url))).text()) : null;
  return { status: res.status, location, body, page };
}

/** Signs as `email`, as a browser without JavaScript would, and returns the link in the confirmation email it gets. */
async function confirmationLinkFor(email: string, name: string): Promise<string> {
  expect((await sign({ name, email })).location).toBe(checkEmailPath);
  return confirmLinkIn(await smtp.waitFor(email, isConfirmation));
}

describe("a signer signs and confirms by email", () => {
  test("a signer is sent to the check-email page and gets a confirmation email with HTML and text versions", async () => {
    const before = await rowCounts(app.db);
    const { status, location, page } = await sign({ name: "Ada Lovelace", email: "ada@example.org" });
    expect(status).toBe(302);
    expect(location).toBe(checkEmailPath);
    expect(page).toContain("Check your email");

    const mail = await smtp.waitFor("ada@example.org", isConfirmation);
    expect(mail.subject).toBe("Please confirm your signature: Make the Merseyside model of policing UK-wide");
    expect(mail.from?.value[0]?.address).toBe(app.config.mailFrom.match(/<(.+)>/)?.[1]);
    const link = confirmLinkIn(mail);
    expect(link.startsWith(`${app.url}/confirm/`)).toBe(true);
    expect(mail.text).toContain("Dear Ada Lovelace");
    expect(mail.html).toBeTruthy();
    expect(mail.html).toContain(`href="${link}"`);

    // One signature, pending; one email in the outbox, whose Message-ID is the one that arrived.
    expect(await rowCounts(app.db)).toEqual({ signatures: before.signatures + 1, outbox: before.outbox + 1 });
    const signature = await signatureFor("ada@example.org");
    expect(signature).toMatchObject({ status: "pending", name: "Ada Lovelace", country: "GB", emails_sent: 1 });
    const [queued] = await outboxTo(app.db, "ada@example.org");
    expect(mail.messageId).toBe(queued.message_id);
  });

  test("a mail scanner opening the link confirms nothing; the signer sees a button", async () => {
    const link = await confirmationLinkFor("scanned@example.org", "Mary Somerville");
    const before = await countsFor(app.db, OPEN_SLUG);

    for (let i = 0; i < 3; i++) {
      const res = await fetch(link);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("Confirm your signature");
      expect(html).toMatch(/<form method="post"[^>]*>[^]*<button type="submit" name="intent" value="confirm"/);
    }
    expect((await fetch(link, { method: "HEAD" })).status).toBe(200);

    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
    expect((await signatureFor("scanned@example.org"))?.status).toBe("pending");
  });

  test("a signer who presses the button is counted, in the total and for their country, once", async () => {
    const link = await confirmationLinkFor("katherine@example.org", "Katherine Johnson");
    const before = await countsFor(app.db, OPEN_SLUG);

    const confirm = await postForm(link, { intent: "confirm" });
    expect(confirm.status).toBe(302);
    expect(confirm.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/thank-you`);

    const after = await countsFor(app.db, OPEN_SLUG);
    expect(after.total).toBe(before.total + 1);
    expect(after.byCountry.GB).toBe((before.byCountry.GB ?? 0) + 1);
    const signature = await signatureFor("katherine@example.org");
    expect(signature).toMatchObject({ status: "confirmed", token_hash: null, token_expires_at: null });
    expect(signature?.confirmed_at).not.toBeNull();

    const page = await (await fetch(petitionUrl())).text();
    expect(page).toContain("Katherine Johnson");
  });

  test("a signer who presses the button again changes nothing: the link is used up", async () => {
    const link = await confirmationLinkFor("twice@example.org", "Emmy Noether");
    expect((await postForm(link, { intent: "confirm" })).status).toBe(302);
    const before = await countsFor(app.db, OPEN_SLUG);

    const again = await postForm(link, { intent: "confirm" });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("This link has already been used, or is not valid");
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
  });

  test("a signer who asked not to be shown is counted but not named", async () => {
    await sign({ name: "Quiet Person", email: "quiet@example.org", nameDisplay: "hidden", country: "IE" });
    const before = await countsFor(app.db, OPEN_SLUG);
    const link = confirmLinkIn(await smtp.waitFor("quiet@example.org", isConfirmation));
    expect((await postForm(link, { intent: "confirm" })).status).toBe(302);

    const after = await countsFor(app.db, OPEN_SLUG);
    expect(after.total).toBe(before.total + 1);
    expect(after.byCountry.IE).toBe((before.byCountry.IE ?? 0) + 1);
    const page = await (await fetch(petitionUrl())).text();
    expect(page).not.toContain("Quiet Person");
    expect(page).toContain("Ireland");
  });
});

describe("a signer who signs again with the same address", () => {
  test("a pending signer who signs again sees the same page, gets a fresh link, and the old link stops working", async () => {
    const first = await sign({ name: "Grace Hopper", email: "grace.hopper@gmail.com" });
    const firstLink = confirmLinkIn(await smtp.waitFor("grace.hopper@gmail.com", isConfirmation));
    const rowsAfterFirst = await rowCounts(app.db);

    // The same mailbox, typed three other ways.
    const variants = ["Grace.Hopper@Gmail.COM", "gracehopper+petition@googlemail.com", " G.R.A.C.E.hopper@gmail.com "];
    const links = [firstLink];
    for (const email of variants) {
      const again = await sign({ name: "Grace B. Hopper", email });
      expect([again.status, again.location, again.body]).toEqual([first.status, first.location, first.body]);
      expect(again.page).toBe(first.page);
      const to = delivered(email);
      const link = confirmLinkIn(await smtp.waitFor(to, (m) => isConfirmation(m) && !links.includes(confirmLinkIn(m))));
      links.push(link);
    }
    expect(new Set(links).size).toBe(4);

    // No new signature; one email per submission; the newest answers were kept.
    const rows = await rowCounts(app.db);
    expect(rows.signatures).toBe(rowsAfterFirst.signatures);
    expect(rows.outbox).toBe(rowsAfterFirst.outbox + variants.length);
    const signature = await signatureFor("gracehopper@gmail.com");
    expect(signature).toMatchObject({ status: "pending", name: "Grace B. Hopper", emails_sent: 4 });

    // Every older link is dead; the newest one works.
    const before = await countsFor(app.db, OPEN_SLUG);
    for (const old of links.slice(0, -1)) {
      expect(await (await fetch(old)).text()).toContain("This link has already been used, or is not valid");
      expect((await postForm(old, { intent: "confirm" })).status).toBe(404);
    }
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
    expect((await postForm(links.at(-1)!, { intent: "confirm" })).status).toBe(302);
    expect((await countsFor(app.db, OPEN_SLUG)).total).toBe(before.total + 1);
  });

  test("a confirmed signer who signs again sees the same page and is told by email they have already signed", async () => {
    const link = await confirmationLinkFor("dorothy.vaughan@gmail.com", "Dorothy Vaughan");
    expect((await postForm(link, { intent: "confirm" })).status).toBe(302);
    const newcomer = await sign({ name: "Someone New", email: "newcomer@example.org" });
    const before = await countsFor(app.db, OPEN_SLUG);
    const rowsBefore = await rowCounts(app.db);

    const again = await sign({ name: "Dorothy Vaughan", email: "DorothyVaughan+again@GMail.com" });
    expect([again.status, again.location, again.body, again.page]).toEqual([
      newcomer.status,
      newcomer.location,
      newcomer.body,
      newcomer.page,
    ]);
    const mail = await smtp.waitFor(delivered("DorothyVaughan+again@GMail.com"), isAlreadySigned);
    expect(mail.subject).toBe("You have already signed: Make the Merseyside model of policing UK-wide");
    expect(mail.text).toContain("Your signature was already confirmed and counted");
    expect(mail.html).toContain(`/petitions/${OPEN_SLUG}`);
    expect(mail.text).not.toMatch(/\/confirm\//);

    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
    expect(await rowCounts(app.db)).toEqual({ signatures: rowsBefore.signatures, outbox: rowsBefore.outbox + 1 });
    expect((await signatureFor("dorothyvaughan@gmail.com"))?.status).toBe("confirmed");
  });

  test(`someone typing an address over and over sends it at most ${MAX_EMAILS_PER_SIGNATURE} emails, and sees the same page throughout`, async () => {
    const address = "flooded@example.org";
    const first = await sign({ name: "Flooded", email: address });
    for (let i = 1; i < MAX_EMAILS_PER_SIGNATURE + 3; i++) {
      const again = await sign({ name: "Flooded", email: address });
      expect([again.status, again.location, again.body, again.page]).toEqual([
        first.status,
        first.location,
        first.body,
        first.page,
      ]);
    }
    expect(await outboxTo(app.db, address)).toHaveLength(MAX_EMAILS_PER_SIGNATURE);
    expect((await signatureFor(address))?.emails_sent).toBe(MAX_EMAILS_PER_SIGNATURE);

    // Every email that was written arrives, and the newest link is the one that works.
    await smtp.waitFor(address, () => smtp.to(address).length >= MAX_EMAILS_PER_SIGNATURE);
    const newest = (await outboxTo(app.db, address)).at(-1)!;
    const received = smtp.to(address).find((m) => m.messageId === newest.message_id);
    expect(received).toBeDefined();
    expect(tokenIn(received!.text ?? "")).toBe(tokenIn(newest.text));
    expect((await postForm(confirmLinkIn(received!), { intent: "confirm" })).status).toBe(302);
  });
});
