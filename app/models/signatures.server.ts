import type { DB } from "../../db/connection";
import { sql, type ExpressionBuilder } from "kysely";
import type { Database, NameDisplay, Petition } from "../../db/schema";
import { alreadySignedEmail } from "../../emails/already-signed";
import { confirmSignatureEmail } from "../../emails/confirm-signature";
import type { SiteContext } from "../../emails/layout";
import { emailDomainOf } from "../lib/canonical-email";
import { emailLanguage } from "../lib/i18n.server";
import type { ClientHashes } from "../lib/client-address.server";
import { DAY_MS, expiresAt, hashToken, isExpired, isWellFormedToken, newToken } from "../lib/tokens.server";
import { UPDATES_CONSENT, type SignatureInput } from "../schemas/signature.server";
import { enqueueEmail } from "./outbox.server";
import { SIGNABLE_STATES, isSignable } from "./petition-lifecycle.server";

export const CONFIRMATION_TTL_DAYS = 14;
/** How long the "manage my signature" link in an email works; a signer can ask for a new one. */
export const MANAGE_LINK_TTL_DAYS = 90;
/** No signature gets more emails than this, however often its address is typed into the form. */
export const MAX_EMAILS_PER_SIGNATURE = 5;

type PetitionRef = Pick<Petition, "id" | "slug" | "title" | "language">;

/**
 * What happened to a submission. For tests and logs only: the person always
 * sees the same page, so that nobody can learn whether an address has signed.
 */
export type SubmitOutcome = "created" | "refreshed" | "already_confirmed" | "email_limit_reached";

/** The confirmation page, in the language the person signed in (English needs no parameter). */
export function confirmUrl(site: SiteContext, token: string, locale = "en"): string {
  return `${site.appUrl}/confirm/${token}${locale === "en" ? "" : `?lang=${encodeURIComponent(locale)}`}`;
}

export function manageUrl(site: SiteContext, token: string): string {
  return `${site.appUrl}/signature/${token}`;
}

export function petitionUrl(site: SiteContext, slug: string): string {
  return `${site.appUrl}/petitions/${slug}`;
}

/** Everything the signing module decided about a submission, for recordSignature to store. */
export type NewSignatureArgs = {
  petition: Pick<Petition, "id" | "slug" | "title">;
  input: SignatureInput;
  /** The address in its canonical form (app/lib/canonical-email.ts): one signature per person per petition. */
  canonical: string;
  site: SiteContext;
  /** Keyed hashes of the client's address and network (app/lib/client-address.server.ts). */
  client?: ClientHashes;
  /** A clear sign of a bot: the signature is kept but never counts unless a moderator releases it. */
  holdReason?: string | null;
  /** Something a moderator may want to look at; the signature still counts once confirmed. */
  reviewReason?: string | null;
  /** Where it came from: "web", or "api:<token name>" (app/services/signing.server.ts SigningChannel). */
  source?: string | null;
  /** OSDI referrer_data as JSON text. */
  referrerData?: string | null;
  /** The language of the page the person signed on: their emails are written in it. English when left out. */
  locale?: string;
  now?: Date;
};

/**
 * Stores a new signature, or refreshes a pending one, and queues the email that goes with it; call it
 * inside the write transaction of the signing module (app/services/signing.server.ts). The insert comes
 * first, so the unique (petition, canonical email) index settles a race between two submissions.
 * What happened is for tests and logs only: the person always sees the same page.
 */
export async function recordSignature(trx: DB, args: NewSignatureArgs): Promise<SubmitOutcome> {
  const { petition, input, site, canonical } = args;
  const locale = args.locale ?? "en";
  const now = args.now ?? new Date();
  const nowIso = now.toISOString();
  const details = {
    name: input.name,
    email: input.email,
    country: input.country,
    postcode: input.postcode,
    name_display: input.nameDisplay,
    updates_consent: input.updates ? 1 : 0,
    consent_wording_version: UPDATES_CONSENT.version,
    locale,
  };
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
      hold: args.holdReason ? "suspect" : null,
      hold_reason: args.holdReason ?? null,
      review_reason: args.reviewReason ?? null,
      ip_hash: args.client?.ipHash ?? null,
      network_hash: args.client?.networkHash ?? null,
      email_domain: emailDomainOf(canonical),
      manage_token_hash: manage.hash,
      manage_token_expires_at: manageExpiry,
      source: args.source ?? null,
      referrer_data: args.referrerData ?? null,
    })
    .onConflict((oc) => oc.columns(["petition_id", "canonical_email"]).doNothing())
    .returning("id")
    .executeTakeFirst();

  if (inserted) {
    await queueConfirmation(
      trx,
      { site, petition, name: input.name, to: input.email, token: token.token, manageToken: manage.token, locale },
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
    // In the language of the page they signed on this time: the one they are reading now.
    const email = alreadySignedEmail(
      {
        site,
        signerName: existing.name,
        petitionTitle: petition.title,
        petitionUrl: petitionUrl(site, petition.slug),
        manageUrl: manageUrl(site, manage.token),
      },
      emailLanguage(locale),
    );
    await enqueueEmail(trx, { kind: "already-signed", to: input.email, email, appUrl: site.appUrl }, now);
    return "already_confirmed";
  }

  // Still pending: the newest answers win, and a fresh link replaces the old one. Whether it is held or
  // flagged stays as the first submission left it.
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
    { site, petition, name: input.name, to: input.email, token: token.token, manageToken: manage.token, locale },
    now,
  );
  return "refreshed";
}

