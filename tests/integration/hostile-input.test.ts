import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { rowsWrittenCounter } from "../helpers/database";
import { BATTERY, cspNonce, HUGE, liveMarkup, uncleanBlock, uncleanLine, type Payload } from "../helpers/hostile";
import {
  browser,
  completePetition,
  makePetition,
  petitionFields,
  signedIn,
  type MadePetition,
  type Person,
} from "../helpers/session";
import { outboxTo, rawPost, signingForm, tokenIn } from "../helpers/signing";

/*
 * Every text field on every form gets the battery in tests/helpers/hostile.ts. Whatever happens, the
 * site never answers 500; what it refuses leaves every table as it was; what it keeps is kept clean
 * (no control or bidi characters) and comes back escaped on every page and in every email that shows it.
 * No mail worker: the emails are read from the outbox, as the development inbox reads them.
 */

let app: TestApp;
let owner: Person;
let moderator: Person;
let admin: Person;
type Client = ReturnType<typeof browser>;
let anon: Client;
let asOwner: Client;
let asModerator: Client;
let asAdmin: Client;

beforeAll(async () => {
  // Nothing writes behind the requests' backs (the count folding job would), so a refused request that
  // leaves the write count alone wrote nothing.
  app = await startTestApp({ worker: false, foldCounts: false });
  countWrites = await rowsWrittenCounter(app.db);
  owner = await signedIn(app, "owner@example.org");
  moderator = await signedIn(app, "moderator@example.org", ["moderator"]);
  admin = await signedIn(app, "admin@example.org", ["admin"]);
  anon = browser(app);
  asOwner = browser(app, owner);
  asModerator = browser(app, moderator);
  asAdmin = browser(app, admin);
});
afterAll(async () => {
  await app.stop();
});

const WITH_HUGE: Payload[] = [...BATTERY, { label: "100,000 characters", value: HUGE }];

let addresses = 0;
const nextEmail = (who = "signer") => `${who}-${++addresses}@example.org`;

