import type { DB } from "../../db/connection";
import { sql, type ExpressionBuilder } from "kysely";
import type { Database, NameDisplay, Petition } from "../../db/schema";
import { alreadySignedEmail } from "../../emails/already-signed";
import { confirmSignatureEmail } from "../../emails/confirm-signature";
import type { SiteContext } from "../../emails/layout";
import { canonicalEmail } from "../lib/canonical-email";
import { goalFor, goalReached } from "../lib/goal";
import type { ClientHashes } from "../lib/client-address.server";
import { DAY_MS, expiresAt, hashToken, isExpired, isWellFormedToken, newToken } from "../lib/tokens.server";
import { CHALLENGE_REASONS, type ValidSolution } from "../lib/challenge-puzzle.server";
import { UPDATES_CONSENT, type SignatureInput } from "../schemas/signature.server";
import { audit } from "./audit.server";
import { notifyOrganizers } from "./organizer-team.server";
import { spendChallenge } from "./challenges.server";
import { enqueueEmail } from "./outbox.server";
import { SIGNABLE_STATES, isSignable } from "./petition.server";

export const CONFIRMATION_TTL_DAYS = 14;
/** How long the "manage my signature" link in an email works; a signer can ask for a new one. */
export const MANAGE_LINK_TTL_DAYS = 90;
/** No signature gets more emails than this, however often its address is typed into the form. */
export const MAX_EMAILS_PER_SIGNATURE = 5;

type PetitionRef = Pick<Petition, "id" | "slug" | "title">;

/**
 * What happened to a submission. For tests and logs only: the person always
 * sees the same page, so that nobody can learn whether an address has signed.
 */
export type SubmitOutcome = "created" | "refreshed" | "already_confirmed" | "email_limit_reached";

export function confirmUrl(site: SiteContext, token: string): string {
  return `${site.appUrl}/confirm/${token}`;
}

export function manageUrl(site: SiteContext, token: string): string {
  return `${site.appUrl}/signature/${token}`;
}

function emailDomain(canonical: string): string {
  return canonical.slice(canonical.lastIndexOf("@") + 1);
}

export function petitionUrl(site: SiteContext, slug: string): string {
  return `${site.appUrl}/petitions/${slug}`;
}

/**
 * Records a signature, or refreshes a pending one, and queues the email that
 * goes with it, all in one transaction. The inserts come first so that the
 * transaction holds the write lock from its first statement, and the unique
 * (petition, canonical email) index settles any race between two submissions.
 * A solved challenge is spent in the same transaction: a second signature
 * with the same solution is held as suspect, however close the two come.
 */
export async function submitSignature(db: DB, args: SubmitArgs): Promise<SubmitOutcome> {
  return db.transaction().execute((trx) => recordSignature(trx, args));
}

type SubmitArgs = {
  petition: PetitionRef;
  input: SignatureInput;
  site: SiteContext;
  /** Keyed hashes of the client's address and network (app/lib/client-address.server.ts). */
  client?: ClientHashes;
  /** Why a new signature is held as suspect (it broke a signing limit), or null. */
  suspectReason?: string | null;
  /** A valid solution to the petition's challenge (app/lib/challenge-puzzle.server.ts), spent here. */
  challenge?: ValidSolution;
  now?: Date;
};

/**
 * submitSignature's work, inside a write transaction the caller holds: the
 * sign POST runs it in the same transaction as the signing limits' charges
 * (app/lib/signing-limits.server.ts), so that a signature costs one commit.
 */