async function queueConfirmation(
  db: DB,
  m: {
    site: SiteContext;
    petition: Pick<Petition, "title">;
    name: string;
    to: string;
    token: string;
    manageToken: string;
    locale: string;
  },
  now: Date,
) {
  const email = confirmSignatureEmail(
    {
      site: m.site,
      signerName: m.name,
      petitionTitle: m.petition.title,
      confirmUrl: confirmUrl(m.site, m.token, m.locale),
      manageUrl: manageUrl(m.site, m.manageToken),
      expiresInDays: CONFIRMATION_TTL_DAYS,
    },
    emailLanguage(m.locale),
  );
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
      "p.language",
      "p.status as petitionStatus",
      "p.closes_at",
    ])
    .where("s.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row || row.status !== "pending") return { state: "invalid" };
  const petition = { id: row.id, slug: row.slug, title: row.title, language: row.language };
  if (!isSignable({ status: row.petitionStatus, closes_at: row.closes_at }, now)) return { state: "closed", petition };
  if (isExpired(row.token_expires_at, now)) return { state: "expired", petition };
  return { state: "ready", petition };
}

/** A signature just confirmed: what the signing module needs to count it. */
export type ConfirmedSignature = {
  petition: PetitionRef;
  /** Held by a quiet check: confirmed, but it does not count unless a moderator releases it. */
  held: boolean;
  country: string;
  confirmed_at: string;
};

/**
 * Confirms the pending signature a token belongs to and uses the token up, on a petition that still takes
 * signatures; null if the token is used, expired, unknown or its petition closed. Run it in the signing
 * module's transaction, which counts the signature (app/services/signing.server.ts).
 */
export async function markConfirmed(trx: DB, token: string, now = new Date()): Promise<ConfirmedSignature | null> {
  if (!isWellFormedToken(token)) return null;
  const nowIso = now.toISOString();
  const row = await trx
    .updateTable("signatures")
    .set({ status: "confirmed", confirmed_at: nowIso, updated_at: nowIso, token_hash: null, token_expires_at: null })
    .where("token_hash", "=", hashToken(token))
    .where("status", "=", "pending")
    .where("token_expires_at", ">", nowIso)
    .where("petition_id", "in", (eb) => signablePetitionIds(eb, nowIso))
    // The petition comes back with the row, from the same statement: on PostgreSQL each statement is a round trip.
    .returning((eb) => {
      const ofPetition = <C extends "slug" | "title" | "language">(column: C) =>
        eb.selectFrom("petitions").select(column).whereRef("petitions.id", "=", "signatures.petition_id");
      return [
        "petition_id",
        "country",
        "hold",
        ofPetition("slug").as("slug"),
        ofPetition("title").as("title"),
        ofPetition("language").as("language"),
      ];
    })
    .executeTakeFirst();
  if (!row) return null;
  const { slug, title, language } = row;
  // Never null: the signature's petition exists (a foreign key), and these columns are NOT NULL.
  if (slug === null || title === null || language === null) throw new Error(`petition ${row.petition_id} not found`);
  const petition = { id: row.petition_id, slug, title, language };
  return { petition, held: row.hold !== null, country: row.country, confirmed_at: nowIso };
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
      .returning(["petition_id", "name", "email", "locale"])
      .executeTakeFirst();
    if (!row) return null;
    const petition = await trx
      .selectFrom("petitions")
      .select(["id", "slug", "title", "language"])
      .where("id", "=", row.petition_id)
      .executeTakeFirstOrThrow();
    await queueConfirmation(
      trx,
      {
        site,
        petition,
        name: row.name,
        to: row.email,
        token: fresh.token,
        manageToken: manage.token,
        locale: row.locale,
      },
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
