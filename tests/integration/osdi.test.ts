import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translator } from "../../app/lib/i18n.server";
import { HELPER_LIMIT } from "../../app/services/osdi.server";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import {
  OsdiClient,
  SPEC_AEP,
  SPEC_COLLECTION,
  SPEC_PETITION,
  SPEC_SIGNATURE,
  shapeProblems,
  specRecordSignatureRequest,
  type HalDocument,
} from "../helpers/osdi-client";
import { browser, makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { signingForm, storeSignature } from "../helpers/signing";
import { confirmLinkIn, TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

let smtp: TestSmtpServer;
let app: TestApp;
let owner: Person;
let rival: Person;
let mine: MadePetition;
let theirs: MadePetition;
let token: string;
let entryPoint: string;

const IP_HASH = "ip-hash-that-must-never-leave-the-database";
const isConfirmation = (m: ReceivedMail) => m.subject?.startsWith("Please confirm your signature") ?? false;

/** An organizer makes a token on their API tokens page, as a browser without JavaScript would. */
async function makeToken(person: Person, name: string): Promise<string> {
  const res = await browser(app, person).post("/organize/api-tokens", { intent: "create", name });
  expect(res.status).toBe(200);
  expect(res.headers.get("cache-control")).toMatch(/no-store/);
  const match = (await res.text()).match(
    /id="new-token"[^>]*value="([A-Za-z0-9_-]{43})"|value="([A-Za-z0-9_-]{43})"[^>]*id="new-token"/,
  );
  if (!match) throw new Error("The page did not show the new token");
  return match[1] ?? match[2];
}

async function sign(
  petition: MadePetition,
  s: {
    name: string;
    email: string;
    display: "full" | "first_initial" | "hidden";
    updates: boolean;
    postcode?: string;
    confirmed?: boolean;
    held?: boolean;
  },
) {
  await storeSignature(app.db, {
    petition,
    input: {
      name: s.name,
      email: s.email,
      country: "GB",
      postcode: s.postcode ?? null,
      nameDisplay: s.display,
      updates: s.updates,
    },
    site: { appUrl: app.url },
    client: { ipHash: IP_HASH, networkHash: `${IP_HASH}-network` },
    holdReason: s.held ? "a test's hold" : null,
  });
  if (s.confirmed === false) return;
  await app.db
    .updateTable("signatures")
    .set({ status: "confirmed", confirmed_at: new Date().toISOString(), token_hash: null })
    .where("petition_id", "=", petition.id)
    .where("email", "=", s.email)
    .execute();
}

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  app = await startTestApp({ smtpUrl: smtp.url });
  owner = await signedIn(app, "organizer@example.org");
  rival = await signedIn(app, "rival@example.org");
  mine = await makePetition(app, { state: "open", owner });
  theirs = await makePetition(app, { state: "open", owner: rival });
  await sign(mine, {
    name: "Ada Consenting",
    email: "ada.consents@example.org",
    display: "full",
    updates: true,
    postcode: "L1 8JQ",
  });
  await sign(mine, {
    name: "Hana Hidden",
    email: "hana.hidden@example.org",
    display: "hidden",
    updates: false,
    postcode: "SW1A 1AA",
  });
  for (let i = 0; i < 25; i++) {
    await sign(mine, {
      name: `Signer Number${i}`,
      email: `signer${i}@example.org`,
      display: "first_initial",
      updates: i % 2 === 0,
    });
  }
  await sign(mine, {
    name: "Pat Pending",
    email: "pat.pending@example.org",
    display: "full",
    updates: true,
    confirmed: false,
  });
  await sign(mine, { name: "Hal Held", email: "hal.held@example.org", display: "full", updates: true, held: true });
  await sign(theirs, { name: "Theo Theirs", email: "theo.theirs@example.org", display: "full", updates: true });
  token = await makeToken(owner, "Action Network");
  entryPoint = `${app.url}/api/osdi/v1`;
});
afterAll(async () => {
  await app.stop();
  await smtp.stop();
});