/** React's escaping of text: what a stored value looks like inside the page that shows it. */
function escaped(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

/**
 * How many rows the app's database has had written to it (tests/helpers/database.ts): a request that leaves
 * this number alone changed no table. Cheap enough to ask around every request.
 */
let countWrites: () => Promise<number>;
function rowsWritten(): Promise<number> {
  return countWrites();
}

type Attempt = { status: number; html: string; location: string | null; written: number; problems: string[] };

/** Posts a form and reports what happened: the status, what changed, and any live markup in the answer. */
async function attempt(who: Client, path: string, fields: Record<string, string> | FormData): Promise<Attempt> {
  const before = await rowsWritten();
  const res = await who.post(path, fields);
  const html = await res.text();
  const written = (await rowsWritten()) - before;
  const isHtml = (res.headers.get("content-type") ?? "").includes("text/html");
  return {
    status: res.status,
    html,
    location: res.headers.get("location"),
    written,
    problems: isHtml ? liveMarkup(html, { nonce: cspNonce(res) }) : [],
  };
}

/** Gets a page and reports any live markup in it, or that it did not answer 200. */
async function pageProblems(who: Client, path: string, mustContain: string[] = []): Promise<string[]> {
  const res = await who.get(path);
  const html = await res.text();
  if (res.status !== 200) return [`GET ${path} answered ${res.status}`];
  const problems = liveMarkup(html, { nonce: cspNonce(res) }).map((p) => `GET ${path}: ${p}`);
  for (const text of mustContain)
    if (!html.includes(text)) problems.push(`GET ${path} does not show ${JSON.stringify(text.slice(0, 80))}`);
  return problems;
}

/**
 * One field of one form, every payload: each must be answered with one of `allowed`, never a 5xx; a
 * refusal must change no table; the answer itself (often the form again, with what was typed) must be inert.
 * Returns the attempts, for the caller to check what was stored.
 */
async function everyPayload(
  who: Client,
  path: string | (() => Promise<string>),
  fields: (value: string) => Record<string, string>,
  allowed: (p: Payload) => number[],
  payloads: Payload[] = WITH_HUGE,
): Promise<{ problems: string[]; attempts: { payload: Payload; attempt: Attempt; path: string }[] }> {
  const problems: string[] = [];
  const attempts: { payload: Payload; attempt: Attempt; path: string }[] = [];
  for (const payload of payloads) {
    const to = typeof path === "string" ? path : await path();
    const a = await attempt(who, to, fields(payload.value));
    attempts.push({ payload, attempt: a, path: to });
    const where = `${payload.label} to ${to}`;
    if (!allowed(payload).includes(a.status))
      problems.push(`${where}: answered ${a.status}, expected ${allowed(payload).join(" or ")}`);
    if (a.status >= 400 && a.written > 0)
      problems.push(`${where}: refused with ${a.status}, but wrote ${a.written} rows`);
    for (const p of a.problems) problems.push(`${where}: ${p}`);
  }
  return { problems, attempts };
}

const isHuge = (p: Payload) => p.value === HUGE;
/** A field that takes free text: kept (2xx/3xx) or refused as invalid (400); too much to send is 413. */
const textField = (ok: number) => (p: Payload) => (isHuge(p) ? [413] : [ok, 400]);
/** A field that takes free text with room for every payload: each is kept (and cleaned); too much to send is 413. */
const keptField = (p: Payload) => (isHuge(p) ? [413] : [302]);
/** A field that takes only certain values: every payload is refused. */
const closedField = (p: Payload) => (isHuge(p) ? [413] : [400]);

describe("the check for live markup", () => {
  test("finds markup that would run, and passes the same markup escaped", () => {
    const live = [
      "<p>hi</p><img src=x onerror=alert(1)>",
      '<a href="&#106;avascript:alert(1)">x</a>',
      '<a href=" java\tscript:alert(1)">x</a>',
      "<svg/onload=alert(1)>",
      '<input value="" autofocus onfocus="alert(1)">',
      '<script nonce="other">alert(1)</script>',
      "<script>alert(1)</script>",
      '<iframe src="https://evil.example/"></iframe>',
    ];
    for (const html of live) expect([html, liveMarkup(html, { nonce: "n" }).length > 0]).toEqual([html, true]);
    const inert = [
      '<meta name="description" content="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"/>',
      '<input value="&quot;&gt;&lt;svg onload=alert(1)&gt;"/>',
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; and javascript:alert(1) as text</p>",
      '<script nonce="n">window.__remixContext = {"t":"\\u003cscript\\u003ealert(1)"};</script>',
      "<textarea>&lt;img src=x onerror=alert(1)&gt;</textarea>",
    ];
    for (const html of inert) expect([html, liveMarkup(html, { nonce: "n" })]).toEqual([html, []]);
  });
});

describe("the signing form", () => {
  let petition: MadePetition;
  beforeAll(async () => {
    petition = await makePetition(app, { state: "open", owner });
  });
  const path = () => `/petitions/${petition.slug}`;

  test("a hostile name is kept as text, cleaned, and shown escaped on the petition, the dashboard, the signer's page and the email", async () => {
    const problems: string[] = [];
    const emails: string[] = [];
    const { problems: answered, attempts } = await everyPayload(
      anon,
      path(),
      (name) => {
        emails.push(nextEmail());
        return signingForm({ name, email: emails.at(-1)!, nameDisplay: "full", postcode: "L1 8JQ", updates: "yes" });
      },
      (p) => (isHuge(p) ? [413] : [302]),
    );
    problems.push(...answered);
    for (const [i, { payload, attempt: a }] of attempts.entries()) {
      if (a.status !== 302) continue;
      const email = emails[i];
      const row = await app.db
        .selectFrom("signatures")
        .selectAll()
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      const unclean = uncleanLine(row.name);
      if (unclean) problems.push(`${payload.label}: the name was stored with ${unclean}`);
      if (row.name.trim() === "") problems.push(`${payload.label}: the name was stored empty`);

      const [mail] = await outboxTo(app.db, email);
      const mailProblems = liveMarkup(mail.html, { scripts: "none" });
      for (const p of mailProblems) problems.push(`${payload.label}: the confirmation email: ${p}`);
      if (!mail.html.includes(escaped(row.name)))
        problems.push(`${payload.label}: the email does not greet ${JSON.stringify(row.name)}`);

      const confirm = await anon.post(`/confirm/${tokenIn(mail.text)}`, { intent: "confirm" });
      if (confirm.status !== 302) problems.push(`${payload.label}: confirming answered ${confirm.status}`);
      const manageToken = mail.text.match(/\/signature\/([A-Za-z0-9_-]{43})/)?.[1];

      const shown = [escaped(row.name)];
      problems.push(...(await pageProblems(anon, path(), shown)).map((p) => `${payload.label}: ${p}`));
      problems.push(
        ...(await pageProblems(asOwner, `/organize/${petition.id}`, shown)).map((p) => `${payload.label}: ${p}`),
      );
      if (manageToken)
        problems.push(
          ...(await pageProblems(anon, `/signature/${manageToken}`, shown)).map((p) => `${payload.label}: ${p}`),
        );
      problems.push(...(await pageProblems(anon, `/dev/mail/${mail.id}`)).map((p) => `${payload.label}: ${p}`));
    }
    problems.push(...(await pageProblems(asOwner, `/organize/${petition.id}/deliver`)));
    expect(problems).toEqual([]);
    // The payloads that are plain text arrive as typed.
    const stored = await app.db.selectFrom("signatures").select("name").where("email", "in", emails).execute();
    expect(stored.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "<script>alert(1)</script>",
        "' OR '1'='1",
        "'; DROP TABLE signatures; --",
        "Ada Lovelace",
        "Ada ecalevoL isolated",
      ]),
    );
  });

  test("a hostile postcode is kept only if it fits, cleaned, and shown escaped on the dashboard", async () => {
    const emails: string[] = [];
    const { problems, attempts } = await everyPayload(
      anon,
      path(),
      (postcode) => {
        emails.push(nextEmail());
        return signingForm({ postcode, email: emails.at(-1)! });
      },
      textField(302),
    );
    for (const [i, { payload, attempt: a }] of attempts.entries()) {
      if (a.status !== 302) continue;
      const row = await app.db
        .selectFrom("signatures")
        .selectAll()
        .where("email", "=", emails[i])
        .executeTakeFirstOrThrow();
      const unclean = uncleanLine(row.postcode);
      if (unclean) problems.push(`${payload.label}: the postcode was stored with ${unclean}`);
      if ((row.postcode ?? "").length > 16)
        problems.push(`${payload.label}: a postcode of ${row.postcode?.length} characters was stored`);
    }
    // "' OR '1'='1" fits in a postcode's sixteen characters and is kept, as text; "<script>alert(1)</script>" does not.
    expect(attempts.find((a) => a.payload.label === "an OR 1=1")?.attempt.status).toBe(302);
    expect(attempts.find((a) => a.payload.label === "a script element")?.attempt.status).toBe(400);
    expect(problems).toEqual([]);
  });

  for (const field of ["email", "country", "nameDisplay", "updates"]) {
    test(`every hostile ${field} is refused with 400 and nothing is stored`, async () => {
      const { problems } = await everyPayload(
        anon,
        path(),
        (value) => signingForm({ email: nextEmail(), [field]: value }),
        closedField,
      );
      expect(problems).toEqual([]);
    });
  }

  test("a bot that fills the hidden field with anything at all is sent on as a person would be, and nothing is kept", async () => {
    const { problems, attempts } = await everyPayload(
      anon,
      path(),
      (website) => signingForm({ email: nextEmail(), website }),
      (p) => (isHuge(p) ? [413] : [302]),
    );
    for (const { payload, attempt: a } of attempts) {
      if (a.status === 302 && a.written > 0)
        problems.push(`${payload.label}: the honeypot let ${a.written} rows be written`);
    }
    expect(problems).toEqual([]);
  });

  test("bodies that are not what the form sends: invalid UTF-8, no content type, multipart, JSON, repeated fields", async () => {
    const url = `${app.url}${path()}`;
    const problems: string[] = [];
    const raw = async (label: string, headers: Record<string, string>, body: Buffer, allowed: number[]) => {
      const before = await rowsWritten();
      const res = await rawPost(url, {
        headers: { ...headers, "content-length": String(body.length) },
        chunks: [body],
      });
      const written = (await rowsWritten()) - before;
      if (!allowed.includes(res.status))
        problems.push(`${label}: answered ${res.status}, expected ${allowed.join(" or ")}`);
      if (res.status >= 400 && written) problems.push(`${label}: refused, but wrote ${written} rows`);
      if (res.status >= 500) problems.push(`${label}: ${res.body.slice(0, 200)}`);
      for (const p of liveMarkup(res.body)) problems.push(`${label}: ${p}`);
      return res;
    };
    const form = (fields: Record<string, string>) => Buffer.from(new URLSearchParams(fields).toString());
    const urlencoded = { "content-type": "application/x-www-form-urlencoded" };

    // Raw bytes that are not UTF-8 at all, inside the name: read as U+FFFD, which is a character like any other.
    const invalid = Buffer.from([0xff, 0xfe, 0xc3, 0x28]);
    const email1 = nextEmail();
    await raw(
      "invalid UTF-8 bytes in a name",
      urlencoded,
      Buffer.concat([Buffer.from("name=Ada"), invalid, Buffer.from(`&email=${encodeURIComponent(email1)}&country=GB`)]),
      [302, 400],
    );
    const email2 = nextEmail();
    await raw(
      "percent-encoded invalid UTF-8 in a name",
      urlencoded,
      Buffer.from(`name=Ada%FF%FE%C3%28%ED%A0%80&email=${encodeURIComponent(email2)}&country=GB`),
      [302, 400],
    );
    for (const email of [email1, email2]) {
      const row = await app.db.selectFrom("signatures").select("name").where("email", "=", email).executeTakeFirst();
      if (row && uncleanLine(row.name)) problems.push(`invalid UTF-8: stored with ${uncleanLine(row.name)}`);
    }
    await raw(
      "invalid UTF-8 bytes in an email address",
      urlencoded,
      Buffer.concat([Buffer.from("name=Ada&country=GB&email=ada"), invalid, Buffer.from("@example.org")]),
      [400],
    );
    await raw(
      "NUL bytes in the body",
      urlencoded,
      Buffer.from(`name=A\u0000da&email=${nextEmail()}&country=GB&\u0000=\u0000`),
      [302, 400],
    );

    // No content type: read as the URL-encoded form a browser sends.
    await raw("no content type", {}, form(signingForm({ email: nextEmail() })), [302]);
    await raw("text/plain", { "content-type": "text/plain" }, form(signingForm({ email: nextEmail() })), [400]);
    await raw(
      "JSON",
      { "content-type": "application/json" },
      Buffer.from(JSON.stringify(signingForm({ email: nextEmail() }))),
      [400],
    );
    await raw(
      "JSON with arrays and objects",
      { "content-type": "application/json" },
      Buffer.from(JSON.stringify({ name: ["a", "b"], email: { $ne: null }, country: "GB" })),
      [400],
    );
    await raw(
      "multipart without a boundary",
      { "content-type": "multipart/form-data" },
      form(signingForm({ email: nextEmail() })),
      [400],
    );
    await raw(
      "multipart whose boundary never comes",
      { "content-type": "multipart/form-data; boundary=nope" },
      Buffer.from("--other\r\n\r\n"),
      [400],
    );
    await raw(
      "a content type that means nothing",
      { "content-type": 'multipart/form-data; boundary="unterminated' },
      Buffer.from("x"),
      [400],
    );
    await raw(
      "a huge field name",
      urlencoded,
      Buffer.from(`${"k".repeat(15_000)}=1&${new URLSearchParams(signingForm({ email: nextEmail() }))}`),
      [302, 400],
    );
    await raw(
      "thousands of fields",
      urlencoded,
      Buffer.from(
        `${Array.from({ length: 3000 }, (_, i) => `f${i}=`).join("&")}&${new URLSearchParams(signingForm({ email: nextEmail() }))}`,
      ),
      [302, 400, 413],
    );

    // Multipart where URL-encoded is usual: a browser may send either, so it is read the same way.
    const multipart = new FormData();
    const emailMultipart = nextEmail();
    for (const [k, v] of Object.entries(signingForm({ name: "<script>alert(1)</script>", email: emailMultipart })))
      multipart.append(k, v);
    const m = await attempt(anon, path(), multipart);
    if (m.status !== 302) problems.push(`multipart: answered ${m.status}`);
    expect(
      (await app.db.selectFrom("signatures").select("name").where("email", "=", emailMultipart).executeTakeFirst())
        ?.name,
    ).toBe("<script>alert(1)</script>");

    // A file where a name should be is no name at all.
    const withFile = new FormData();
    for (const [k, v] of Object.entries(signingForm({ email: nextEmail() }))) if (k !== "name") withFile.append(k, v);
    withFile.append("name", new Blob(["<script>alert(1)</script>"], { type: "text/html" }), "x.html");
    const f = await attempt(anon, path(), withFile);
    if (f.status !== 400 || f.written)
      problems.push(`a file as the name: answered ${f.status}, wrote ${f.written} rows`);

    // A field given twice: one of the values is used, never both or neither.
    const emailTwice = nextEmail();
    const twice = new URLSearchParams(signingForm({ email: emailTwice }));
    twice.append("name", "Grace Hopper");
    twice.append("country", "FR");
    const t = await rawPost(url, { headers: { ...urlencoded }, chunks: [Buffer.from(twice.toString())] });
    if (t.status !== 302) problems.push(`repeated fields: answered ${t.status}`);
    const row = await app.db
      .selectFrom("signatures")
      .select(["name", "country"])
      .where("email", "=", emailTwice)
      .executeTakeFirstOrThrow();
    expect(["Ada Lovelace", "Grace Hopper"]).toContain(row.name);
    expect(["GB", "FR"]).toContain(row.country);
    const twoEmails = new URLSearchParams(signingForm({ email: nextEmail() }));
    twoEmails.append("email", "<script>@example.org");
    await raw("two email addresses, one hostile", urlencoded, Buffer.from(twoEmails.toString()), [302, 400]);

    expect(problems).toEqual([]);
  });
});