export async function recordSignature(trx: DB, args: SubmitArgs): Promise<SubmitOutcome> {
  const { petition, input, site } = args;
  const now = args.now ?? new Date();
  const nowIso = now.toISOString();
  const canonical = canonicalEmail(input.email);
  const details = {
    name: input.name,
    email: input.email,
    country: input.country,
    postcode: input.postcode,
    name_display: input.nameDisplay,
    updates_consent: input.updates ? 1 : 0,
    consent_wording_version: UPDATES_CONSENT.version,
  };

  const replayed = args.challenge !== undefined && !(await spendChallenge(trx, args.challenge));
  const suspectReason = args.suspectReason ?? (replayed ? CHALLENGE_REASONS.replayed : null);
  const token = newToken();
  const manage = newToken();
  const tokenExpiry = expiresAt(now, CONFIRMATION_TTL_DAYS * DAY_MS);
  const manageExpiry = expiresAt(now, MANAGE_LINK_TTL_DAYS * DAY_MS);
  const inserted = await trx
    .insertInto("signatures")
    .values({
      ...details,
      petition_id: petition.id,
      canonical_email: canonical,
      status: "pending",
      token_hash: token.hash,
      token_expires_at: tokenExpiry,
      emails_sent: 1,
      created_at: nowIso,
      updated_at: nowIso,
      confirmed_at: null,
      hold: suspectReason ? "suspect" : null,
      hold_reason: suspectReason,
      ip_hash: args.client?.ipHash ?? null,
      network_hash: args.client?.networkHash ?? null,
      email_domain: emailDomain(canonical),
      manage_token_hash: manage.hash,
      manage_token_expires_at: manageExpiry,
    })
    .onConflict((oc) => oc.columns(["petition_id", "canonical_email"]).doNothing())
    .returning("id")
    .executeTakeFirst();

  if (inserted) {
    await queueConfirmation(
      trx,
      { site, petition, name: input.name, to: input.email, token: token.token, manageToken: manage.token },
      now,
    );
    return "created";
  }

  const existing = await trx
    .selectFrom("signatures")
    .select(["id", "status", "name", "emails_sent"])
    .where("petition_id", "=", petition.id)
    .where("canonical_email", "=", canonical)
    .executeTakeFirstOrThrow();
  if (existing.emails_sent >= MAX_EMAILS_PER_SIGNATURE) return "email_limit_reached";

  if (existing.status === "confirmed") {
    await trx
      .updateTable("signatures")
      .set((eb) => ({
        emails_sent: eb("emails_sent", "+", 1),
        manage_token_hash: manage.hash,
        manage_token_expires_at: manageExpiry,
        updated_at: nowIso,
      }))
      .where("id", "=", existing.id)
      .execute();
    const email = alreadySignedEmail({
      site,
      signerName: existing.name,
      petitionTitle: petition.title,
      petitionUrl: petitionUrl(site, petition.slug),
      manageUrl: manageUrl(site, manage.token),
    });
    await enqueueEmail(trx, { kind: "already-signed", to: input.email, email, appUrl: site.appUrl }, now);
    return "already_confirmed";
  }

  // Still pending: the newest answers win, and a fresh link replaces the old one.
  await trx
    .updateTable("signatures")
    .set((eb) => ({
      ...details,
      token_hash: token.hash,
      token_expires_at: tokenExpiry,
      manage_token_hash: manage.hash,
      manage_token_expires_at: manageExpiry,
      emails_sent: eb("emails_sent", "+", 1),
      updated_at: nowIso,
    }))
    .where("id", "=", existing.id)
    .execute();
  await queueConfirmation(
    trx,
    { site, petition, name: input.name, to: input.email, token: token.token, manageToken: manage.token },
    now,
  );
  return "refreshed";
}

async function queueConfirmation(
  db: DB,
  m: { site: SiteContext; petition: PetitionRef; name: string; to: string; token: string; manageToken: string },
  now: Date,
) {
  const email = confirmSignatureEmail({
    site: m.site,
    signerName: m.name,
    petitionTitle: m.petition.title,
    confirmUrl: confirmUrl(m.site, m.token),
    manageUrl: manageUrl(m.site, m.manageToken),
    expiresInDays: CONFIRMATION_TTL_DAYS,
  });
  await enqueueEmail(db, { kind: "confirm-signature", to: m.to, email, appUrl: m.site.appUrl }, now);
}