/** Every OSDI answer the client saw, as text, for the privacy checks. */
const seen: string[] = [];
function client(t: string | null = token) {
  const c = new OsdiClient(entryPoint, t);
  const get = c.get.bind(c);
  c.get = async (href: string) => {
    const res = await get(href);
    seen.push(JSON.stringify(res.body));
    return res;
  };
  return c;
}

async function myPetition(c: OsdiClient): Promise<HalDocument> {
  const aep = await c.aep();
  const { items } = await c.all(OsdiClient.link(aep, "osdi:petitions"), "osdi:petitions");
  const found = items.find((p) => (p.identifiers as string[]).some((id) => id.endsWith(`:${mine.id}`)));
  if (!found) throw new Error("The organizer's petition is not in osdi:petitions");
  return found;
}

describe("a CRM reads an organizer's campaigns through OSDI", () => {
  test("a CRM discovers the entry point and finds only its organizer's petitions by following links", async () => {
    const c = client();
    const res = await c.get(entryPoint);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/hal\+json/);
    expect(shapeProblems(SPEC_AEP, res.body, ["osdi_version", "max_pagesize", "namespace", "_links"])).toEqual([]);
    expect(res.body.max_pagesize).toBe(25);
    expect((res.body._links!.curies as unknown as { name: string }[])[0].name).toBe("osdi");

    const petitions = await c.get(OsdiClient.link(res.body, "osdi:petitions"));
    expect(petitions.status).toBe(200);
    expect(
      shapeProblems(SPEC_COLLECTION, petitions.body, ["total_pages", "per_page", "page", "total_records"]),
    ).toEqual([]);
    const items = petitions.body._embedded!["osdi:petitions"] as HalDocument[];
    expect(petitions.body.total_records).toBe(items.length);
    const ids = items.flatMap((p) => p.identifiers as string[]);
    expect(ids).toContain(`undersigned:${mine.id}`);
    expect(ids).not.toContain(`undersigned:${theirs.id}`);
    for (const p of items) {
      expect(
        shapeProblems(SPEC_PETITION, p, [
          "identifiers",
          "origin_system",
          "title",
          "browser_url",
          "total_signatures",
          "_links",
        ]),
      ).toEqual([]);
      // The petition's own address answers with the same petition.
      const self = await c.get(OsdiClient.link(p, "self"));
      expect(self.body.identifiers).toEqual(p.identifiers);
    }
  });

  test("a CRM pages through a petition's confirmed signatures with next and previous links", async () => {
    const c = client();
    const petition = await myPetition(c);
    const { items, pages } = await c.all(OsdiClient.link(petition, "osdi:signatures"), "osdi:signatures");
    // 27 confirmed; the pending and the held one are not signatures yet.
    expect(items).toHaveLength(27);
    expect(pages.map((p) => [p.page, p.per_page, p.total_pages, p.total_records])).toEqual([
      [1, 25, 2, 27],
      [2, 25, 2, 27],
    ]);
    expect(pages[0]._links!.previous).toBeUndefined();
    expect(pages[1]._links!.next).toBeUndefined();
    expect(OsdiClient.link(pages[1], "previous")).toMatch(/page=1/);
    for (const s of items) {
      expect(
        shapeProblems(SPEC_SIGNATURE, s, ["identifiers", "origin_system", "created_date", "action_date", "_links"]),
      ).toEqual([]);
      expect(OsdiClient.link(s, "osdi:petition")).toBe(OsdiClient.link(petition, "self"));
    }
    const one = await c.get(OsdiClient.link(items[0], "self"));
    expect(one.body.identifiers).toEqual(items[0].identifiers);

    const small = await c.all(`${OsdiClient.link(petition, "osdi:signatures")}?per_page=10`, "osdi:signatures");
    expect(small.pages.map((p) => p.per_page)).toEqual([10, 10, 10]);
    expect(small.items.map((s) => s.identifiers)).toEqual(items.map((s) => s.identifiers));
    // More than max_pagesize is the largest page, as the entry point says.
    const big = await c.get(`${OsdiClient.link(petition, "osdi:signatures")}?per_page=500`);
    expect(big.body.per_page).toBe(25);
    const bad = await c.get(`${OsdiClient.link(petition, "osdi:signatures")}?page=zero`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"properties":["page"]');
  });

  test("a CRM sees an email only where the signer agreed to updates, never a hidden name, a postcode or an address hash", async () => {
    const c = client();
    const petition = await myPetition(c);
    const { items } = await c.all(OsdiClient.link(petition, "osdi:signatures"), "osdi:signatures");
    const people = items.map((s) => (s._embedded as Record<string, Record<string, unknown>>)["osdi:person"]);
    const ada = people.find((p) => p.family_name === "Consenting");
    expect(ada).toMatchObject({
      given_name: "Ada",
      email_addresses: [{ address: "ada.consents@example.org", primary: true }],
      postal_addresses: [{ country: "GB" }],
    });
    const everything = seen.join("\n");
    for (const secret of [
      "hana.hidden@example.org",
      "Hana",
      "L1 8JQ",
      "SW1A 1AA",
      IP_HASH,
      "signer1@example.org",
      "signer3@example.org",
      "pat.pending@example.org",
      "hal.held@example.org",
      "Theo",
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).toContain("signer0@example.org");
  });
});

describe("a caller without a good token is refused", () => {
  const problem = (body: HalDocument) => body.response_code;

  test("a caller with no token, a made-up one or a revoked one gets a 401 with an OSDI error", async () => {
    const petitions = `${entryPoint}/petitions`;
    for (const t of [null, "not-a-token", "A".repeat(43)]) {
      const res = await client(t).get(petitions);
      expect(res.status).toBe(401);
      expect(problem(res.body)).toBe(401);
    }
    const spare = await makeToken(owner, "Spare");
    expect((await client(spare).get(petitions)).status).toBe(200);
    const page = await (await browser(app, owner).get("/organize/api-tokens")).text();
    const id = await app.db.selectFrom("api_tokens").select("id").where("name", "=", "Spare").executeTakeFirstOrThrow();
    expect(page).toContain("Spare");
    const revoked = await browser(app, owner).post("/organize/api-tokens", {
      intent: "revoke",
      tokenId: String(id.id),
    });
    expect(revoked.status).toBe(200);
    expect((await client(spare).get(petitions)).status).toBe(401);
    const log = await app.db.selectFrom("audit_log").select("action").where("actor_id", "=", owner.id).execute();
    expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(["api-token.create", "api-token.revoke"]));
    // Nobody else can revoke it: another organizer's try finds nothing.
    const other = await browser(app, rival).post("/organize/api-tokens", { intent: "revoke", tokenId: String(id.id) });
    expect(other.status).toBe(404);
  });

  test("an organizer's token finds another organizer's petition exactly as it finds one that does not exist", async () => {
    const c = client();
    const base = `${entryPoint}/petitions`;
    for (const path of ["", "/signatures"]) {
      const theirsRes = await c.get(`${base}/${theirs.id}${path}`);
      const noneRes = await c.get(`${base}/99999999${path}`);
      expect(theirsRes.status).toBe(404);
      expect(noneRes.status).toBe(404);
      expect(theirsRes.body).toEqual(noneRes.body);
    }
    const theo = await app.db
      .selectFrom("signatures")
      .select("id")
      .where("email", "=", "theo.theirs@example.org")
      .executeTakeFirstOrThrow();
    expect((await c.get(`${base}/${theirs.id}/signatures/${theo.id}`)).status).toBe(404);
    expect((await c.get(`${base}/${mine.id}/signatures/${theo.id}`)).status).toBe(404);
    const post = await c.post(
      `${base}/${theirs.id}/record_signature_helper`,
      specRecordSignatureRequest("x@example.org"),
    );
    expect(post.status).toBe(404);
    expect(await app.db.selectFrom("signatures").select("id").where("email", "=", "x@example.org").execute()).toEqual(
      [],
    );
  });
});

