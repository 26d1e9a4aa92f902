import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sessionCookie } from "../../app/services/session.server";
import { hashToken, newToken } from "../../app/lib/tokens.server";
import {
  completeSignIn,
  getSignInLinkState,
  MAX_SIGN_IN_EMAILS_PER_HOUR,
  requestSignIn,
  SIGN_IN_TTL_MINUTES,
} from "../../app/models/sign-in.server";
import { findOrCreateUser, getUserByEmail, rolesOf } from "../../app/models/user.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, cookieFor, newSession, signedIn } from "../helpers/session";
import { withoutNonces } from "../helpers/signing";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp";

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

const MINUTE = 60_000;
const isSignInEmail = (m: ReceivedMail) => m.subject === "Your sign-in link for Undersigned";

function signInLinkIn(text: string | undefined): string {
  const match = text?.match(/https?:\/\/\S+\/sign-in\/[A-Za-z0-9_-]{43}/);
  if (!match) throw new Error(`No sign-in link in: ${text?.slice(0, 200)}`);
  return match[0];
}

/** The newest sign-in link written to the outbox for an address (for links made by the model with a chosen `now`). */
async function outboxSignInLink(db: TestApp["db"], email: string): Promise<string> {
  const row = await db
    .selectFrom("outbox")
    .select("text")
    .where("to_address", "=", email)
    .where("kind", "=", "sign-in")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return signInLinkIn(row.text);
}

async function count(table: "sessions" | "sign_in_tokens" | "outbox" | "users", db = app.db): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The session token a Set-Cookie header carries, or null if it carries none. */
async function sessionTokenIn(res: Response, on: TestApp = app): Promise<string | null> {
  const setCookie = res.headers.get("set-cookie");
  if (!setCookie) return null;
  const value = await sessionCookie(on.config).parse(setCookie.split(";")[0]);
  return typeof value === "string" && value ? value : null;
}

/** Who the site thinks a cookie belongs to, as /account shows it; null when it sends them to sign in. */
async function signedInAs(cookie: string, on: TestApp = app): Promise<string | null> {
  const res = await browser(on, { cookie }).get("/account");
  if (res.status === 302) {
    expect(res.headers.get("location")).toBe("/sign-in?redirectTo=%2Faccount");
    return null;
  }
  expect(res.status).toBe(200);
  return (await res.text()).match(/Signed in as <strong[^>]*>([^<]+)<\/strong>/)?.[1] ?? null;
}

/**
 * A person asks for a link on the sign-in form, reads it from their mailbox
 * and presses the button, carrying whatever cookie their browser already has.
 */
async function signInByEmail(email: string, opts: { redirectTo?: string; cookie?: string; on?: TestApp } = {}) {
  const on = opts.on ?? app;
  const before = smtp.to(email).length;
  const asked = await browser(on).post("/sign-in", {
    email,
    ...(opts.redirectTo !== undefined ? { redirectTo: opts.redirectTo } : {}),
  });
  expect(asked.status).toBe(302);
  const mail = await smtp.waitFor(email, () => smtp.to(email).length > before);
  const link = signInLinkIn(mail.text);
  const res = await browser(on, opts.cookie ? { cookie: opts.cookie } : null).post(new URL(link).pathname);
  return { link, res };
}

