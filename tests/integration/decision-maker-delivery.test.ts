/**
 * Delivering a petition to the people it is addressed to: organizers give each decision maker an address
 * and milestones; the count fold sends the petition at each milestone, once, with its count by country and
 * a private link, through the outbox to a real SMTP server; "Deliver now" sends it by hand; the address
 * stays with the organizers; editing a draft keeps it with the right person.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { withdrawSignature } from "../../app/models/manage-signature.server";
import { foldCounts } from "../../app/services/counting.server";
import { confirm } from "../../app/services/signing.server";
import type { PetitionDraftInput } from "../../app/schemas/petition.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { errorBeside, valueOf, withoutTextSeparators } from "../helpers/html";
import {
  browser,
  completePetition,
  makePetition,
  petitionFields,
  signedIn,
  type MadePetition,
  type Person,
} from "../helpers/session";
import { respondTokenIn, seedSigners } from "../helpers/signers";
import { TestSmtpServer } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
let olivia: Person; // owns the petitions
let colin: Person; // co-organizes them
let oscar: Person; // organizes a petition of his own
let mo: Person; // a moderator

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  olivia = await signedIn(app, "olivia@example.org");
  colin = await signedIn(app, "colin@example.org");
  oscar = await signedIn(app, "oscar@example.org");
  mo = await signedIn(app, "mo@example.org", ["moderator"]);
  await makePetition(app, { state: "open", owner: oscar });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

const site = () => ({ appUrl: app.config.appUrl });

/** A petition addressed to these decision makers (name, title), owned by Olivia with Colin. */
function addressedTo(makers: [string, string][], overrides: Partial<Record<"goal", string>> = {}): PetitionDraftInput {
  return { ...completePetition(overrides), decisionMakers: makers.map(([name, role]) => ({ name, role })) };
}

async function makersOf(petitionId: number) {
  return app.db
    .selectFrom("decision_makers")
    .selectAll()
    .where("petition_id", "=", petitionId)
    .orderBy("position")
    .execute();
}

async function deliveriesTo(makerId: number) {
  return app.db.selectFrom("deliveries").selectAll().where("decision_maker_id", "=", makerId).orderBy("id").execute();
}

/** Sets a decision maker's address and milestones through the organizers' form, as Olivia. */
async function setDelivery(
  petitionId: number,
  makerId: number,
  fields: { contactEmail: string; deliverAt: string; deliverCounts?: string },
) {
  const res = await browser(app, olivia).post(`/organize/${petitionId}/decision-makers/${makerId}`, {
    deliverCounts: "",
    ...fields,
  });
  expect(res.status, await res.clone().text()).toBe(302);
}

