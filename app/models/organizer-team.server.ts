import type { ExpressionBuilder } from "kysely";
import type { Database, OrganizerRole, Petition } from "../../db/schema";
import type { Email, SiteContext } from "../../emails/layout";
import { petitionStatusEmail, type PetitionStatusData, type PetitionStatusEvent } from "../../emails/petition-status";
import type { DB } from "../../db/connection";
import { organizerRecipients } from "./email-recipients.server";
import { organizerInvitationEmail } from "../../emails/organizer-invitation";
import { DAY_MS, expiresAt, hashToken, isExpired, isWellFormedToken, newToken } from "../lib/tokens.server";
import { emailLanguage } from "../lib/i18n.server";
import { audit } from "./audit.server";
import { enqueueEmail } from "./outbox.server";
import { hasRole, normalizeAccountEmail, type UserWithRoles } from "./user.server";

export type Actor = Pick<UserWithRoles, "id" | "roles">;

/** `petitions.id` is one the user organizes (owner or co-organizer): ownership lives inside the query. */
export function organizedBy(userId: number) {
  return (eb: ExpressionBuilder<Database, "petitions">) =>
    eb(
      "petitions.id",
      "in",
      eb
        .selectFrom("petition_organizers")
        .select("petition_organizers.petition_id")
        .where("petition_organizers.user_id", "=", userId),
    );
}