describe("signing in and asking for manage links", () => {
  test("every hostile address is refused with 400 and nothing is stored or sent", async () => {
    const signIn = await everyPayload(anon, "/sign-in", (email) => ({ email, redirectTo: "/account" }), closedField);
    const links = await everyPayload(anon, "/signature/request", (email) => ({ email }), closedField);
    expect([...signIn.problems, ...links.problems]).toEqual([]);
  });

  test("a hostile place to go after signing in is replaced by the account page", async () => {
    const extra: Payload[] = [
      { label: "another site", value: "//evil.example/" },
      { label: "another site, backslashed", value: "/\\evil.example/" },
      { label: "a control character", value: "/\u0000//evil.example" },
      { label: "a tab", value: "/\t/evil.example" },
      { label: "an absolute address", value: "https://evil.example/" },
    ];
    const emails: string[] = [];
    const { problems, attempts } = await everyPayload(
      anon,
      "/sign-in",
      (redirectTo) => {
        emails.push(nextEmail("organizer"));
        return { email: emails.at(-1)!, redirectTo };
      },
      (p) => (isHuge(p) ? [413] : [302, 400]),
      [...WITH_HUGE, ...extra],
    );
    for (const [i, { payload, attempt: a }] of attempts.entries()) {
      if (a.status !== 302) continue;
      const row = await app.db
        .selectFrom("sign_in_tokens")
        .select("redirect_to")
        .where("email", "=", emails[i])
        .executeTakeFirstOrThrow();
      if (row.redirect_to !== "/account")
        problems.push(`${payload.label}: would go to ${JSON.stringify(row.redirect_to)} after signing in`);
    }
    expect(problems).toEqual([]);
  });
});