describe("an organizer chooses where and when the petition is sent", () => {
  test("the address is shown to the organizers and nobody else: not the public page, the printed petition, the export, or the audit log", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia, coOrganizer: colin });
    const [maker] = await makersOf(p.id);
    const address = "culture.cabinet@riverside.example.org";
    await setDelivery(p.id, maker.id, { contactEmail: address, deliverAt: "counts", deliverCounts: "1,000 250 1000" });

    const row = (await makersOf(p.id))[0];
    expect(row).toMatchObject({ contact_email: address, deliver_at: "counts", deliver_counts: "250,1000" });
    for (const organizer of [olivia, colin]) {
      const page = withoutTextSeparators(
        await (await browser(app, organizer).get(`/organize/${p.id}/decision-makers`)).text(),
      );
      expect(page).toContain(address);
      expect(page).toContain("When the petition reaches 250, 1,000 signatures.");
    }
    const settings = await (await browser(app, olivia).get(`/organize/${p.id}/decision-makers/${maker.id}`)).text();
    expect(valueOf(settings, "contactEmail")).toBe(address);
    expect(valueOf(settings, "deliverCounts")).toBe("250 1,000");

    for (const [who, path] of [
      [null, `/petitions/${p.slug}`],
      [null, `/petitions/${p.slug}/updates.atom`],
      [olivia, `/organize/${p.id}/deliver`],
      [olivia, `/organize/${p.id}/export.csv`],
      [olivia, `/organize/${p.id}`],
      [mo, `/organize/${p.id}`],
      [mo, `/organize/${p.id}/decision-makers`],
      [oscar, `/organize/${p.id}/decision-makers`],
    ] as const) {
      const res = await browser(app, who).get(path);
      expect(await res.text(), `${who?.email ?? "the public"} at ${path}`).not.toContain(address);
    }
    const audit = await app.db.selectFrom("audit_log").select("details").where("petition_id", "=", p.id).execute();
    expect(audit.map((a) => a.details ?? "").join("\n")).not.toContain(address);
    expect(audit.map((a) => a.details ?? "").join("\n")).toContain('"address":"added"');
  });

  test("bad answers on the settings form get a 400 naming each problem beside its field, and keep what was typed", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const [maker] = await makersOf(p.id);
    const path = `/organize/${p.id}/decision-makers/${maker.id}`;
    const cases: [Record<string, string>, string, string][] = [
      [
        { contactEmail: "not an address", deliverAt: "goal" },
        "contactEmail",
        "Enter an email address like name@example.org",
      ],
      [
        { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "" },
        "deliverCounts",
        "Enter at least one count, like 10,000",
      ],
      [
        { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "ten thousand" },
        "deliverCounts",
        "“ten” is not a whole number",
      ],
      [
        { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "0" },
        "deliverCounts",
        "Each count must be between 1 and 10,000,000",
      ],
      [
        { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "1 2 3 4 5 6 7 8 9 10 11" },
        "deliverCounts",
        "Choose at most 10 counts",
      ],
      [{ contactEmail: "a@example.org", deliverAt: "sometimes" }, "deliverAt", "Choose when the petition is sent"],
      [{ contactEmail: "a@example.org" }, "deliverAt", "Choose when the petition is sent"],
    ];
    for (const [fields, field, message] of cases) {
      const res = await browser(app, olivia).post(path, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const html = await res.text();
      expect(errorBeside(html, field), JSON.stringify(fields)).toBe(message);
      if (fields.contactEmail) expect(valueOf(html, "contactEmail")).toBe(fields.contactEmail);
      if (fields.deliverCounts) expect(valueOf(html, "deliverCounts")).toBe(fields.deliverCounts);
    }
    expect((await makersOf(p.id))[0]).toMatchObject({ contact_email: null, deliver_at: "goal", deliver_counts: null });
  });

  test("an organizer reading in Welsh or Spanish is told what is wrong in their language, figures written its way", async () => {
    const p = await makePetition(app, { state: "open", owner: olivia });
    const [maker] = await makersOf(p.id);
    const path = `/organize/${p.id}/decision-makers/${maker.id}`;
    const cases: [string, Record<string, string>, string][] = [
      [
        "cy",
        { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "deg" },
        "Nid yw “deg” yn rhif cyfan",
      ],
      ["cy", { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "0" }, "rhwng 1 a 10,000,000"],
      ["es", { contactEmail: "a@example.org", deliverAt: "counts", deliverCounts: "0" }, "entre 1 y 10.000.000"],
      ["es", { contactEmail: "no es una dirección", deliverAt: "goal" }, "Escribe una dirección de correo"],
    ];
    for (const [lang, fields, message] of cases) {
      const res = await browser(app, olivia).post(`${path}?lang=${lang}`, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html, `${lang} ${JSON.stringify(fields)}`).toContain(message);
    }
  });

  test("editing a draft keeps a decision maker's address with their name, and drops it for a renamed one", async () => {
    const input = addressedTo([
      ["The Home Secretary", "Home Office"],
      ["The Prime Minister", ""],
    ]);
    const p = await makePetition(app, { state: "draft", owner: olivia, input });
    const [home, prime] = await makersOf(p.id);
    await setDelivery(p.id, home.id, { contactEmail: "home@example.org", deliverAt: "goal" });
    await setDelivery(p.id, prime.id, { contactEmail: "prime@example.org", deliverAt: "manual" });

    // Olivia reorders them, renames the Prime Minister and adds a third.
    const edited: PetitionDraftInput = {
      ...input,
      decisionMakers: [
        { name: "The Chancellor", role: "HM Treasury" },
        { name: "the home secretary", role: "Home Office" },
        { name: "The First Lord of the Treasury", role: "" },
      ],
    };
    const res = await browser(app, olivia).post(`/organize/${p.id}/edit`, petitionFields(edited, "save"));
    expect(res.status).toBeLessThan(400);
    const after = await makersOf(p.id);
    expect(after.map((m) => [m.name, m.contact_email])).toEqual([
      ["The Chancellor", null],
      ["the home secretary", "home@example.org"],
      ["The First Lord of the Treasury", null],
    ]);
    expect(after[1].id).toBe(home.id);
    expect(after.some((m) => m.id === prime.id)).toBe(false);
  });
});

