import type { DB } from "../../db/connection";
import type { SiteContext } from "../../emails/layout";
import { signInEmail } from "../../emails/sign-in";
import { emailLanguage } from "../lib/i18n.server";
import { isLanguage, type Locale } from "../lib/i18n";
import { DAY_MS, expiresAt, hashToken, isExpired, isWellFormedToken, newToken } from "../lib/tokens.server";
import { audit } from "./audit.server";
import { enqueueEmail } from "./outbox.server";
import { findOrCreateUser, grantRole, normalizeAccountEmail, rolesOf, type UserWithRoles } from "./user.server";

export const SIGN_IN_TTL_MINUTES = 15;
export const SESSION_TTL_DAYS = 30;
/** Sign-in links one address can be sent in an hour; more requests get the same page and no email. */
export const MAX_SIGN_IN_EMAILS_PER_HOUR = 5;

/**
 * "Email me a sign-in link". Anyone may have an account, so a link goes to
 * any address (within the hourly limit); the page after it is the same
 * whether or not the address has signed in before.
 */
export async function requestSignIn(
  db: DB,
  /** `locale`: the language of the page the link was asked from, which the email is written in. */
  args: { email: string; redirectTo: string | null; site: SiteContext; locale?: Locale; now?: Date },
): Promise<"sent" | "limited"> {
  const now = args.now ?? new Date();
  const email = normalizeAccountEmail(args.email);
  return db.transaction().execute(async (trx) => {
    const token = newToken();
    // Insert first, so the transaction takes the write lock before it counts.
    await trx
      .insertInto("sign_in_tokens")
      .values({
        email,
        token_hash: token.hash,
        redirect_to: args.redirectTo,
        expires_at: expiresAt(now, SIGN_IN_TTL_MINUTES * 60_000),
        used_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    const recent = await trx
      .selectFrom("sign_in_tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("email", "=", email)
      .where("created_at", ">", new Date(now.getTime() - 60 * 60_000).toISOString())
      .executeTakeFirstOrThrow();
    if (Number(recent.n) > MAX_SIGN_IN_EMAILS_PER_HOUR) {
      await trx.deleteFrom("sign_in_tokens").where("token_hash", "=", token.hash).execute();
      return "limited";
    }
    const mail = signInEmail({
      site: args.site,
      lang: emailLanguage(args.locale ?? "en"),
      signInUrl: `${args.site.appUrl}/sign-in/${token.token}`,
      expiresInMinutes: SIGN_IN_TTL_MINUTES,
    });
    await enqueueEmail(trx, { kind: "sign-in", to: email, email: mail, appUrl: args.site.appUrl }, now);
    return "sent";
  });
}

export type SignInLinkState = "ready" | "expired" | "invalid";

export async function getSignInLinkState(db: DB, token: string, now = new Date()): Promise<SignInLinkState> {
  if (!isWellFormedToken(token)) return "invalid";
  const row = await db
    .selectFrom("sign_in_tokens")
    .select(["expires_at", "used_at"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.used_at) return "invalid";
  return isExpired(row.expires_at, now) ? "expired" : "ready";
}

/**
 * Uses a sign-in link: marks it used, makes the account if needed, gives
 * admins listed in ADMIN_EMAILS their role, and opens a new session (always a
 * new id, so a session planted before sign-in is worth nothing).
 */
export async function completeSignIn(
  db: DB,
  /** `locale`: the page's language, kept as the person's for the emails the site sends them. */
  args: { token: string; adminEmails: readonly string[]; locale?: Locale; now?: Date },
): Promise<{ sessionToken: string; redirectTo: string | null; user: UserWithRoles } | null> {
  if (!isWellFormedToken(args.token)) return null;
  const now = args.now ?? new Date();
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable("sign_in_tokens")
      .set({ used_at: nowIso })
      .where("token_hash", "=", hashToken(args.token))
      .where("used_at", "is", null)
      .where("expires_at", ">", nowIso)
      .returning(["email", "redirect_to"])
      .executeTakeFirst();
    if (!used) return null;
    const user = await findOrCreateUser(trx, used.email, now);
    await trx
      .updateTable("users")
      .set({ last_signed_in_at: nowIso, ...(isLanguage(args.locale) ? { locale: args.locale } : {}) })
      .where("id", "=", user.id)
      .execute();
    if (args.adminEmails.includes(user.email)) {
      const roles = await rolesOf(trx, user.id);
      if (!roles.includes("admin")) {
        await grantRole(trx, user.id, "admin", null, now);
        await audit(
          trx,
          {
            actorId: null,
            action: "role.grant",
            subjectUserId: user.id,
            details: { role: "admin", via: "ADMIN_EMAILS" },
          },
          now,
        );
      }
    }
    const session = newToken();
    await trx
      .insertInto("sessions")
      .values({
        id_hash: session.hash,
        user_id: user.id,
        created_at: nowIso,
        expires_at: expiresAt(now, SESSION_TTL_DAYS * DAY_MS),
      })
      .execute();
    return {
      sessionToken: session.token,
      redirectTo: used.redirect_to,
      user: { ...user, roles: await rolesOf(trx, user.id) },
    };
  });
}

export async function getUserBySession(db: DB, sessionToken: string, now = new Date()): Promise<UserWithRoles | null> {
  if (!isWellFormedToken(sessionToken)) return null;
  const user = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.email", "u.created_at", "u.last_signed_in_at", "u.locale"])
    .where("s.id_hash", "=", hashToken(sessionToken))
    .where("s.expires_at", ">", now.toISOString())
    .executeTakeFirst();
  if (!user) return null;
  return { ...user, roles: await rolesOf(db, user.id) };
}

export async function endSession(db: DB, sessionToken: string): Promise<void> {
  if (!isWellFormedToken(sessionToken)) return;
  await db.deleteFrom("sessions").where("id_hash", "=", hashToken(sessionToken)).execute();
}

/** "Sign out everywhere": every session of this account ends, this one included. */
export async function endAllSessions(db: DB, userId: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
