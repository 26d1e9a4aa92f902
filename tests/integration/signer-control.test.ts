import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recountAll } from "../../app/models/counts.server";
import { MAX_MANAGE_LINK_EMAILS_PER_DAY, requestManageLinks } from "../../app/models/manage-signature.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import type { Signature } from "../../db/schema";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { errorBeside, hasLink, valueOf, withoutTextSeparators } from "../helpers/html";
import {
  countsFor,
  getPetition,
  OPEN_SLUG,
  outboxTo,
  signingForm,
  withoutNonces,
  storeSignature,
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
const isConfirmation = (m: ReceivedMail) => m.subject?.startsWith("Please confirm your signature") ?? false;
const isManageLinks = (m: ReceivedMail) => m.subject === "Your links to manage your signatures";
const UNKNOWN_TOKEN = "A".repeat(43);

/** Every manage link in an email's text version, in order. */
function manageLinksIn(mail: ReceivedMail): string[] {
  return mail.text?.match(/https?:\/\/\S+\/signature\/[A-Za-z0-9_-]{43}/g) ?? [];
}

/** Signs as a browser would, waits for the confirmation email, and (unless told not to) presses its button. */
async function sign(fields: Record<string, string>, opts: { confirm?: boolean } = {}) {
  const res = await postForm(petitionUrl(), signingForm(fields));
  expect(res.status).toBe(302);
  const mail = await smtp.waitFor(fields.email, isConfirmation);
  if (opts.confirm !== false) expect((await postForm(confirmLinkIn(mail), { intent: "confirm" })).status).toBe(302);
  await allSent(fields.email);
  const [manageLink] = manageLinksIn(mail);
  return { manageLink, signature: await signatureOf(fields.email) };
}

/** Waits until the worker has recorded every email to `address` as sent (it does so just after the SMTP server takes it). */
async function allSent(address: string) {
  for (let i = 0; i < 100; i++) {
    const rows = await outboxTo(app.db, address);
    if (rows.length > 0 && rows.every((r) => r.status === "sent")) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`The emails to ${address} were not all sent`);
}

async function signatureOf(email: string): Promise<Signature> {
  const petition = await getPetition(app.db, OPEN_SLUG);
  return app.db
    .selectFrom("signatures")
    .selectAll()
    .where("petition_id", "=", petition.id)
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
}

async function rowById(id: number) {
  return app.db.selectFrom("signatures").selectAll().where("id", "=", id).executeTakeFirst();
}

async function petitionPage(): Promise<string> {
  return (await fetch(petitionUrl())).text();
}

/** Everything a change could touch: every signature, the counts, the audit log. */
async function snapshot() {
  return {
    signatures: await app.db.selectFrom("signatures").selectAll().orderBy("id").execute(),
    counts: await countsFor(app.db, OPEN_SLUG),
    audit: await app.db.selectFrom("audit_log").selectAll().orderBy("id").execute(),
  };
}

describe("a signer opens their manage link", () => {
  test("the manage link in the confirmation email opens the signature as stored, and nothing about anyone else", async () => {
    await sign({ name: "Somebody Else", email: "somebody@example.org", nameDisplay: "full" });
    const { manageLink } = await sign(
      {
        name: "Ada Lovelace",
        email: "ada@example.org",
        nameDisplay: "first_initial",
        postcode: "l1 8jq",
        updates: "yes",
      },
      { confirm: false },
    );
    expect(manageLink.startsWith(`${app.url}/signature/`)).toBe(true);

    const res = await fetch(manageLink);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const html = await res.text();
    expect(html).toContain("Manage your signature");
    expect(html).toContain("Make the Merseyside model of policing UK-wide");
    expect(html).toContain("Ada Lovelace");
    expect(html).toContain(`As “<span translate="no">Ada L.</span>”`);
    expect(html).toContain("United Kingdom");
    expect(html).toContain("L1 8JQ");
    expect(html).toMatch(/Updates about this campaign<\/th><td>Yes/);
    expect(html).toContain("Pending: not confirmed yet");
    expect(html).toContain('<meta name="referrer" content="same-origin"/>');
    // Never the address itself, never another signer.
    expect(html).not.toContain("ada@example.org");
    expect(html).not.toContain("Somebody Else");

    const mail = await smtp.waitFor("ada@example.org", isConfirmation);
    expect((await postForm(confirmLinkIn(mail), { intent: "confirm" })).status).toBe(302);
    expect(await (await fetch(manageLink)).text()).toMatch(/Status<\/th><td>Confirmed</);
  });

  test("opening the page (GET or HEAD, with any query) never changes anything", async () => {
    const { manageLink } = await sign({ name: "Grace Hopper", email: "grace@example.org" });
    const before = await snapshot();
    for (const suffix of [
      "",
      "?saved=name-display",
      "?saved=toString",
      "?intent=withdraw&confirm=yes",
      "?intent=erase&confirm=yes",
    ]) {
      expect((await fetch(`${manageLink}${suffix}`)).status).toBe(200);
    }
    expect((await fetch(manageLink, { method: "HEAD" })).status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });
});

describe("a signer changes their signature", () => {
  test("a signer hides their name, then shows only their first name and initial, and the petition page follows", async () => {
    const { manageLink, signature } = await sign({
      name: "Mary Seacole",
      email: "mary@example.org",
      nameDisplay: "full",
    });
    const token = manageLink.split("/").at(-1)!;
    expect(await petitionPage()).toContain("Mary Seacole");

    const hide = await postForm(manageLink, { intent: "name-display", nameDisplay: "hidden" });
    expect(hide.status).toBe(302);
    expect(hide.headers.get("location")).toBe(`/signature/${token}?saved=name-display`);
    expect((await rowById(signature.id))?.name_display).toBe("hidden");
    expect(await petitionPage()).not.toContain("Mary Seacole");
    expect(await (await fetch(new URL(hide.headers.get("location")!, app.url))).text()).toContain("Saved.");

    expect((await postForm(manageLink, { intent: "name-display", nameDisplay: "first_initial" })).status).toBe(302);
    const page = await petitionPage();
    expect(page).toContain("Mary S.");
    expect(page).not.toContain("Mary Seacole");

    const bad = await postForm(manageLink, { intent: "name-display", nameDisplay: "everything" });
    expect(bad.status).toBe(400);
    expect(errorBeside(await bad.text(), "manage-name-display")).toBe("Choose how your name may be shown");
    expect((await rowById(signature.id))?.name_display).toBe("first_initial");
  });

  test("a signer stops updates, then starts them again, and the consent wording's version is recorded", async () => {
    const { manageLink, signature } = await sign({
      name: "Updates Person",
      email: "updates@example.org",
      updates: "yes",
    });
    expect(signature.updates_consent).toBe(1);

    expect((await postForm(manageLink, { intent: "stop-updates" })).status).toBe(302);
    expect((await rowById(signature.id))?.updates_consent).toBe(0);

    await app.db
      .updateTable("signatures")
      .set({ consent_wording_version: "updates-v0" })
      .where("id", "=", signature.id)
      .execute();
    expect((await postForm(manageLink, { intent: "start-updates" })).status).toBe(302);
    expect(await rowById(signature.id)).toMatchObject({
      updates_consent: 1,
      consent_wording_version: UPDATES_CONSENT.version,
    });
  });

  test("a signer who presses withdraw without ticking the box is told why beside it, and nothing changes", async () => {
    const { manageLink } = await sign({ name: "Hasty Person", email: "hasty@example.org" });
    const before = await snapshot();
    const res = await postForm(manageLink, { intent: "withdraw" });
    expect(res.status).toBe(400);
    expect(errorBeside(await res.text(), "withdraw-confirm")).toBe(
      "Tick the box to confirm that you want to withdraw your signature",
    );
    const erase = await postForm(manageLink, { intent: "erase", confirm: "no" });
    expect(erase.status).toBe(400);
    expect(errorBeside(await erase.text(), "erase-confirm")).toBe(
      "Tick the box to confirm that you want your details erased",
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe("a signer withdraws their signature", () => {
  test("withdrawing a counted signature deletes it and takes one off the total and the country's count, with no drift", async () => {
    const { manageLink, signature } = await sign({
      name: "Withdrawing Person",
      email: "withdraw@example.org",
      country: "FR",
      nameDisplay: "full",
    });
    const before = await countsFor(app.db, OPEN_SLUG);
    expect(await petitionPage()).toContain("Withdrawing Person");

    const res = await postForm(manageLink, { intent: "withdraw", confirm: "yes" });
    expect(res.status).toBe(200);
    expect(withoutNonces(await res.text())).toContain("Your signature has been withdrawn");

    expect(await rowById(signature.id)).toBeUndefined();
    const after = await countsFor(app.db, OPEN_SLUG);
    expect(after.total).toBe(before.total - 1);
    expect(after.byCountry.FR ?? 0).toBe(before.byCountry.FR - 1);
    expect(await petitionPage()).not.toContain("Withdrawing Person");
    expect(await recountAll(app.db)).toEqual([]);
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(after);

    // Audited with the petition and the action only; our copies of the emails are gone; the link is dead.
    const [entry] = await app.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "signature.withdraw")
      .execute();
    expect(entry).toMatchObject({
      actor_id: null,
      petition_id: signature.petition_id,
      subject_user_id: null,
      details: null,
    });
    expect(await outboxTo(app.db, "withdraw@example.org")).toEqual([]);
    const again = await fetch(manageLink);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("This link is not valid");
  });

  test("withdrawing a pending signature deletes it and changes no count", async () => {
    const { manageLink, signature } = await sign(
      { name: "Pending Person", email: "pending@example.org" },
      { confirm: false },
    );
    const before = await countsFor(app.db, OPEN_SLUG);
    expect((await postForm(manageLink, { intent: "withdraw", confirm: "yes" })).status).toBe(200);
    expect(await rowById(signature.id)).toBeUndefined();
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
    expect(await recountAll(app.db)).toEqual([]);
  });

  test("withdrawing a signature held by the fraud checks changes no count, and the signer is told what anyone is told", async () => {
    const petition = await getPetition(app.db, OPEN_SLUG);
    const input = {
      name: "Careful Signer",
      email: "careful@example.org",
      country: "DE",
      postcode: null,
      nameDisplay: "full" as const,
      updates: false,
    };
    await storeSignature(app.db, {
      petition,
      input,
      site: { appUrl: app.url },
      holdReason: "over the limit for one address on this petition",
    });
    const mail = await smtp.waitFor("careful@example.org", isConfirmation);
    expect((await postForm(confirmLinkIn(mail), { intent: "confirm" })).status).toBe(302);
    await allSent("careful@example.org");
    expect(await signatureOf("careful@example.org")).toMatchObject({ status: "confirmed", hold: "suspect" });
    const before = await countsFor(app.db, OPEN_SLUG);

    const [manageLink] = manageLinksIn(mail);
    const page = await (await fetch(manageLink)).text();
    expect(page).toMatch(/Status<\/th><td>Confirmed</);
    expect(page).not.toMatch(/suspect|held|limit/i);
    const res = await postForm(manageLink, { intent: "withdraw", confirm: "yes" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("It no longer counts towards the petition.");
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
    expect(await recountAll(app.db)).toEqual([]);
  });
});

describe("a signer erases their details", () => {
  test("erasing keeps the signature counted but overwrites every personal field, and the name is no longer shown", async () => {
    const { manageLink, signature } = await sign({
      name: "Erin Erased",
      email: "erin.erased@example.org",
      country: "IE",
      postcode: "D02 X285",
      nameDisplay: "full",
      updates: "yes",
    });
    // Everything that is about to go was there.
    expect(signature).toMatchObject({
      name: "Erin Erased",
      postcode: "D02 X285",
      email_domain: "example.org",
      updates_consent: 1,
    });
    expect(signature.ip_hash).not.toBeNull();
    expect(signature.network_hash).not.toBeNull();
    expect(signature.manage_token_hash).not.toBeNull();
    expect(await petitionPage()).toContain("Erin Erased");
    const before = await countsFor(app.db, OPEN_SLUG);

    const res = await postForm(manageLink, { intent: "erase", confirm: "yes" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your details have been erased");

    const row = (await rowById(signature.id))!;
    expect(row.name).toBe("");
    expect(row.email).toMatch(/^erased-[0-9a-f-]{36}@invalid$/);
    expect(row.canonical_email).toBe(row.email);
    expect(row.postcode).toBeNull();
    expect(row.name_display).toBe("hidden");
    expect(row.updates_consent).toBe(0);
    expect(row.token_hash).toBeNull();
    expect(row.token_expires_at).toBeNull();
    expect(row.manage_token_hash).toBeNull();
    expect(row.manage_token_expires_at).toBeNull();
    expect(row.ip_hash).toBeNull();
    expect(row.network_hash).toBeNull();
    expect(row.email_domain).toBeNull();
    expect(row.anonymised_at).not.toBeNull();
    // What the counts are made of stays.
    expect(row).toMatchObject({
      status: "confirmed",
      country: "IE",
      confirmed_at: signature.confirmed_at,
      petition_id: signature.petition_id,
      hold: null,
    });
    // Not "d02" alone: the erased row's random placeholder address can hold those three characters.
    expect(JSON.stringify(row).toLowerCase()).not.toMatch(/erin|d02 x285|example\.org/);

    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
    expect(await recountAll(app.db)).toEqual([]);
    expect(await petitionPage()).not.toContain("Erin Erased");
    expect(await outboxTo(app.db, "erin.erased@example.org")).toEqual([]);
    expect((await fetch(manageLink)).status).toBe(404);
    const [entry] = await app.db.selectFrom("audit_log").selectAll().where("action", "=", "signature.erase").execute();
    expect(entry).toMatchObject({ actor_id: null, petition_id: signature.petition_id, details: null });

    // Nothing recognises the address any more.
    expect(await requestManageLinks(app.db, { email: "erin.erased@example.org", site: { appUrl: app.url } })).toBe(
      "none",
    );
  });

  test("erasing a pending signature deletes it; it never counted", async () => {
    const { manageLink, signature } = await sign(
      { name: "Unconfirmed Eraser", email: "eraser@example.org" },
      { confirm: false },
    );
    const before = await countsFor(app.db, OPEN_SLUG);
    expect((await postForm(manageLink, { intent: "erase", confirm: "yes" })).status).toBe(200);
    expect(await rowById(signature.id)).toBeUndefined();
    expect(await countsFor(app.db, OPEN_SLUG)).toEqual(before);
  });
});

describe("a link that does not work", () => {
  const everyChange: Record<string, string>[] = [
    { intent: "name-display", nameDisplay: "full" },
    { intent: "stop-updates" },
    { intent: "start-updates" },
    { intent: "withdraw", confirm: "yes" },
    { intent: "erase", confirm: "yes" },
  ];

  test("an unknown or malformed link shows a page offering new links, and no button changes anything", async () => {
    const before = await snapshot();
    for (const token of [UNKNOWN_TOKEN, "not-a-token"]) {
      const res = await fetch(`${app.url}/signature/${token}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain("This link is not valid");
      expect(html).toContain('href="/signature/request"');
      for (const fields of everyChange) {
        expect((await postForm(`${app.url}/signature/${token}`, fields)).status).toBe(404);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  test("an expired link says so, offers new links, and no button changes anything", async () => {
    const { manageLink, signature } = await sign({
      name: "Late Person",
      email: "late@example.org",
      nameDisplay: "full",
      updates: "yes",
    });
    await app.db
      .updateTable("signatures")
      .set({ manage_token_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", signature.id)
      .execute();
    const before = await snapshot();

    const res = await fetch(manageLink);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain("This link has expired");
    expect(html).toContain('href="/signature/request"');
    expect(html).not.toContain("Late Person");
    for (const fields of everyChange) {
      const post = await postForm(manageLink, fields);
      expect(post.status).toBe(410);
      expect(await post.text()).toContain("This link has expired");
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("a signer asks for their manage links", () => {
  const requestUrl = () => `${app.url}/signature/request`;

  async function request(email: string) {
    const res = await postForm(requestUrl(), { email });
    const location = res.headers.get("location");
    const body = withoutNonces(await res.text());
    const page = location ? withoutNonces(await (await fetch(new URL(location, app.url))).text()) : null;
    return { status: res.status, location, body, page };
  }

  test("a signed and an unsigned address get the identical answer, and only the signed one gets an email, with fresh links", async () => {
    const { manageLink: oldLink } = await sign({
      name: "Linked Person",
      email: "linked.person@gmail.com",
      nameDisplay: "full",
    });

    const unsigned = await request("nobody.at.all@example.org");
    // Typed another way, the same mailbox.
    const signed = await request("Linked.Person+petitions@GMAIL.com");
    expect(signed).toEqual(unsigned);
    expect(signed.status).toBe(302);
    expect(signed.location).toBe("/signature/check-email");
    expect(signed.page).toContain("Check your email");

    const mail = await smtp.waitFor("linked.person@gmail.com", isManageLinks);
    // The unsigned request was handled first; by now it has certainly sent nothing.
    expect(await outboxTo(app.db, "nobody.at.all@example.org")).toEqual([]);
    expect(smtp.to("nobody.at.all@example.org")).toEqual([]);
    expect(smtp.to("linked.person+petitions@gmail.com")).toEqual([]);

    expect(mail.text).toContain("Make the Merseyside model of policing UK-wide");
    expect(mail.html).toBeTruthy();
    const links = manageLinksIn(mail);
    expect(links).toHaveLength(1);
    const fresh = await fetch(links[0]);
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toContain("Linked Person");
    // The new link replaces the old one.
    expect((await fetch(oldLink)).status).toBe(404);
  });

  test("a mistyped address is shown its error beside the field, with what was typed kept", async () => {
    const res = await postForm(requestUrl(), { email: "not an address" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(errorBeside(html, "manage-email")).toBe("Enter an email address like name@example.org");
    expect(valueOf(html, "manage-email")).toBe("not an address");
    expect(withoutTextSeparators(html)).toContain("The links work for 90 days.");
  });

  test("at most three manage-link emails go to one mailbox a day; over that nothing is sent and the last links keep working", async () => {
    await sign({ name: "Often Asking", email: "often@example.org" });
    const site = { appUrl: app.url };
    const t0 = new Date(Date.now() + 60_000);
    const outcomes = [];
    for (let i = 0; i < MAX_MANAGE_LINK_EMAILS_PER_DAY + 2; i++) {
      outcomes.push(
        await requestManageLinks(app.db, { email: "often@example.org", site, now: new Date(t0.getTime() + i * 1000) }),
      );
    }
    expect(outcomes).toEqual(["sent", "sent", "sent", "limited", "limited"]);
    const sent = (await outboxTo(app.db, "often@example.org")).filter((m) => m.kind === "manage-links");
    expect(sent).toHaveLength(MAX_MANAGE_LINK_EMAILS_PER_DAY);
    const lastLink = sent.at(-1)!.text.match(/https?:\/\/\S+\/signature\/[A-Za-z0-9_-]{43}/)![0];
    expect((await fetch(lastLink)).status).toBe(200);

    const nextDay = new Date(t0.getTime() + 24 * 60 * 60 * 1000 + 10_000);
    expect(await requestManageLinks(app.db, { email: "often@example.org", site, now: nextDay })).toBe("sent");
  });
});

describe("finding the way", () => {
  test("every page's footer links to the privacy page and to managing a signature; the signing form links to privacy", async () => {
    const html = await petitionPage();
    expect(hasLink(html, "/privacy", "Privacy")).toBe(true);
    expect(hasLink(html, "/signature/request", "Manage a signature")).toBe(true);
    expect(hasLink(html, "/privacy", "How we use your details")).toBe(true);
  });

  test("the privacy page says how long signatures are kept and how to withdraw or erase one", async () => {
    const res = await fetch(`${app.url}/privacy`);
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/<!-- -->/g, "");
    expect(html).toContain("6 months after a petition closes");
    expect(html).toContain("We never reveal whether an email address has signed");
    expect(hasLink(html, "/signature/request", "Ask for a link to manage your signatures")).toBe(true);
  });
});