describe("the petition is delivered at its milestones", () => {
  test("each decision maker gets it once per milestone they chose, with the count by country and a private link; a count that falls and rises again sends nothing twice", async () => {
    const input = addressedTo(
      [
        ["Councillor Priya Shah", "Cabinet Member for Culture"],
        ["The Council Leader", "Riverside Borough Council"],
        ["The Mayor", ""],
        ["The Chief Executive", ""],
      ],
      { goal: "10" },
    );
    const p = await makePetition(app, { state: "open", owner: olivia, coOrganizer: colin, input });
    const [shah, leader, mayor, chief] = await makersOf(p.id);
    await setDelivery(p.id, shah.id, {
      contactEmail: "shah@riverside.example.org",
      deliverAt: "counts",
      deliverCounts: "5 8",
    });
    await setDelivery(p.id, leader.id, { contactEmail: "leader@riverside.example.org", deliverAt: "goal" });
    await setDelivery(p.id, mayor.id, { contactEmail: "mayor@riverside.example.org", deliverAt: "manual" });
    // The chief executive has no address: nothing is sent to them, whatever the count.

    await seedSigners(app.db, p.id, 3, { prefix: `milestone-${p.id}-gb` });
    await seedSigners(app.db, p.id, 1, { prefix: `milestone-${p.id}-ie`, country: "IE" });
    const pending = await seedSigners(app.db, p.id, 7, { prefix: `milestone-${p.id}-new`, status: "pending" });

    // The fifth signer confirms; the fold (every second in production, here at once) passes 5.
    expect((await confirm(app.db, pending[0])).state).toBe("confirmed");
    await foldCounts(app.db, site());
    const mail = await smtp.waitFor("shah@riverside.example.org");
    expect(mail.subject).toBe(`A petition to you, signed by 5: ${p.title}`);
    expect(mail.text).toContain("To Councillor Priya Shah, Cabinet Member for Culture,");
    expect(mail.text).toContain("It has passed 5 signatures");
    expect(mail.text).toContain("United Kingdom: 4\nIreland: 1");
    expect(mail.text).toContain(input.body.slice(0, 60));
    const token = respondTokenIn(mail.text ?? "");
    expect(mail.text).toContain(`${app.url}/respond/${token}/petition`);
    expect(await deliveriesTo(shah.id)).toMatchObject([{ milestone: 5, signature_count: 5, opened_at: null }]);
    const stored = (await deliveriesTo(shah.id))[0];
    expect(stored.token_hash).not.toContain(token);

    // A signer withdraws (the count falls to 4), and another confirms (back to 5): nothing is sent again.
    const withdrawn = newToken();
    await app.db
      .updateTable("signatures")
      .set({ manage_token_hash: withdrawn.hash, manage_token_expires_at: expiresAt(new Date(), DAY_MS) })
      .where("email", "=", `milestone-${p.id}-gb-1@example.org`)
      .execute();
    expect(await withdrawSignature(app.db, { token: withdrawn.token })).not.toBeNull();
    await foldCounts(app.db, site());
    expect((await confirm(app.db, pending[1])).state).toBe("confirmed");
    await foldCounts(app.db, site());
    expect(await deliveriesTo(shah.id)).toHaveLength(1);

    // 8 reached: the councillor's second milestone.
    for (const t of pending.slice(2, 5)) expect((await confirm(app.db, t)).state).toBe("confirmed");
    await foldCounts(app.db, site());
    expect((await deliveriesTo(shah.id)).map((d) => d.milestone)).toEqual([5, 8]);

    // Two confirm between folds: the count passes 9 and 10 in one step, and the goal (10) is delivered once.
    for (const t of pending.slice(5, 7)) expect((await confirm(app.db, t)).state).toBe("confirmed");
    await foldCounts(app.db, site());
    await smtp.waitFor("leader@riverside.example.org");
    expect(await deliveriesTo(leader.id)).toMatchObject([{ milestone: 10, signature_count: 10 }]);
    expect((await deliveriesTo(shah.id)).map((d) => d.milestone)).toEqual([5, 8]);
    expect(await deliveriesTo(mayor.id)).toEqual([]);
    expect(await deliveriesTo(chief.id)).toEqual([]);

    const sent = await app.db
      .selectFrom("outbox")
      .select("to_address")
      .where("kind", "=", "petition-delivery")
      .where("to_address", "like", "%@riverside.example.org")
      .execute();
    expect(sent.map((s) => s.to_address).sort()).toEqual([
      "leader@riverside.example.org",
      "shah@riverside.example.org",
      "shah@riverside.example.org",
    ]);

    // The organizers see each delivery: when, at what count, why, and that nobody has opened it yet.
    const page = withoutTextSeparators(
      await (await browser(app, olivia).get(`/organize/${p.id}/decision-makers`)).text(),
    );
    expect(page).toContain("Passed 5");
    expect(page).toContain("Passed 8");
    expect(page).toContain("Passed 10");
    expect(page).toContain("Not yet");
  });
});