/** The ids of petitions that take signatures at `nowIso`, as a subquery. */
function signablePetitionIds(eb: ExpressionBuilder<Database, "signatures">, nowIso: string) {
  return eb
    .selectFrom("petitions")
    .select("petitions.id")
    .where("petitions.status", "in", SIGNABLE_STATES)
    .where((w) => w.or([w("petitions.closes_at", "is", null), w("petitions.closes_at", ">", nowIso)]));
}

/** What a confirmation link leads to, as its page shows before the button is pressed. */
export type ConfirmationState = { state: "ready" | "expired" | "closed"; petition: PetitionRef } | { state: "invalid" };

export async function getConfirmationState(db: DB, token: string, now = new Date()): Promise<ConfirmationState> {
  if (!isWellFormedToken(token)) return { state: "invalid" };
  const row = await db
    .selectFrom("signatures as s")
    .innerJoin("petitions as p", "p.id", "s.petition_id")
    .select([
      "s.status",
      "s.token_expires_at",
      "p.id",
      "p.slug",
      "p.title",
      "p.status as petitionStatus",
      "p.closes_at",
    ])
    .where("s.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.status !== "pending") return { state: "invalid" };
  const petition = { id: row.id, slug: row.slug, title: row.title };
  if (!isSignable({ status: row.petitionStatus, closes_at: row.closes_at }, now)) return { state: "closed", petition };
  if (isExpired(row.token_expires_at, now)) return { state: "expired", petition };
  return { state: "ready", petition };
}

/**
 * Confirms the signature a token belongs to and counts it, in one
 * transaction. The token is used up; the count and the country's count rise
 * by one. Anything else (used, expired, unknown, petition closed) changes nothing.
 * With `site`, a confirmation that takes the count to a goal also emails the
 * organizers, in the same transaction (the confirm route always passes it).
 */
export async function confirmSignature(
  db: DB,
  token: string,
  now = new Date(),
  site?: SiteContext,
): Promise<ConfirmationState> {
  if (!isWellFormedToken(token)) return { state: "invalid" };
  const nowIso = now.toISOString();
  const confirmed = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("signatures")
      .set({ status: "confirmed", confirmed_at: nowIso, updated_at: nowIso, token_hash: null, token_expires_at: null })
      .where("token_hash", "=", hashToken(token))
      .where("status", "=", "pending")
      .where("token_expires_at", ">", nowIso)
      .where("petition_id", "in", (eb) => signablePetitionIds(eb, nowIso))
      .returning(["petition_id", "country", "hold"])
      .executeTakeFirst();
    if (!row) return null;
    // A held signature is confirmed (the person did everything right) but does not count.
    if (row.hold !== null) {
      return trx
        .selectFrom("petitions")
        .select(["id", "slug", "title"])
        .where("id", "=", row.petition_id)
        .executeTakeFirstOrThrow();
    }
    const petition = await trx
      .updateTable("petitions")
      .set((eb) => ({ signature_count: eb("signature_count", "+", 1) }))
      .where("id", "=", row.petition_id)
      .returning(["id", "slug", "title", "signature_count", "goal"])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("country_counts")
      .values({ petition_id: row.petition_id, country: row.country, signature_count: 1 })
      .onConflict((oc) =>
        oc.columns(["petition_id", "country"]).doUpdateSet((eb) => ({
          signature_count: eb("country_counts.signature_count", "+", 1),
        })),
      )
      .execute();
    const reached = goalReached(petition.signature_count, petition.goal);
    if (reached !== null && site) await notifyMilestone(trx, petition, reached, site, now);
    return { id: petition.id, slug: petition.slug, title: petition.title };
  });
  if (confirmed) return { state: "ready", petition: confirmed };
  // Nothing changed: say why, from the same facts the page would show.
  return getConfirmationState(db, token, now);
}