describe("a person signs in with an emailed link", () => {
  test("a person asking for a link sees the same page whether or not the address has an account", async () => {
    await findOrCreateUser(app.db, "known@example.org");
    const ask = async (email: string) => {
      const res = await browser(app).post("/sign-in", { email, redirectTo: "/account" });
      const body = await res.text();
      const location = res.headers.get("location");
      const page = await browser(app).get(location ?? "/");
      return { status: res.status, location, body, pageStatus: page.status, page: withoutNonces(await page.text()) };
    };
    const known = await ask("known@example.org");
    const unknown = await ask("nobody-yet@example.org");

    expect(known.status).toBe(302);
    expect(known.location).toBe("/sign-in/check-email");
    expect(known.pageStatus).toBe(200);
    expect(known.page).toContain("Check your email");
    expect(unknown).toEqual(known);
    // Asking makes no account: that only happens when a link is used.
    expect(await getUserByEmail(app.db, "nobody-yet@example.org")).toBeUndefined();
  });

  test("a person gets the link by email; opening it shows a button and signs nobody in", async () => {
    const email = "opener@example.org";
    expect((await browser(app).post("/sign-in", { email })).status).toBe(302);
    const mail = await smtp.waitFor(email, isSignInEmail);
    expect(mail.text).toContain(`works once, for ${SIGN_IN_TTL_MINUTES} minutes`);
    const link = signInLinkIn(mail.text);
    expect(link.startsWith(`${app.url}/sign-in/`)).toBe(true);
    expect(mail.html).toContain(`href="${link}"`);

    const sessionsBefore = await count("sessions");
    for (let i = 0; i < 3; i++) {
      const res = await browser(app).get(new URL(link).pathname);
      expect(res.status).toBe(200);
      expect(res.headers.get("set-cookie")).toBeNull();
      const html = await res.text();
      expect(html).toMatch(/<form method="post"[^>]*>\s*<button type="submit" class="button">Sign in<\/button>/);
    }
    expect(await count("sessions")).toBe(sessionsBefore);
    const token = link.split("/").at(-1)!;
    const row = await app.db
      .selectFrom("sign_in_tokens")
      .selectAll()
      .where("token_hash", "=", hashToken(token))
      .executeTakeFirstOrThrow();
    expect(row.used_at).toBeNull();
    expect(await getUserByEmail(app.db, email)).toBeUndefined();
  });

  test("a person who presses the button is signed in with an httpOnly, SameSite=Lax cookie for the whole site", async () => {
    const email = "presser@example.org";
    const { res } = await signInByEmail(email);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");

    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^undersigned_session=/);
    const attributes = setCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    // Plain HTTP in tests; production adds Secure and the __Host- prefix.
    expect(attributes).not.toContain("secure");

    const token = await sessionTokenIn(res);
    expect(token).not.toBeNull();
    const user = await getUserByEmail(app.db, email);
    expect(user?.last_signed_in_at).not.toBeNull();
    const session = await app.db
      .selectFrom("sessions")
      .selectAll()
      .where("id_hash", "=", hashToken(token!))
      .executeTakeFirstOrThrow();
    expect(session.user_id).toBe(user!.id);
    expect(await signedInAs(await cookieFor(app.config, token!))).toBe(email);
  });

  test("a person who uses the same link twice is turned away the second time", async () => {
    const email = "twice@example.org";
    const { link, res } = await signInByEmail(email);
    expect(res.status).toBe(302);
    const sessionsBefore = await count("sessions");

    const again = await browser(app).post(new URL(link).pathname);
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await count("sessions")).toBe(sessionsBefore);
    expect(await (await browser(app).get(new URL(link).pathname)).text()).toContain(
      "This sign-in link has been used or is not valid",
    );
  });

  test("a link works for fifteen minutes and not a moment longer", async () => {
    const email = "clock@example.org";
    const site = { appUrl: app.config.appUrl };
    const t0 = new Date("2027-03-01T09:00:00.000Z");
    expect(await requestSignIn(app.db, { email, redirectTo: null, site, now: t0 })).toBe("sent");
    const token = (await outboxSignInLink(app.db, email)).split("/").at(-1)!;
    const at = (ms: number) => new Date(t0.getTime() + ms);

    expect(await getSignInLinkState(app.db, token, at(SIGN_IN_TTL_MINUTES * MINUTE - 1))).toBe("ready");
    expect(await getSignInLinkState(app.db, token, at(SIGN_IN_TTL_MINUTES * MINUTE))).toBe("expired");
    expect(await completeSignIn(app.db, { token, adminEmails: [], now: at(SIGN_IN_TTL_MINUTES * MINUTE) })).toBeNull();
    const justInTime = await completeSignIn(app.db, {
      token,
      adminEmails: [],
      now: at(SIGN_IN_TTL_MINUTES * MINUTE - 1),
    });
    expect(justInTime?.user.email).toBe(email);
  });

  test("a person who opens a sixteen-minute-old link is told it expired and is not signed in", async () => {
    const email = "late@example.org";
    await requestSignIn(app.db, {
      email,
      redirectTo: null,
      site: { appUrl: app.config.appUrl },
      now: new Date(Date.now() - 16 * MINUTE),
    });
    const path = new URL(await outboxSignInLink(app.db, email)).pathname;
    const sessionsBefore = await count("sessions");

    const page = await browser(app).get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("This sign-in link has expired");
    expect(html).not.toContain('<button type="submit" class="button">Sign in</button>');

    const pressed = await browser(app).post(path);
    expect(pressed.status).toBe(410);
    expect(pressed.headers.get("set-cookie")).toBeNull();
    expect(await count("sessions")).toBe(sessionsBefore);
  });

  test("someone asking over and over gets at most five links an hour, and sees the same page every time", async () => {
    const email = "eager@example.org";
    const typed = ["eager@example.org", "Eager@Example.org", " EAGER@example.org "];
    const pages = new Set<string>();
    for (let i = 0; i < MAX_SIGN_IN_EMAILS_PER_HOUR + 3; i++) {
      const res = await browser(app).post("/sign-in", { email: typed[i % typed.length] });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/sign-in/check-email");
      pages.add(withoutNonces(await (await browser(app).get("/sign-in/check-email")).text()));
    }
    expect(pages.size).toBe(1);

    const queued = await app.db.selectFrom("outbox").select("id").where("to_address", "=", email).execute();
    expect(queued).toHaveLength(MAX_SIGN_IN_EMAILS_PER_HOUR);
    const tokens = await app.db.selectFrom("sign_in_tokens").select("id").where("email", "=", email).execute();
    expect(tokens).toHaveLength(MAX_SIGN_IN_EMAILS_PER_HOUR);
    await smtp.waitFor(email, () => smtp.to(email).length >= MAX_SIGN_IN_EMAILS_PER_HOUR);
    expect(smtp.to(email)).toHaveLength(MAX_SIGN_IN_EMAILS_PER_HOUR);

    // An hour later the address may have a link again.
    const site = { appUrl: app.config.appUrl };
    expect(await requestSignIn(app.db, { email, redirectTo: null, site })).toBe("limited");
    expect(
      await requestSignIn(app.db, { email, redirectTo: null, site, now: new Date(Date.now() + 61 * MINUTE) }),
    ).toBe("sent");
  });

  test("a person signed in after following a link to a page lands back on that page", async () => {
    const form = await browser(app).get("/sign-in?redirectTo=%2Forganize%2F42%2Fedit%3Fcheck%3D1");
    expect(await form.text()).toContain('<input type="hidden" name="redirectTo" value="/organize/42/edit?check=1"/>');
    const { res } = await signInByEmail("returner@example.org", { redirectTo: "/organize/42/edit?check=1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/organize/42/edit?check=1");
  });

  test.each([
    ["//evil.example", "protocol-relative"],
    ["https://evil.example", "absolute"],
    ["/\\evil.example", "backslash"],
    ["javascript:alert(1)", "script"],
  ])("a person lured with redirectTo=%s (%s) lands on their account, not on another site", async (redirectTo, kind) => {
    const form = await browser(app).get(`/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`);
    expect(await form.text()).toContain('<input type="hidden" name="redirectTo" value="/account"/>');

    const { res } = await signInByEmail(`lured-${kind}@example.org`, { redirectTo });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
  });

  test("a sign-in link whose stored destination is not local still lands on the account page", async () => {
    const email = "stored@example.org";
    await requestSignIn(app.db, { email, redirectTo: "/account", site: { appUrl: app.config.appUrl } });
    const link = await outboxSignInLink(app.db, email);
    await app.db
      .updateTable("sign_in_tokens")
      .set({ redirect_to: "//evil.example/steal" })
      .where("email", "=", email)
      .execute();
    const res = await browser(app).post(new URL(link).pathname);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
  });
});