describe("an organizer delivers the petition by hand", () => {
  let p: MadePetition;
  let makerId: number;
  let otherId: number;
  beforeAll(async () => {
    p = await makePetition(app, {
      state: "open",
      owner: olivia,
      input: addressedTo([
        ["The Mayor", "Riverside"],
        ["The Clerk", ""],
      ]),
    });
    [{ id: makerId }, { id: otherId }] = await makersOf(p.id);
    await setDelivery(p.id, makerId, { contactEmail: "mayor@by-hand.example.org", deliverAt: "manual" });
  });
  const press = (fields: Record<string, string>) =>
    browser(app, olivia).post(`/organize/${p.id}/decision-makers`, fields);

  test("'Deliver now' sends it at once; a second press the same day is refused with the time it may go again", async () => {
    const res = await press({ intent: "deliver", makerId: String(makerId) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${p.id}/decision-makers?delivered=${makerId}#maker-${makerId}`);
    const mail = await smtp.waitFor("mayor@by-hand.example.org");
    expect(mail.text).toContain("Its organizers asked us to deliver it to you.");
    expect(await deliveriesTo(makerId)).toMatchObject([{ milestone: null, created_by: olivia.id }]);

    const again = await press({ intent: "deliver", makerId: String(makerId) });
    expect(again.status).toBe(400);
    const html = withoutTextSeparators(await again.text());
    expect(html).toMatch(/It was delivered to this address on .+ UTC\. You can deliver it again from .+ UTC/);
    expect(await deliveriesTo(makerId)).toHaveLength(1);
  });

  test("a new address may be sent it at once, and the links sent to the old one stop working", async () => {
    await setDelivery(p.id, makerId, { contactEmail: "mayor.office@by-hand.example.org", deliverAt: "manual" });
    const [first] = await deliveriesTo(makerId);
    expect(first.revoked_at).not.toBeNull();
    const res = await press({ intent: "deliver", makerId: String(makerId) });
    expect(res.status).toBe(302);
    await smtp.waitFor("mayor.office@by-hand.example.org");
    expect(await deliveriesTo(makerId)).toHaveLength(2);
  });

  test("pressing it for a decision maker without an address, or with a made-up request, is a 400 that says why", async () => {
    // The button is offered only where there is somewhere to send it.
    const page = await (await browser(app, olivia).get(`/organize/${p.id}/decision-makers`)).text();
    expect(page.split(">Deliver now</button>")).toHaveLength(2);
    expect(page).toContain("Give them an email address to send them the petition.");
    const before = await app.db.selectFrom("deliveries").select("id").execute();
    const noAddress = await press({ intent: "deliver", makerId: String(otherId) });
    expect(noAddress.status).toBe(400);
    expect(await noAddress.text()).toContain("Add their email address first: there is nowhere to send it.");
    const nonsense = await press({ intent: "shout", makerId: String(makerId) });
    expect(nonsense.status).toBe(400);
    expect(await nonsense.text()).toContain("Choose Deliver now or Revoke the links");
    const nothingToRevoke = await press({ intent: "revoke", makerId: String(otherId) });
    expect(nothingToRevoke.status).toBe(400);
    expect(await nothingToRevoke.text()).toContain("There is no live link to revoke.");
    // Another petition's decision maker, through this petition's page: not found.
    const [oscars] = await app.db
      .selectFrom("decision_makers as m")
      .innerJoin("petition_organizers as o", "o.petition_id", "m.petition_id")
      .select("m.id")
      .where("o.user_id", "=", oscar.id)
      .execute();
    expect((await press({ intent: "deliver", makerId: String(oscars.id) })).status).toBe(404);
    expect(await app.db.selectFrom("deliveries").select("id").execute()).toEqual(before);
  });

  test("a draft is not delivered: the button is not offered, and a forged press says why", async () => {
    const draft = await makePetition(app, { state: "draft", owner: olivia });
    const [maker] = await makersOf(draft.id);
    await setDelivery(draft.id, maker.id, { contactEmail: "draft@example.org", deliverAt: "goal" });
    const page = await (await browser(app, olivia).get(`/organize/${draft.id}/decision-makers`)).text();
    expect(page).not.toContain(">Deliver now</button>");
    const res = await browser(app, olivia).post(`/organize/${draft.id}/decision-makers`, {
      intent: "deliver",
      makerId: String(maker.id),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The petition can be delivered once it is published.");
    expect(await deliveriesTo(maker.id)).toEqual([]);
  });
});