/**
 * Tells the organizers that their petition reached a goal, once per goal: a
 * count that falls back (a withdrawal) and rises again does not tell them twice.
 */
async function notifyMilestone(
  db: DB,
  petition: PetitionRef & Pick<Petition, "goal">,
  count: number,
  site: SiteContext,
  now: Date,
) {
  const details = { signatures: count };
  const told = await db
    .selectFrom("audit_log")
    .select("id")
    .where("petition_id", "=", petition.id)
    .where("action", "=", "petition.milestone")
    .where("details", "=", JSON.stringify(details))
    .executeTakeFirst();
  if (told) return;
  await audit(db, { actorId: null, action: "petition.milestone", petitionId: petition.id, details }, now);
  await notifyOrganizers(db, petition, "milestone", site, { count, nextGoal: goalFor(count, petition.goal) }, now);
}

/**
 * For an expired link: a fresh one by email, within the per-signature email
 * limit. Returns the petition so the page can say where the link is for.
 */
export async function resendConfirmation(
  db: DB,
  token: string,
  site: SiteContext,
  now = new Date(),
): Promise<PetitionRef | null> {
  if (!isWellFormedToken(token)) return null;
  return db.transaction().execute(async (trx) => {
    const fresh = newToken();
    const manage = newToken();
    const row = await trx
      .updateTable("signatures")
      .set((eb) => ({
        token_hash: fresh.hash,
        token_expires_at: expiresAt(now, CONFIRMATION_TTL_DAYS * DAY_MS),
        manage_token_hash: manage.hash,
        manage_token_expires_at: expiresAt(now, MANAGE_LINK_TTL_DAYS * DAY_MS),
        emails_sent: eb("emails_sent", "+", 1),
        updated_at: now.toISOString(),
      }))
      .where("token_hash", "=", hashToken(token))
      .where("status", "=", "pending")
      // Only for a link that has expired, on a petition that can still be signed.
      .where("token_expires_at", "<=", now.toISOString())
      .where("petition_id", "in", (eb) => signablePetitionIds(eb, now.toISOString()))
      .where("emails_sent", "<", MAX_EMAILS_PER_SIGNATURE)
      .returning(["petition_id", "name", "email"])
      .executeTakeFirst();
    if (!row) return null;
    const petition = await trx
      .selectFrom("petitions")
      .select(["id", "slug", "title"])
      .where("id", "=", row.petition_id)
      .executeTakeFirstOrThrow();
    await queueConfirmation(
      trx,
      { site, petition, name: row.name, to: row.email, token: fresh.token, manageToken: manage.token },
      now,
    );
    return petition;
  });
}

/** A signer's name as they chose to have it shown, or null if they chose not to be shown. */
export function displayName(name: string, display: NameDisplay): string | null {
  if (display === "full") return name;
  if (display === "first_initial") {
    const [first, ...rest] = name.split(" ").filter(Boolean);
    const last = rest.at(-1);
    return last ? `${first} ${Array.from(last)[0].toUpperCase()}.` : (first ?? null);
  }
  return null;
}

/** The latest confirmed signers who chose to be shown, with their names as they chose. */
export async function recentPublicSigners(db: DB, petitionId: number, limit = 10) {
  const rows = await db
    .selectFrom("signatures")
    .select(["name", "name_display", "country", "confirmed_at"])
    .where("petition_id", "=", petitionId)
    // Written as literals: SQLite uses the partial index signatures_petition_public_signers_idx, which holds only
    // these rows, only when the query names its conditions as they are written there (not as parameters).
    .where("status", "=", sql.lit("confirmed"))
    .where("hold", "is", null)
    .where("name_display", "!=", sql.lit("hidden"))
    .orderBy("confirmed_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    name: displayName(r.name, r.name_display) ?? "",
    country: r.country,
    confirmedAt: r.confirmed_at ?? "",
  }));
}