/** The organizer role a user has on a petition, or null. */
export async function organizerRole(db: DB, petitionId: number, userId: number): Promise<OrganizerRole | null> {
  const row = await db
    .selectFrom("petition_organizers")
    .select("role")
    .where("petition_id", "=", petitionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

export type Access = { role: OrganizerRole | null; moderator: boolean };

/**
 * What a user may do with a petition: organizers (owner, co-organizer) run it,
 * moderators and admins may look at it. Null when they have no business with it.
 */
export async function accessTo(db: DB, petitionId: number, actor: Actor): Promise<Access | null> {
  const role = await organizerRole(db, petitionId, actor.id);
  const moderator = hasRole(actor, "moderator");
  return role || moderator ? { role, moderator } : null;
}

export async function organizerEmails(db: DB, petitionId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("petition_organizers as o")
    .innerJoin("users as u", "u.id", "o.user_id")
    .select("u.email")
    .where("o.petition_id", "=", petitionId)
    .orderBy("o.created_at")
    .execute();
  return rows.map((r) => r.email);
}

export function dashboardUrl(site: SiteContext, petitionId: number) {
  return `${site.appUrl}/organize/${petitionId}`;
}

/** Emails every organizer of the petition about a step in its life, inside the caller's transaction. */
export async function notifyOrganizers(
  db: DB,
  petition: Pick<Petition, "id" | "title" | "slug">,
  event: PetitionStatusEvent,
  site: SiteContext,
  extra: Pick<PetitionStatusData, "reason" | "note" | "count" | "nextGoal"> = {},
  now = new Date(),
): Promise<void> {
  const { language } = await db
    .selectFrom("petitions")
    .select("language")
    .where("id", "=", petition.id)
    .executeTakeFirstOrThrow();
  // Each organizer reads it in their own language; one rendering per language.
  const rendered = new Map<string, Email>();
  for (const { email: to, locale } of await organizerRecipients(db, petition.id)) {
    let email = rendered.get(locale);
    if (!email) {
      email = petitionStatusEmail({
        site,
        lang: emailLanguage(locale),
        event,
        petitionTitle: petition.title,
        petitionLanguage: language,
        dashboardUrl: dashboardUrl(site, petition.id),
        publicUrl: `${site.appUrl}/petitions/${petition.slug}`,
        ...extra,
      });
      rendered.set(locale, email);
    }
    await enqueueEmail(db, { kind: `petition-${event}`, to, email, appUrl: site.appUrl }, now);
  }
}

export const INVITATION_TTL_DAYS = 7;

/**
 * The owner invites someone to co-organize by email. Only the owner may;
 * the check is inside the query that reads the petition.
 */
export async function inviteOrganizer(
  db: DB,
  args: { petitionId: number; ownerId: number; ownerEmail: string; email: string; site: SiteContext; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const petition = await trx
      .selectFrom("petitions")
      .select(["id", "title", "language"])
      .where("id", "=", args.petitionId)
      .where("status", "not in", ["hidden", "rejected"])
      .where((eb) =>
        eb(
          "petitions.id",
          "in",
          eb
            .selectFrom("petition_organizers")
            .select("petition_id")
            .where("user_id", "=", args.ownerId)
            .where("role", "=", "owner"),
        ),
      )
      .executeTakeFirst();
    if (!petition) return false;
    const token = newToken();
    const email = normalizeAccountEmail(args.email);
    await trx
      .insertInto("organizer_invitations")
      .values({
        petition_id: petition.id,
        email,
        token_hash: token.hash,
        invited_by: args.ownerId,
        expires_at: expiresAt(now, INVITATION_TTL_DAYS * DAY_MS),
        accepted_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    // The invitee's language if they have an account here, else the language of the owner who invites them.
    const invitee = await trx.selectFrom("users").select("locale").where("email", "=", email).executeTakeFirst();
    const owner = await trx.selectFrom("users").select("locale").where("id", "=", args.ownerId).executeTakeFirst();
    const mail = organizerInvitationEmail({
      site: args.site,
      lang: emailLanguage(invitee?.locale ?? owner?.locale ?? "en"),
      petitionTitle: petition.title,
      petitionLanguage: petition.language,
      invitedBy: args.ownerEmail,
      acceptUrl: `${args.site.appUrl}/invitations/${token.token}`,
      expiresInDays: INVITATION_TTL_DAYS,
    });
    await enqueueEmail(trx, { kind: "organizer-invitation", to: email, email: mail, appUrl: args.site.appUrl }, now);
    await audit(
      trx,
      { actorId: args.ownerId, action: "organizer.invite", petitionId: petition.id, details: { email } },
      now,
    );
    return true;
  });
}

export async function getInvitation(db: DB, token: string, now = new Date()) {
  if (!isWellFormedToken(token)) return null;
  const row = await db
    .selectFrom("organizer_invitations as i")
    .innerJoin("petitions as p", "p.id", "i.petition_id")
    .select(["i.id", "i.email", "i.expires_at", "i.accepted_at", "p.id as petitionId", "p.title", "p.language"])
    .where("i.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.accepted_at || isExpired(row.expires_at, now)) return null;
  return row;
}

/**
 * Accepts an invitation for the signed-in user, who must be signed in with
 * the address it was sent to: a forwarded link is no use to anyone else.
 */
export async function acceptInvitation(
  db: DB,
  args: { token: string; user: Pick<UserWithRoles, "id" | "email">; now?: Date },
): Promise<"accepted" | "wrong_account" | "invalid"> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const invitation = await getInvitation(trx, args.token, now);
    if (!invitation) return "invalid";
    if (invitation.email !== normalizeAccountEmail(args.user.email)) return "wrong_account";
    const used = await trx
      .updateTable("organizer_invitations")
      .set({ accepted_at: now.toISOString() })
      .where("id", "=", invitation.id)
      .where("accepted_at", "is", null)
      .executeTakeFirst();
    if (used.numUpdatedRows !== 1n) return "invalid";
    await trx
      .insertInto("petition_organizers")
      .values({
        petition_id: invitation.petitionId,
        user_id: args.user.id,
        role: "co_organizer",
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(["petition_id", "user_id"]).doNothing())
      .execute();
    await audit(trx, { actorId: args.user.id, action: "organizer.accept", petitionId: invitation.petitionId }, now);
    return "accepted";
  });
}

/** The organizers of a petition and the invitations still open, for its manage page. */
export async function listOrganizers(db: DB, petitionId: number, now = new Date()) {
  const [organizers, invitations] = await Promise.all([
    db
      .selectFrom("petition_organizers as o")
      .innerJoin("users as u", "u.id", "o.user_id")
      .select(["u.email", "o.role"])
      .where("o.petition_id", "=", petitionId)
      .orderBy("o.created_at")
      .execute(),
    db
      .selectFrom("organizer_invitations")
      .select(["email", "expires_at"])
      .where("petition_id", "=", petitionId)
      .where("accepted_at", "is", null)
      .where("expires_at", ">", now.toISOString())
      .orderBy("created_at")
      .execute(),
  ]);
  return { organizers, invitations };
}
