import type { Config } from "../../app/config.server";
import { sessionCookie } from "../../app/services/session.server";
import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { approvePetition, rejectPetition } from "../../app/models/moderation.server";
import { closeEarly, createDraft, declareVictory, submitPetition } from "../../app/models/organize.server";
import { acceptInvitation, inviteOrganizer } from "../../app/models/organizer-team.server";
import { findOrCreateUser, grantRole } from "../../app/models/user.server";
import { petitionSubmission, type PetitionDraftInput } from "../../app/schemas/petition.server";
import type { DB } from "../../db/connection";
import type { PetitionStatus, Role } from "../../db/schema";

type AppLike = { url: string; db: DB; config: Config };

/** Someone with an account and a session: what a test needs to act as them over HTTP. */
export type Person = {
  id: number;
  email: string;
  /** The session token the cookie carries (its SHA-256 is the sessions row's id_hash). */
  token: string;
  /** `name=value`, ready for a Cookie request header. */
  cookie: string;
};

/**
 * A new session for a user, made the way completeSignIn makes one, without
 * the round trip through email: the row keyed by the token's hash, and the
 * signed cookie the browser would hold.
 */
export async function newSession(app: AppLike, user: { id: number; email: string }, now = new Date()): Promise<Person> {
  const session = newToken();
  await app.db
    .insertInto("sessions")
    .values({
      id_hash: session.hash,
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: expiresAt(now, 30 * DAY_MS),
    })
    .execute();
  return { id: user.id, email: user.email, token: session.token, cookie: await cookieFor(app.config, session.token) };
}

/** The Cookie header a browser would send after the site set this session token. */
export async function cookieFor(config: Config, token: string): Promise<string> {
  const setCookie = await sessionCookie(config).serialize(token);
  return setCookie.split(";")[0];
}

/** A person signed in as `email` (their account is made if new), holding `roles`. */
export async function signedIn(app: AppLike, email: string, roles: Role[] = []): Promise<Person> {
  const user = await findOrCreateUser(app.db, email);
  for (const role of roles) await grantRole(app.db, user.id, role, null);
  return newSession(app, user);
}

/** A browser that does not follow redirects, with or without someone's session cookie. */
export function browser(app: { url: string }, person?: Pick<Person, "cookie"> | null) {
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    ...(person ? { cookie: person.cookie } : {}),
    ...extra,
  });
  return {
    get: (path: string, extra?: Record<string, string>) =>
      fetch(new URL(path, app.url), { headers: headers(extra), redirect: "manual" }),
    /** A form post: URL-encoded fields, or a FormData (multipart, for files). */
    post: (path: string, fields: Record<string, string> | FormData = {}, extra?: Record<string, string>) =>
      fetch(new URL(path, app.url), {
        method: "POST",
        body: fields instanceof FormData ? fields : new URLSearchParams(fields),
        headers: headers(extra),
        redirect: "manual",
      }),
  };
}

let titles = 0;

/** A complete petition, as the submission schema accepts it; each call gets a title of its own. */
export function completePetition(
  overrides: Partial<Record<"title" | "summary" | "body" | "closesOn" | "goal", string>> = {},
): PetitionDraftInput {
  titles += 1;
  return petitionSubmission(new Date()).parse({
    title: `Keep the Riverside Library open on Sundays, number ${titles}`,
    summary: "The library is the only warm, quiet place in the ward on a Sunday.",
    body: "Families, students and older people rely on the Riverside Library. Closing it on Sundays leaves them nowhere to go.",
    decisionMakers: [{ name: "Riverside Borough Council", role: "Cabinet Member for Culture" }],
    goal: "",
    closesOn: "",
    ...overrides,
  });
}

/** The same petition as the browser's form fields (decision makers as numbered fields). */
export function petitionFields(input: PetitionDraftInput, intent = "save"): Record<string, string> {
  const fields: Record<string, string> = {
    intent,
    title: input.title,
    summary: input.summary,
    body: input.body,
    goal: input.goal === null ? "" : String(input.goal),
    closesOn: input.closesOn ?? "",
  };
  input.decisionMakers.forEach((m, i) => {
    fields[`maker-name-${i}`] = m.name;
    fields[`maker-role-${i}`] = m.role;
  });
  return fields;
}

/** The last invitation token emailed to an address, read from the outbox. */
export async function invitationTokenFor(db: DB, email: string): Promise<string> {
  const row = await db
    .selectFrom("outbox")
    .select("text")
    .where("to_address", "=", email)
    .where("kind", "=", "organizer-invitation")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  const match = row.text.match(/\/invitations\/([A-Za-z0-9_-]{43})/);
  if (!match) throw new Error(`No invitation link in: ${row.text.slice(0, 200)}`);
  return match[1];
}

export type MadePetition = { id: number; title: string; slug: string; status: PetitionStatus };

/**
 * A petition in the given state, owned by `owner`, with `coOrganizer` (if
 * given) invited and accepted, taken there through the same model functions
 * the routes use. `moderator` decides it; one is made if not given.
 */
export async function makePetition(
  app: AppLike,
  opts: {
    state: PetitionStatus;
    owner: { id: number; email: string };
    coOrganizer?: { id: number; email: string };
    moderator?: { id: number };
    input?: PetitionDraftInput;
  },
): Promise<MadePetition> {
  const { db } = app;
  const site = { appUrl: app.config.appUrl };
  const input = opts.input ?? completePetition();
  const id = await createDraft(db, opts.owner.id, input);
  if (opts.coOrganizer) {
    await inviteOrganizer(db, {
      petitionId: id,
      ownerId: opts.owner.id,
      ownerEmail: opts.owner.email,
      email: opts.coOrganizer.email,
      site,
    });
    const accepted = await acceptInvitation(db, {
      token: await invitationTokenFor(db, opts.coOrganizer.email),
      user: opts.coOrganizer,
    });
    if (accepted !== "accepted") throw new Error(`The co-organizer could not accept: ${accepted}`);
  }
  if (opts.state !== "draft") {
    const status = await submitPetition(db, { petitionId: id, userId: opts.owner.id, input, moderation: true, site });
    if (status !== "in_review") throw new Error(`Submitting gave ${status}`);
    const moderatorId = opts.moderator?.id ?? (await findOrCreateUser(db, "helper-moderator@example.org")).id;
    const decision = { petitionId: id, moderatorId, site };
    if (opts.state === "rejected")
      await rejectPetition(db, { ...decision, reason: "no_action", note: "", hide: false });
    else if (opts.state === "hidden")
      await rejectPetition(db, { ...decision, reason: "offensive", note: "", hide: true });
    else if (opts.state !== "in_review") await approvePetition(db, decision);
    if (opts.state === "closed") await closeEarly(db, { petitionId: id, userId: opts.owner.id, site });
    if (opts.state === "victory")
      await declareVictory(db, { petitionId: id, userId: opts.owner.id, message: "We won.", site });
  }
  const row = await db
    .selectFrom("petitions")
    .select(["id", "title", "slug", "status"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  if (row.status !== opts.state) throw new Error(`Wanted a ${opts.state} petition, made a ${row.status} one`);
  return row;
}
