/**
 * An update reaches each subscriber in the language they signed in (signatures.locale): the site's words
 * (subject, links, footer) in theirs, the organizer's own words as written and marked with the campaign's
 * language. Through the real app, the real mail worker and a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recountAll } from "../../app/models/counts.server";
import { UPDATES_CONSENT } from "../../app/schemas/signature.server";
import type { NewSignature } from "../../db/schema";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { TestSmtpServer } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
let olivia: Person;
let petition: MadePetition;

/** A confirmed subscriber, as the signing journey stores one who signed on a page in `locale`. */
function subscriber(email: string, locale: string): NewSignature {
  const now = new Date().toISOString();
  return {
    petition_id: petition.id,
    name: email.split("@")[0],
    email,
    canonical_email: email,
    country: "GB",
    postcode: null,
    name_display: "hidden",
    updates_consent: 1,
    consent_wording_version: UPDATES_CONSENT.version,
    status: "confirmed",
    token_hash: null,
    token_expires_at: null,
    created_at: now,
    updated_at: now,
    confirmed_at: now,
    hold: null,
    hold_reason: null,
    invalidation_id: null,
    ip_hash: null,
    network_hash: null,
    email_domain: "example.org",
    manage_token_hash: null,
    manage_token_expires_at: null,
    anonymised_at: null,
    locale,
  };
}

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  olivia = await signedIn(app, "olivia@example.org");
  petition = await makePetition(app, { state: "open", owner: olivia });
  await app.db
    .insertInto("signatures")
    .values([subscriber("emma@example.org", "en"), subscriber("sofia@example.org", "es")])
    .execute();
  await recountAll(app.db);
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe("an organizer's update reaches each subscriber in their own language", () => {
  const title = "We met the council";
  const body = "Thank you all. We met the **cabinet member** on Tuesday.";

  test("an organizer posts an update; an English subscriber and a Spanish one each get it in theirs", async () => {
    const created = await browser(app, olivia).post(`/organize/${petition.id}/updates/new`, {
      intent: "save",
      title,
      body,
    });
    expect(created.status).toBe(302);
    const updateId = Number((created.headers.get("location") ?? "").split("/")[4].split("?")[0]);
    const published = await browser(app, olivia).post(`/organize/${petition.id}/updates/${updateId}`, {
      intent: "publish",
      email: "yes",
    });
    expect(published.status).toBe(302);

    const isUpdate = (m: { subject?: string }) => m.subject === `${title} (${petition.title})`;
    const emma = await smtp.waitFor("emma@example.org", isUpdate);
    const sofia = await smtp.waitFor("sofia@example.org", isUpdate);

    // Emma signed in English.
    expect(emma.html).toContain('<html lang="en">');
    expect(emma.text).toContain(`An update on "${petition.title}"`);
    expect(emma.text).toContain("Stop updates from this campaign: ");
    expect(emma.html).toContain("Read it on the campaign’s page");
    expect(emma.html).not.toContain("Dejar de recibir");

    // Sofía signed in Spanish: the site's words are in Spanish, the organizer's as written, marked as English.
    expect(sofia.html).toContain('<html lang="es">');
    expect(sofia.text).toContain(`Una actualización sobre "${petition.title}"`);
    expect(sofia.text).toContain("Dejar de recibir actualizaciones de esta campaña: ");
    expect(sofia.text).toContain("Recibes actualizaciones porque firmaste esta petición y las pediste.");
    expect(sofia.html).toContain("Léela en la página de la campaña");
    expect(sofia.html).not.toContain("Stop updates from this campaign");
    expect(sofia.html).toContain(`<h1 lang="en" style="font-size:22px;line-height:1.25;margin:0 0 12px">${title}</h1>`);
    expect(sofia.html).toContain("<strong>cabinet member</strong>");
    expect(sofia.text).toContain("Thank you all. We met the cabinet member on Tuesday.");

    // Each copy carries its own reader's links, in place of the placeholders.
    for (const mail of [emma, sofia]) {
      expect(mail.text).not.toContain("%%");
      expect(mail.html).not.toContain("%%");
      expect(mail.text).toMatch(/\/unsubscribe\/\S+/);
    }
    expect(sofia.text?.match(/\/unsubscribe\/(\S+)/)?.[1]).not.toBe(emma.text?.match(/\/unsubscribe\/(\S+)/)?.[1]);
  });
});