describe("a CRM records a signature through the helper", () => {
  test("a recorded signature is not counted until its signer presses the link in the confirmation email", async () => {
    const c = client();
    const petition = await myPetition(c);
    const before = petition.total_signatures as number;
    const email = "labadie@example.org";
    const res = await c.post(
      OsdiClient.link(petition, "osdi:record_signature_helper"),
      specRecordSignatureRequest(email),
    );
    expect(res.status).toBe(200);
    expect(OsdiClient.link(res.body, "osdi:petition")).toBe(OsdiClient.link(petition, "self"));

    const stored = await app.db
      .selectFrom("signatures")
      .selectAll()
      .where("email", "=", email)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      status: "pending",
      source: "api:Action Network",
      name: "Labadie Edwin",
      name_display: "hidden",
      updates_consent: 0,
      country: "RU",
      hold: null,
    });
    expect(JSON.parse(stored.referrer_data!)).toEqual({
      source: "facebook-101016-mainpage",
      referrer: "jane-doe",
      website: "facebook.com",
      url: "https://facebook.com/posts/12345",
    });
    expect((await c.get(OsdiClient.link(petition, "self"))).body.total_signatures).toBe(before);

    const mail = await smtp.waitFor(email, isConfirmation);
    const confirmed = await postForm(confirmLinkIn(mail), { intent: "confirm" });
    expect(confirmed.status).toBe(302);

    expect((await c.get(OsdiClient.link(petition, "self"))).body.total_signatures).toBe(before + 1);
    const { items } = await c.all(OsdiClient.link(petition, "osdi:signatures"), "osdi:signatures");
    const recorded = items.find((s) => (s.identifiers as string[]).includes(`undersigned:${stored.id}`));
    expect(recorded?.referrer_data).toEqual(JSON.parse(stored.referrer_data!));
    // The CRM chose neither to show the name nor to send updates: the signer did not.
    expect(JSON.stringify(recorded)).not.toContain("Labadie");
    expect(JSON.stringify(recorded)).not.toContain(email);

    const csv = await (await browser(app, owner).get(`/organize/${mine.id}/export.csv`)).text();
    expect(csv).toContain("api:Action Network");
    expect(csv).toContain("facebook-101016-mainpage");
  });

  test("a signer who signs on the page is kept as from the web, with no referrer data a form could make up", async () => {
    const res = await postForm(
      `${app.url}/petitions/${mine.slug}`,
      signingForm({ email: "web.signer@example.org", referrer_data: '{"source":"forged"}', source: "api:forged" }),
    );
    expect(res.status).toBe(302);
    const row = await app.db
      .selectFrom("signatures")
      .select(["source", "referrer_data"])
      .where("email", "=", "web.signer@example.org")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ source: "web", referrer_data: null });
  });

  test("a CRM that sends no email address, or no JSON, is told what is wrong and nothing is stored", async () => {
    const c = client();
    const helper = `${entryPoint}/petitions/${mine.id}/record_signature_helper`;
    const noEmail = specRecordSignatureRequest("unused@example.org");
    noEmail.person.email_addresses = [];
    const res = await c.post(helper, noEmail);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('"properties":["person.email_addresses"]');

    const badEmail = await c.post(helper, specRecordSignatureRequest("not an address"));
    expect(badEmail.status).toBe(400);
    expect(JSON.stringify(badEmail.body)).toContain("person.email_addresses");

    const notJson = await fetch(helper, {
      method: "POST",
      headers: c.headers({ "Content-Type": "application/json" }),
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect(
      await app.db.selectFrom("signatures").select("id").where("email", "=", "unused@example.org").execute(),
    ).toEqual([]);
  });

  test("a CRM's signer is written to in the first of their languages the site has, else in the campaign's", async () => {
    const c = client();
    const helper = (p: { id: number }) => `${entryPoint}/petitions/${p.id}/record_signature_helper`;
    const record = async (p: { id: number }, email: string, languages?: unknown) => {
      const body = specRecordSignatureRequest(email);
      const res = await c.post(helper(p), { ...body, person: { ...body.person, languages_spoken: languages } });
      return res;
    };
    const localeOf = async (email: string) =>
      (await app.db.selectFrom("signatures").select("locale").where("email", "=", email).executeTakeFirstOrThrow())
        .locale;

    // Elin speaks French first, then Welsh (as cy-GB): the site has no French, so Welsh.
    expect((await record(mine, "elin@example.org", ["fr", "cy-GB", "es"])).status).toBe(200);
    expect(await localeOf("elin@example.org")).toBe("cy");
    const welsh = await smtp.waitFor("elin@example.org");
    expect(welsh.subject).toBe(translator("cy")("email.confirmSignature.subject", { title: mine.title }));

    // Marta's CRM knows no language for her; the campaign is written in Spanish, and she was asked in Spanish.
    const spanish = await makePetition(app, { state: "open", owner });
    await app.db.updateTable("petitions").set({ language: "es" }).where("id", "=", spanish.id).execute();
    expect((await record(spanish, "marta@example.org")).status).toBe(200);
    expect(await localeOf("marta@example.org")).toBe("es");
    // Only languages the site does not have: the campaign's language again.
    expect((await record(spanish, "jean@example.org", ["fr", "de"])).status).toBe(200);
    expect(await localeOf("jean@example.org")).toBe("es");
    expect((await record(mine, "pierre@example.org", ["fr"])).status).toBe(200);
    expect(await localeOf("pierre@example.org")).toBe("en");

    // A language given as a string rather than a list is named as the problem, and nothing is stored.
    const bad = await record(mine, "notalist@example.org", "cy");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('"properties":["person.languages_spoken"]');
    expect(
      await app.db.selectFrom("signatures").select("id").where("email", "=", "notalist@example.org").execute(),
    ).toEqual([]);
  });

  test("a token that has sent its hour's signatures gets a 429 and stores nothing more", async () => {
    const c = client();
    const { id } = await app.db
      .selectFrom("api_tokens")
      .select("id")
      .where("name", "=", "Action Network")
      .executeTakeFirstOrThrow();
    const key = `osdi-helper:${id}`;
    await app.db.deleteFrom("rate_limits").where("key", "=", key).execute();
    await app.db
      .insertInto("rate_limits")
      .values({ key, points: HELPER_LIMIT.points, expires_at: new Date(Date.now() + 3_600_000).toISOString() })
      .execute();
    const res = await c.post(
      `${entryPoint}/petitions/${mine.id}/record_signature_helper`,
      specRecordSignatureRequest("late@example.org"),
    );
    expect(res.status).toBe(429);
    expect(
      await app.db.selectFrom("signatures").select("id").where("email", "=", "late@example.org").execute(),
    ).toEqual([]);
  });

  test("a browser page on another site may call the API with a token, and its preflight allows the token header", async () => {
    const pre = await fetch(`${entryPoint}/petitions/${mine.id}/record_signature_helper`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://crm.example.net",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "osdi-api-token, content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/OSDI-API-Token/i);
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
    const res = await fetch(`${entryPoint}/petitions`, {
      headers: { Origin: "https://crm.example.net", "OSDI-API-Token": token },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    // Signing pages still refuse a cross-site post.
    const form = await fetch(`${app.url}/petitions/${mine.slug}`, {
      method: "POST",
      headers: { Origin: "https://crm.example.net" },
      body: new URLSearchParams({}),
    });
    expect(form.status).toBe(403);
  });
});