describe("sessions", () => {
  test("a session cookie planted before sign-in is worthless after it: every sign-in makes a new session", async () => {
    const email = "fixated@example.org";
    const planted = newToken().token;
    const plantedCookie = await cookieFor(app.config, planted);

    const { res } = await signInByEmail(email, { cookie: plantedCookie });
    expect(res.status).toBe(302);
    const issued = await sessionTokenIn(res);
    expect(issued).not.toBeNull();
    expect(issued).not.toBe(planted);
    expect(
      await app.db
        .selectFrom("sessions")
        .select("user_id")
        .where("id_hash", "=", hashToken(planted))
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(await signedInAs(plantedCookie)).toBeNull();
    expect(await signedInAs(await cookieFor(app.config, issued!))).toBe(email);

    // Signing in again, with the session just issued, gives yet another one.
    const second = await signInByEmail(email, { cookie: await cookieFor(app.config, issued!) });
    const reissued = await sessionTokenIn(second.res);
    expect(reissued).not.toBeNull();
    expect(reissued).not.toBe(issued);
  });

  test("a person who signs out is signed out: the old cookie no longer works", async () => {
    const person = await signedIn(app, "leaver@example.org");
    expect(await signedInAs(person.cookie)).toBe("leaver@example.org");

    const res = await browser(app, person).post("/sign-out");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(/^undersigned_session=; Max-Age=0;/);
    expect(
      await app.db
        .selectFrom("sessions")
        .select("user_id")
        .where("id_hash", "=", hashToken(person.token))
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(await signedInAs(person.cookie)).toBeNull();
  });

  test("a person who signs out everywhere ends the sessions on all their devices, and nobody else's", async () => {
    const laptop = await signedIn(app, "everywhere@example.org");
    const phone = await newSession(app, laptop);
    const someoneElse = await signedIn(app, "bystander@example.org");

    const res = await browser(app, laptop).post("/account", { intent: "sign-out-everywhere" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(/^undersigned_session=; Max-Age=0;/);

    expect(await signedInAs(laptop.cookie)).toBeNull();
    expect(await signedInAs(phone.cookie)).toBeNull();
    expect(await app.db.selectFrom("sessions").select("id_hash").where("user_id", "=", laptop.id).execute()).toEqual(
      [],
    );
    expect(await signedInAs(someoneElse.cookie)).toBe("bystander@example.org");
  });
});

describe("sessions end and cannot be forced", () => {
  test("a session older than thirty days no longer signs anyone in", async () => {
    const user = await findOrCreateUser(app.db, "old-session@example.org");
    const stale = await newSession(app, user, new Date(Date.now() - 31 * 24 * 60 * MINUTE));
    const fresh = await newSession(app, user);
    expect(await signedInAs(stale.cookie)).toBeNull();
    expect(await signedInAs(fresh.cookie)).toBe("old-session@example.org");
  });

  test("a link to /sign-out, opened rather than posted, signs nobody out", async () => {
    const person = await signedIn(app, "linked@example.org");
    const res = await browser(app, person).get("/sign-out");
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await signedInAs(person.cookie)).toBe("linked@example.org");
  });

  test("someone already signed in who follows a sign-in page's redirect to another site stays on this one", async () => {
    const person = await signedIn(app, "already@example.org");
    const res = await browser(app, person).get(`/sign-in?redirectTo=${encodeURIComponent("https://evil.example/")}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
  });

  test("another site cannot make a visitor's browser ask for sign-in links", async () => {
    const email = "flooded@example.org";
    const res = await browser(app).post("/sign-in", { email }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await app.db.selectFrom("sign_in_tokens").select("id").where("email", "=", email).execute()).toEqual([]);
    expect(await app.db.selectFrom("outbox").select("id").where("to_address", "=", email).execute()).toEqual([]);
  });

  test("a sign-in link pressed from another site's page signs nobody in (login CSRF) and stays usable", async () => {
    const email = "csrf-target@example.org";
    await requestSignIn(app.db, { email, redirectTo: null, site: { appUrl: app.config.appUrl } });
    const path = new URL(await outboxSignInLink(app.db, email)).pathname;
    const sessionsBefore = await count("sessions");

    const forged = await browser(app).post(path, {}, { origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    expect(await count("sessions")).toBe(sessionsBefore);
    expect(await getSignInLinkState(app.db, path.split("/").at(-1)!)).toBe("ready");

    const real = await browser(app).post(path, {}, { origin: app.url });
    expect(real.status).toBe(302);
    expect(await sessionTokenIn(real)).not.toBeNull();
  });
});

describe("the first admins", () => {
  test("an address listed in ADMIN_EMAILS becomes an admin when it signs in, once, and the grant is audited", async () => {
    const withAdmins = await startTestApp({
      smtpUrl: smtp.url,
      env: { ADMIN_EMAILS: "Boss@Example.org, deputy@example.org" },
    });
    try {
      const { res } = await signInByEmail("boss@example.org", { on: withAdmins });
      expect(res.status).toBe(302);
      const boss = await getUserByEmail(withAdmins.db, "boss@example.org");
      expect(await rolesOf(withAdmins.db, boss!.id)).toEqual(["admin"]);
      const adminPage = await browser(withAdmins, {
        cookie: await cookieFor(withAdmins.config, (await sessionTokenIn(res, withAdmins))!),
      }).get("/admin");
      expect(adminPage.status).toBe(200);

      // Signing in again does not grant (or audit) it twice.
      await signInByEmail("boss@example.org", { on: withAdmins });
      const grants = await withAdmins.db
        .selectFrom("audit_log")
        .selectAll()
        .where("action", "=", "role.grant")
        .where("subject_user_id", "=", boss!.id)
        .execute();
      expect(grants).toHaveLength(1);
      expect(grants[0].actor_id).toBeNull();
      expect(JSON.parse(grants[0].details ?? "{}")).toEqual({ role: "admin", via: "ADMIN_EMAILS" });

      // Someone not on the list signs in as an ordinary organizer.
      const other = await signInByEmail("intern@example.org", { on: withAdmins });
      const intern = await getUserByEmail(withAdmins.db, "intern@example.org");
      expect(await rolesOf(withAdmins.db, intern!.id)).toEqual([]);
      const refused = await browser(withAdmins, {
        cookie: await cookieFor(withAdmins.config, (await sessionTokenIn(other.res, withAdmins))!),
      }).get("/admin");
      expect(refused.status).toBe(403);
    } finally {
      await withAdmins.stop();
    }
  });

  test("an operator runs `npm run admin -- add` and the address is an admin, with the grant audited", async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          "npx",
          ["tsx", "scripts/admin.ts", ...args],
          { env: { ...process.env, NODE_ENV: "test", DATABASE_URL: app.dbLocation }, timeout: 25_000 },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const usersBefore = await count("users");
    const bad = await run("add", "not-an-address");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"not-an-address" is not an email address');
    expect(await count("users")).toBe(usersBefore);

    const added = await run("add", "Chief@Example.org");
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Made Chief@Example.org an admin.");

    const chief = await getUserByEmail(app.db, "chief@example.org");
    expect(await rolesOf(app.db, chief!.id)).toEqual(["admin"]);
    const entry = await app.db
      .selectFrom("audit_log")
      .selectAll()
      .where("subject_user_id", "=", chief!.id)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: "role.grant", actor_id: null });
    expect(JSON.parse(entry.details ?? "{}")).toEqual({ role: "admin", via: "cli" });

    const session = await newSession(app, chief!);
    expect((await browser(app, session).get("/admin")).status).toBe(200);
  });
});

describe("a person who makes a mistake on the sign-in form", () => {
  /** The error shown beside the email field, and the value the field was filled with. */
  function emailField(html: string) {
    const error = html.match(/<p class="field-error" id="sign-in-email-error">([^]*?)<\/p>/)?.[1];
    const input = (html.match(/<input\b[^>]*>/g) ?? []).find((t) => t.includes('id="sign-in-email"'));
    return {
      error:
        error
          ?.replace(/<[^>]+>/g, "")
          .replace(/^Error: /, "")
          .trim() ?? null,
      value: input?.match(/ value="([^"]*)"/)?.[1] ?? "",
      describedBy: input?.match(/ aria-describedby="([^"]*)"/)?.[1] ?? null,
      invalid: input?.includes('aria-invalid="true"') ?? false,
    };
  }

  test.each([
    ["leaves it empty", "", "Enter your email address"],
    ["types something that is not an address", "ada-at-example.org", "Enter an email address like name@example.org"],
    ["pastes 300 characters", `${"a".repeat(288)}@example.org`, "Your email address must be 254 characters or fewer"],
  ])("a person who %s is told beside the field and keeps what they typed", async (_what, email, message) => {
    const before = { tokens: await count("sign_in_tokens"), outbox: await count("outbox") };
    const res = await browser(app).post("/sign-in", { email, redirectTo: "/account" });
    expect(res.status).toBe(400);
    const field = emailField(await res.text());
    expect(field.error).toBe(message);
    expect(field.value).toBe(email);
    expect(field.invalid).toBe(true);
    expect(field.describedBy).toBe("sign-in-email-error");
    expect({ tokens: await count("sign_in_tokens"), outbox: await count("outbox") }).toEqual(before);
  });
});