describe("starting and editing a petition", () => {
  const base = () => petitionFields(completePetition(), "save");
  const fields = ["title", "summary", "body", "maker-name-0", "maker-role-0"] as const;

  for (const field of fields) {
    test(`a hostile ${field} in a draft is stored cleaned and shown escaped while editing and on the dashboard`, async () => {
      const { problems, attempts } = await everyPayload(
        asOwner,
        "/start",
        (value) => ({ ...base(), [field]: value }),
        keptField,
      );
      for (const { payload, attempt: a } of attempts) {
        if (a.status !== 302) continue;
        const id = Number(a.location?.match(/^\/organize\/(\d+)\/edit/)?.[1]);
        if (!id) {
          problems.push(`${payload.label}: went to ${a.location}`);
          continue;
        }
        const p = await app.db.selectFrom("petitions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
        const makers = await app.db.selectFrom("decision_makers").selectAll().where("petition_id", "=", id).execute();
        for (const [what, text] of [
          ["title", p.title],
          ["summary", p.summary],
          ...makers.flatMap((m) => [
            ["maker", m.name],
            ["role", m.role],
          ]),
        ] as [string, string | null][]) {
          const unclean = uncleanLine(text);
          if (unclean) problems.push(`${payload.label}: the ${what} was stored with ${unclean}`);
        }
        const unclean = uncleanBlock(p.body_markdown);
        if (unclean) problems.push(`${payload.label}: the text was stored with ${unclean}`);
        for (const live of liveMarkup(p.body_html, { scripts: "none" }))
          problems.push(`${payload.label}: the stored HTML of the text: ${live}`);
        problems.push(...(await pageProblems(asOwner, `/organize/${id}/edit`)).map((x) => `${payload.label}: ${x}`));
        problems.push(...(await pageProblems(asOwner, `/organize/${id}`)).map((x) => `${payload.label}: ${x}`));
        if (field === "body") {
          // The preview renders the Markdown: through the sanitizer, like the published page.
          const preview = await attempt(asOwner, `/organize/${id}/edit`, {
            ...base(),
            body: `${payload.value}\n\n${base().body}`,
            intent: "preview",
          });
          if (preview.status !== 200) problems.push(`${payload.label}: the preview answered ${preview.status}`);
          for (const live of preview.problems) problems.push(`${payload.label}: the preview: ${live}`);
        }
      }
      problems.push(...(await pageProblems(asOwner, "/account")));
      expect(problems).toEqual([]);
    });
  }

  for (const field of ["goal", "closesOn"]) {
    test(`every hostile ${field} is refused with 400 and nothing is stored`, async () => {
      const { problems } = await everyPayload(
        asOwner,
        "/start",
        (value) => ({ ...base(), [field]: value }),
        closedField,
      );
      expect(problems).toEqual([]);
    });
  }

  test("more decision makers than allowed, or an unknown intent, change nothing or make only a draft", async () => {
    const many = { ...base() };
    for (let i = 0; i < 20; i++) {
      many[`maker-name-${i}`] = `<script>alert(${i})</script>`;
      many[`maker-role-${i}`] = "' OR '1'='1";
    }
    const a = await attempt(asOwner, "/start", many);
    expect([a.status, a.written, a.problems]).toEqual([400, 0, []]);
    const { problems } = await everyPayload(asOwner, "/start", (intent) => ({ ...base(), intent }), textField(302));
    expect(problems).toEqual([]);
  });

  test("a petition made entirely of hostile text goes through review and publication, and stays inert everywhere", async () => {
    const fields = {
      intent: "submit",
      title: '<script>alert(1)</script> "><img src=x onerror=alert(1)> \u202egnirts',
      summary: "<svg onload=alert(1)> '; DROP TABLE signatures; -- ' OR '1'='1 \u0000\u0007\u001b javascript:alert(1)",
      body: [
        "# <script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(1)) and [z](&#106;avascript:alert(1))",
        '<javascript:alert(1)> and <a href="javascript:alert(1)">a</a> and <svg onload=alert(1)>',
        '![i](javascript:alert(1)) <iframe src="javascript:alert(1)"></iframe> <object data=x></object>',
        '<a href="data:text/html,<script>alert(1)</script>">d</a> <form action=javascript:alert(1)><button>b</button></form>',
        "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <b onmouseover=alert(1)>b</b> |",
        "\u202e\u2066 \u200b\u200d \ufeff and enough words to pass the minimum length of the text.",
      ].join("\n\n"),
      goal: "",
      closesOn: "",
      "maker-name-0": "<script>alert(1)</script>",
      "maker-role-0": '"><img src=x onerror=alert(1)>',
      "maker-name-1": "' OR '1'='1",
      "maker-role-1": "javascript:alert(1)",
    };
    const submitted = await attempt(asOwner, "/start", fields);
    expect(submitted.status).toBe(302);
    const id = Number(submitted.location?.match(/^\/organize\/(\d+)\?submitted=1$/)?.[1]);
    expect(id).toBeGreaterThan(0);

    const problems: string[] = [];
    problems.push(...(await pageProblems(asOwner, `/organize/${id}`)));
    problems.push(...(await pageProblems(asModerator, "/moderate", [escaped("<script>alert(1)</script>")])));
    problems.push(...(await pageProblems(asModerator, `/moderate/${id}`, [escaped("<script>alert(1)</script>")])));
    const approved = await attempt(asModerator, `/moderate/${id}`, { intent: "approve" });
    expect(approved.status).toBe(302);

    const p = await app.db.selectFrom("petitions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(p.status).toBe("open");
    expect(uncleanLine(p.title)).toBeNull();
    expect(uncleanLine(p.summary)).toBeNull();
    expect(uncleanBlock(p.body_markdown)).toBeNull();
    expect(liveMarkup(p.body_html, { scripts: "none" })).toEqual([]);
    expect(p.body_html).not.toMatch(
      /<(iframe|object|form|svg|img|script)\b|\son\w+=|(href|src|action)="?\s*(javascript|data):/i,
    );

    problems.push(...(await pageProblems(anon, `/petitions/${p.slug}`, [escaped(p.title), escaped(p.summary)])));
    problems.push(...(await pageProblems(anon, "/", [escaped(p.title)])));
    problems.push(...(await pageProblems(asOwner, `/organize/${id}`)));
    problems.push(...(await pageProblems(asOwner, `/organize/${id}/manage`)));
    problems.push(...(await pageProblems(asOwner, `/organize/${id}/deliver`)));
    problems.push(...(await pageProblems(asModerator, `/moderate/petitions/${id}/safety`)));

    // Once published, the summary and text can still change: the same battery, through the published form.
    const published = { summary: p.summary, body: p.body_markdown, intent: "save" };
    for (const field of ["summary", "body"] as const) {
      const { problems: edits } = await everyPayload(
        asOwner,
        `/organize/${id}/edit`,
        (value) => ({ ...published, [field]: `${value}\n\n${published[field]}` }),
        textField(302),
      );
      problems.push(...edits);
    }
    const edited = await app.db.selectFrom("petitions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(uncleanLine(edited.summary)).toBeNull();
    expect(uncleanBlock(edited.body_markdown)).toBeNull();
    problems.push(...(await pageProblems(anon, `/petitions/${p.slug}`)));
    expect(problems).toEqual([]);
  });
});

describe("managing a petition", () => {
  test("a hostile victory message is kept cleaned and shown escaped on the petition and the home page", async () => {
    const problems: string[] = [];
    const made: MadePetition[] = [];
    const { problems: answered, attempts } = await everyPayload(
      asOwner,
      async () => {
        made.push(await makePetition(app, { state: "open", owner }));
        return `/organize/${made.at(-1)!.id}/manage`;
      },
      (message) => ({ intent: "victory", message }),
      keptField,
    );
    problems.push(...answered);
    for (const [i, { payload, attempt: a }] of attempts.entries()) {
      if (a.status !== 302) continue;
      const p = await app.db.selectFrom("petitions").selectAll().where("id", "=", made[i].id).executeTakeFirstOrThrow();
      const unclean = uncleanBlock(p.victory_message);
      if (unclean) problems.push(`${payload.label}: the victory message was stored with ${unclean}`);
      problems.push(
        ...(await pageProblems(anon, `/petitions/${p.slug}`, [escaped(p.victory_message ?? "")])).map(
          (x) => `${payload.label}: ${x}`,
        ),
      );
    }
    problems.push(...(await pageProblems(anon, "/")));
    expect(problems).toEqual([]);
  });

  test("every hostile closing date, invitation address, intent or confirmation is refused with 400 and nothing changes", async () => {
    const petition = await makePetition(app, { state: "open", owner });
    const path = `/organize/${petition.id}/manage`;
    const results = [
      await everyPayload(asOwner, path, (closesOn) => ({ intent: "extend", closesOn }), closedField),
      await everyPayload(asOwner, path, (email) => ({ intent: "invite", email }), closedField),
      await everyPayload(
        asOwner,
        path,
        (intent) => ({ intent, message: "We won", email: "co@example.org", closesOn: "2027-01-01", confirm: "yes" }),
        closedField,
      ),
      await everyPayload(asOwner, path, (confirm) => ({ intent: "close", confirm }), closedField),
    ];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(
      (await app.db.selectFrom("petitions").select("status").where("id", "=", petition.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("open");
  });
});

describe("moderation", () => {
  test("a hostile note on a rejection is kept cleaned and shown escaped on the public page, the dashboard and the audit log", async () => {
    const problems: string[] = [];
    const made: MadePetition[] = [];
    const { problems: answered, attempts } = await everyPayload(
      asModerator,
      async () => {
        made.push(await makePetition(app, { state: "in_review", owner }));
        return `/moderate/${made.at(-1)!.id}`;
      },
      (note) => ({ intent: "reject", reason: "other", note }),
      keptField,
    );
    problems.push(...answered);
    for (const [i, { payload, attempt: a }] of attempts.entries()) {
      if (a.status !== 302) continue;
      const p = await app.db.selectFrom("petitions").selectAll().where("id", "=", made[i].id).executeTakeFirstOrThrow();
      const unclean = uncleanLine(p.rejection_note);
      if (unclean) problems.push(`${payload.label}: the note was stored with ${unclean}`);
      const shown = p.rejection_note ? [escaped(p.rejection_note)] : [];
      problems.push(...(await pageProblems(anon, `/petitions/${p.slug}`, shown)).map((x) => `${payload.label}: ${x}`));
      problems.push(...(await pageProblems(asOwner, `/organize/${p.id}`, shown)).map((x) => `${payload.label}: ${x}`));
      problems.push(...(await pageProblems(asModerator, `/moderate/${p.id}`)).map((x) => `${payload.label}: ${x}`));
    }
    problems.push(...(await pageProblems(asAdmin, "/admin/audit")));
    expect(problems).toEqual([]);
  });

  test("a hostile note when taking a petition down is kept cleaned and shown escaped to its organizer", async () => {
    const made: MadePetition[] = [];
    const { problems, attempts } = await everyPayload(
      asModerator,
      async () => {
        made.push(await makePetition(app, { state: "open", owner }));
        return `/moderate/${made.at(-1)!.id}`;
      },
      (note) => ({ intent: "hide", note }),
      keptField,
      BATTERY.slice(0, 4),
    );
    for (const [i, { attempt: a }] of attempts.entries()) {
      if (a.status === 302) problems.push(...(await pageProblems(asOwner, `/organize/${made[i].id}`)));
    }
    expect(problems).toEqual([]);
  });

  test("every hostile reason or intent is refused with 400 and the petition stays in review", async () => {
    const petition = await makePetition(app, { state: "in_review", owner });
    const path = `/moderate/${petition.id}`;
    const results = [
      await everyPayload(asModerator, path, (reason) => ({ intent: "reject", reason, note: "" }), closedField),
      await everyPayload(asModerator, path, (intent) => ({ intent, reason: "other", note: "n" }), closedField),
      await everyPayload(
        asModerator,
        path,
        (hide) => ({ intent: "reject", reason: "other", note: "", hide }),
        closedField,
      ),
    ];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(
      (await app.db.selectFrom("petitions").select("status").where("id", "=", petition.id).executeTakeFirstOrThrow())
        .status,
    ).toBe("in_review");
  });

  test("a hostile message pausing signing is kept cleaned and shown escaped where the form was", async () => {
    const petition = await makePetition(app, { state: "open", owner });
    const path = `/moderate/petitions/${petition.id}/safety`;
    const problems: string[] = [];
    for (const payload of WITH_HUGE) {
      const a = await attempt(asModerator, path, { intent: "pause", message: payload.value });
      const expected = keptField(payload);
      if (!expected.includes(a.status)) problems.push(`${payload.label}: answered ${a.status}`);
      if (a.status >= 400 && a.written) problems.push(`${payload.label}: refused, but wrote ${a.written} rows`);
      problems.push(...a.problems.map((x) => `${payload.label}: ${x}`));
      if (a.status !== 302) continue;
      const p = await app.db
        .selectFrom("petitions")
        .selectAll()
        .where("id", "=", petition.id)
        .executeTakeFirstOrThrow();
      const unclean = uncleanLine(p.signing_paused_message);
      if (unclean) problems.push(`${payload.label}: the message was stored with ${unclean}`);
      problems.push(
        ...(await pageProblems(anon, `/petitions/${petition.slug}`, [escaped(p.signing_paused_message ?? "")])).map(
          (x) => `${payload.label}: ${x}`,
        ),
      );
      problems.push(...(await pageProblems(asModerator, path)).map((x) => `${payload.label}: ${x}`));
      const resumed = await attempt(asModerator, path, { intent: "resume" });
      if (resumed.status !== 302) problems.push(`${payload.label}: resuming answered ${resumed.status}`);
    }
    expect(problems).toEqual([]);
  });

  test("every hostile search for fraudulent signatures is refused with 400 and nothing is invalidated", async () => {
    const petition = await makePetition(app, { state: "open", owner });
    const path = `/moderate/petitions/${petition.id}/safety`;
    const results = [];
    // "check" reads the same fields through the same schema as "invalidate", which is the one that writes.
    for (const field of ["network", "domain", "email", "country", "from", "to"]) {
      // Markup and SQL: the criteria are matched against stored values, never stored or shown themselves.
      results.push(
        await everyPayload(asModerator, path, (value) => ({ intent: "invalidate", [field]: value }), closedField, [
          ...BATTERY.slice(0, 8),
          { label: "100,000 characters", value: HUGE },
        ]),
      );
    }
    results.push(
      await everyPayload(asModerator, path, (invalidationId) => ({ intent: "undo", invalidationId }), closedField),
    );
    results.push(await everyPayload(asModerator, path, (scope) => ({ intent: "release", scope }), closedField));
    results.push(
      await everyPayload(asModerator, path, (id) => ({ intent: "release", scope: "selected", id }), closedField),
    );
    results.push(await everyPayload(asModerator, path, (intent) => ({ intent }), closedField));
    expect(results.flatMap((r) => r.problems)).toEqual([]);
  });
});

describe("administration", () => {
  test("every hostile address, role or intent is refused with 400 and no role changes", async () => {
    const results = [
      await everyPayload(asAdmin, "/admin", (email) => ({ intent: "grant", email, role: "moderator" }), closedField),
      await everyPayload(
        asAdmin,
        "/admin",
        (role) => ({ intent: "grant", email: "new-mod@example.org", role }),
        closedField,
      ),
      await everyPayload(
        asAdmin,
        "/admin",
        (intent) => ({ intent, email: "new-mod@example.org", role: "moderator" }),
        closedField,
      ),
    ];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
  });

  test("an address with a quote in it is a real address: it gets its role and is shown escaped", async () => {
    const a = await attempt(asAdmin, "/admin", { intent: "grant", email: "o'reilly@example.org", role: "moderator" });
    expect([a.status, a.problems]).toEqual([200, []]);
    expect(await pageProblems(asAdmin, "/admin", [escaped("o'reilly@example.org")])).toEqual([]);
    expect(await pageProblems(asAdmin, "/admin/audit")).toEqual([]);
  });

  test("a signed-in person's account form refuses a hostile intent", async () => {
    const { problems } = await everyPayload(asOwner, "/account", (intent) => ({ intent }), closedField);
    expect(problems).toEqual([]);
  });
});

describe("keys in addresses: confirmation, sign-in, invitation and manage links", () => {
  const TOKENS: { label: string; token: string }[] = [
    // A lone surrogate cannot be percent-encoded as UTF-8; its WTF-8 bytes are what a client could send.
    ...BATTERY.map((p) => ({
      label: p.label,
      token: p.label === "a lone surrogate" ? "Ada%20%ED%A0%80" : encodeURIComponent(p.value),
    })),
    { label: "a near miss (42 characters)", token: "A".repeat(42) },
    { label: "a near miss (44 characters)", token: "A".repeat(44) },
    { label: "10,000 characters", token: "A".repeat(10_000) },
    { label: "broken percent-encoding", token: "%E0%A4%A" },
    { label: "a percent-encoded NUL", token: "abc%00def" },
    { label: "invalid UTF-8, percent-encoded", token: "%FF%FE%C3%28" },
    { label: "an encoded path", token: "..%2F..%2Fetc%2Fpasswd" },
    { label: "a SQL LIKE pattern", token: "%25" },
  ];
  const ROUTES: { path: string; who: () => Client }[] = [
    { path: "/confirm/", who: () => anon },
    { path: "/sign-in/", who: () => anon },
    { path: "/invitations/", who: () => asOwner },
    { path: "/signature/", who: () => anon },
  ];

  test("opening or pressing a link with a hostile key says it is not valid, never 500, and changes nothing", async () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      for (const { label, token } of TOKENS) {
        const path = `${route.path}${token}`;
        const get = await route.who().get(path);
        const html = await get.text();
        if (![200, 400, 404, 410].includes(get.status)) problems.push(`GET ${route.path} with ${label}: ${get.status}`);
        problems.push(
          ...liveMarkup(html, { nonce: cspNonce(get) }).map((x) => `GET ${route.path} with ${label}: ${x}`),
        );
        const a = await attempt(route.who(), path, { intent: "confirm" });
        if (![400, 404, 410].includes(a.status)) problems.push(`POST ${route.path} with ${label}: ${a.status}`);
        if (a.written) problems.push(`POST ${route.path} with ${label} wrote ${a.written} rows`);
        problems.push(...a.problems.map((x) => `POST ${route.path} with ${label}: ${x}`));
      }
    }
    expect(problems).toEqual([]);
  });

  test("an address too long for the server is turned away with a 4xx", async () => {
    for (const path of [`/confirm/${"A".repeat(100_000)}`, `/petitions/${"a".repeat(100_000)}`]) {
      const res = await anon.get(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  test("a signer's manage page refuses a hostile intent, name choice or confirmation", async () => {
    const email = nextEmail();
    const petition = await makePetition(app, { state: "open", owner });
    expect((await anon.post(`/petitions/${petition.slug}`, signingForm({ email }))).status).toBe(302);
    const [mail] = await outboxTo(app.db, email);
    const token = mail.text.match(/\/signature\/([A-Za-z0-9_-]{43})/)?.[1];
    expect(token).toBeDefined();
    const path = `/signature/${token}`;
    const results = [
      await everyPayload(anon, path, (intent) => ({ intent }), closedField),
      await everyPayload(anon, path, (nameDisplay) => ({ intent: "name-display", nameDisplay }), closedField),
      await everyPayload(anon, path, (confirm) => ({ intent: "withdraw", confirm }), closedField),
      await everyPayload(anon, path, (confirm) => ({ intent: "erase", confirm }), closedField),
    ];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
  });
});

describe("bodies no form sends, on every form", () => {
  test("JSON, plain text, broken multipart and a file where text belongs are refused with 4xx and change nothing", async () => {
    const open = await makePetition(app, { state: "open", owner });
    const review = await makePetition(app, { state: "in_review", owner });
    const draft = await makePetition(app, { state: "draft", owner });
    const forms: { path: string; cookie?: string }[] = [
      { path: `/petitions/${open.slug}` },
      { path: "/sign-in" },
      { path: "/signature/request" },
      { path: `/confirm/${"A".repeat(43)}` },
      { path: `/sign-in/${"A".repeat(43)}` },
      { path: `/signature/${"A".repeat(43)}` },
      { path: "/start", cookie: owner.cookie },
      { path: `/organize/${draft.id}/edit`, cookie: owner.cookie },
      { path: `/organize/${open.id}/edit`, cookie: owner.cookie },
      { path: `/organize/${open.id}/manage`, cookie: owner.cookie },
      { path: `/invitations/${"A".repeat(43)}`, cookie: owner.cookie },
      { path: "/account", cookie: owner.cookie },
      { path: `/moderate/${review.id}`, cookie: moderator.cookie },
      { path: `/moderate/petitions/${open.id}/safety`, cookie: moderator.cookie },
      { path: "/admin", cookie: admin.cookie },
    ];
    const bodies: { label: string; type: string; body: Buffer }[] = [
      {
        label: "JSON",
        type: "application/json",
        body: Buffer.from(JSON.stringify({ intent: "save", email: "a@example.org", title: ["x"] })),
      },
      { label: "plain text", type: "text/plain", body: Buffer.from("intent=save") },
      { label: "multipart without a boundary", type: "multipart/form-data", body: Buffer.from("intent=save") },
      {
        label: "multipart cut short",
        type: "multipart/form-data; boundary=b",
        body: Buffer.from('--b\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsa'),
      },
      {
        label: "XML",
        type: "application/xml",
        body: Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
      },
    ];
    const problems: string[] = [];
    for (const form of forms) {
      for (const b of bodies) {
        const before = await rowsWritten();
        const res = await rawPost(`${app.url}${form.path}`, {
          headers: {
            "content-type": b.type,
            "content-length": String(b.body.length),
            ...(form.cookie ? { cookie: form.cookie } : {}),
          },
          chunks: [b.body],
        });
        const written = (await rowsWritten()) - before;
        if (res.status < 400 || res.status >= 500) problems.push(`${b.label} to ${form.path}: answered ${res.status}`);
        if (written) problems.push(`${b.label} to ${form.path}: wrote ${written} rows`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("a field sent twice, on every form", () => {
  test("is answered (one of the values is taken, or the form is refused), never with a 500", async () => {
    const open = await makePetition(app, { state: "open", owner });
    const review = await makePetition(app, { state: "in_review", owner });
    const twice = (pairs: [string, string][]) => {
      const form = new FormData();
      for (const [k, v] of pairs) form.append(k, v);
      return form;
    };
    const cases: { who: Client; path: string; form: FormData }[] = [
      {
        who: anon,
        path: "/sign-in",
        form: twice([
          ["email", nextEmail()],
          ["email", "<script>alert(1)</script>"],
        ]),
      },
      {
        who: anon,
        path: "/signature/request",
        form: twice([
          ["email", "' OR '1'='1"],
          ["email", nextEmail()],
        ]),
      },
      {
        who: asOwner,
        path: "/start",
        form: twice([
          ...Object.entries(petitionFields(completePetition())),
          ["title", "<svg onload=alert(1)>"],
          ["intent", "submit"],
        ]),
      },
      {
        who: asOwner,
        path: `/organize/${open.id}/manage`,
        form: twice([
          ["intent", "extend"],
          ["intent", "victory"],
          ["message", "<script>alert(1)</script>"],
          ["message", "x"],
        ]),
      },
      {
        who: asModerator,
        path: `/moderate/${review.id}`,
        form: twice([
          ["intent", "reject"],
          ["intent", "approve"],
          ["reason", "other"],
          ["reason", "<x>"],
        ]),
      },
      {
        who: asModerator,
        path: `/moderate/petitions/${open.id}/safety`,
        form: twice([
          ["intent", "pause"],
          ["intent", "resume"],
          ["message", "<script>alert(1)</script>"],
        ]),
      },
      {
        who: asAdmin,
        path: "/admin",
        form: twice([
          ["intent", "grant"],
          ["email", "twice@example.org"],
          ["role", "moderator"],
          ["role", "admin"],
        ]),
      },
    ];
    const problems: string[] = [];
    for (const c of cases) {
      const a = await attempt(c.who, c.path, c.form);
      if (a.status >= 500) problems.push(`${c.path}: answered ${a.status}`);
      if (a.status >= 400 && a.written)
        problems.push(`${c.path}: refused with ${a.status}, but wrote ${a.written} rows`);
      problems.push(...a.problems.map((x) => `${c.path}: ${x}`));
    }
    expect(problems).toEqual([]);
  });
});

describe("what the emails and the development inbox show", () => {
  test("every email written during these tests is inert, with a clean subject, and the inbox shows each one escaped", async () => {
    const rows = await app.db.selectFrom("outbox").selectAll().orderBy("id").execute();
    expect(rows.length).toBeGreaterThan(20);
    const problems: string[] = [];
    const hostile = /alert\(|DROP TABLE|OR '1'|\ufffd/;
    for (const m of rows) {
      for (const p of liveMarkup(m.html, { scripts: "none" })) problems.push(`email ${m.id} (${m.kind}): ${p}`);
      // A line break in a subject would start a new header.
      if (uncleanLine(m.subject)) problems.push(`email ${m.id} subject: ${uncleanLine(m.subject)}`);
      if (/[\r\n]/.test(m.to_address)) problems.push(`email ${m.id} is addressed to ${JSON.stringify(m.to_address)}`);
      if (hostile.test(m.html) || hostile.test(m.subject)) {
        problems.push(...(await pageProblems(anon, `/dev/mail/${m.id}`)));
        const frame = await anon.get(`/dev/mail/${m.id}/html`);
        if (frame.status !== 200) problems.push(`/dev/mail/${m.id}/html answered ${frame.status}`);
        for (const p of liveMarkup(await frame.text(), { scripts: "none" }))
          problems.push(`/dev/mail/${m.id}/html: ${p}`);
      }
    }
    problems.push(...(await pageProblems(anon, "/dev/mail")));
    expect(problems).toEqual([]);
  });
});
