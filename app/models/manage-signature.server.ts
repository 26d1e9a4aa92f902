import { emailLanguage } from "../lib/i18n.server";
import { randomUUID } from "node:crypto";
import type { ExpressionBuilder, Updateable } from "kysely";
import { forgetOnDisk, type DB } from "../../db/connection";
import type { Database, NameDisplay, Petition, SignaturesTable, SignatureStatus } from "../../db/schema";
import type { SiteContext } from "../../emails/layout";
import { manageLinksEmail } from "../../emails/manage-links";
import { canonicalEmail } from "../lib/canonical-email";
import { DAY_MS, expiresAt, hashToken, isExpired, isWellFormedToken, newToken } from "../lib/tokens.server";
import { UPDATES_CONSENT } from "../schemas/signature-fields";
import { audit } from "./audit.server";
import { countOut } from "./counts.server";
import { liftStopAll, type SuppressionReason } from "./subscription.server";
import { enqueueEmail } from "./outbox.server";
import { displayName, MANAGE_LINK_TTL_DAYS, manageUrl } from "./signatures.server";
import { PUBLIC_STATES, isSignable } from "./petition-lifecycle.server";

/**
 * What a signer can do with their own signature, holding only the key from
 * an email (docs/decisions/0009-signer-data.md): see it, change how their
 * name is shown, stop or start updates, withdraw it, or erase their details.
 * Every change checks the key inside its own query, in one transaction.
 */

/** "Send me my manage links" emails one mailbox may be sent in a day; more requests send nothing. */
export const MAX_MANAGE_LINK_EMAILS_PER_DAY = 3;
/** The emails that are about a signature; a signer who withdraws or erases takes our copies of them too. */
export const SIGNER_MAIL_KINDS = ["confirm-signature", "already-signed", "manage-links"];

type PetitionRef = Pick<Petition, "id" | "slug" | "title" | "language">;

/** The signature a manage link opens, as its owner sees it. Nothing about other signers. */
export type ManagedSignature = {
  name: string;
  nameDisplay: NameDisplay;
  /** The name as the petition page shows it, or null when it is not shown. */
  shownAs: string | null;
  country: string;
  postcode: string | null;
  updates: boolean;
  /**
   * Set when this address gets no email from us at all: the signer asked us to stop all email
   * ("unsubscribe_all", which they may undo), or mail to it bounced or was reported as spam.
   * Updates then do not reach it whatever `updates` says.
   */
  emailStopped: SuppressionReason | null;
  status: SignatureStatus;
  petition: { slug: string; title: string; language: string; isPublic: boolean; signable: boolean };
};

export type ManageLinkState = { state: "ready"; signature: ManagedSignature } | { state: "expired" | "invalid" };

/** The row a manage link opens: its key, not expired, not yet anonymised. */
function heldBy(token: string, nowIso: string) {
  return (eb: ExpressionBuilder<Database, "signatures">) =>
    eb.and([
      eb("manage_token_hash", "=", hashToken(token)),
      eb("manage_token_expires_at", ">", nowIso),
      eb("anonymised_at", "is", null),
    ]);
}

export async function getManagedSignature(db: DB, token: string, now = new Date()): Promise<ManageLinkState> {
  if (!isWellFormedToken(token)) return { state: "invalid" };
  const row = await db
    .selectFrom("signatures as s")
    .innerJoin("petitions as p", "p.id", "s.petition_id")
    .leftJoin("suppressions as x", "x.canonical_email", "s.canonical_email")
    .select([
      "x.reason as suppression",
      "s.name",
      "s.name_display",
      "s.country",
      "s.postcode",
      "s.updates_consent",
      "s.status",
      "s.manage_token_expires_at",
      "p.slug",
      "p.title",
      "p.language",
      "p.status as petitionStatus",
      "p.closes_at",
    ])
    .where("s.manage_token_hash", "=", hashToken(token))
    .where("s.anonymised_at", "is", null)
    .executeTakeFirst();
  if (!row) return { state: "invalid" };
  if (isExpired(row.manage_token_expires_at, now)) return { state: "expired" };
  return {
    state: "ready",
    signature: {
      name: row.name,
      nameDisplay: row.name_display,
      shownAs: displayName(row.name, row.name_display),
      country: row.country,
      postcode: row.postcode,
      updates: row.updates_consent === 1,
      emailStopped: row.suppression ?? null,
      status: row.status,
      petition: {
        slug: row.slug,
        title: row.title,
        language: row.language,
        isPublic: PUBLIC_STATES.includes(row.petitionStatus),
        signable: isSignable({ status: row.petitionStatus, closes_at: row.closes_at }, now),
      },
    },
  };
}

/** Changes how the name is shown on the petition. False if the link no longer works. */
export async function setNameDisplay(
  db: DB,
  args: { token: string; nameDisplay: NameDisplay; now?: Date },
): Promise<boolean> {
  if (!isWellFormedToken(args.token)) return false;
  const nowIso = (args.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("signatures")
      .set({ name_display: args.nameDisplay, updated_at: nowIso })
      .where(heldBy(args.token, nowIso))
      .returning("id")
      .executeTakeFirst();
    return row !== undefined;
  });
}

/**
 * Stops or starts updates for this petition. Starting records the version of
 * the consent wording the page showed beside the button.
 */
export async function setUpdates(db: DB, args: { token: string; updates: boolean; now?: Date }): Promise<boolean> {
  if (!isWellFormedToken(args.token)) return false;
  const nowIso = (args.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("signatures")
      .set(
        args.updates
          ? { updates_consent: 1, consent_wording_version: UPDATES_CONSENT.version, updated_at: nowIso }
          : { updates_consent: 0, updated_at: nowIso },
      )
      .where(heldBy(args.token, nowIso))
      .returning("id")
      .executeTakeFirst();
    return row !== undefined;
  });
}

/**
 * Lifts the signer's own "stop all email from this site" (never a bounce or
 * a complaint). False if the link no longer works; true, and no change, when
 * there was nothing to lift.
 */
export async function resumeEmailFromManagePage(db: DB, args: { token: string; now?: Date }): Promise<boolean> {
  if (!isWellFormedToken(args.token)) return false;
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    // A write first (docs/decisions/0003-portable-sql.md): it also proves the key.
    const row = await trx
      .updateTable("signatures")
      .set({ updated_at: now.toISOString() })
      .where(heldBy(args.token, now.toISOString()))
      .returning("id")
      .executeTakeFirst();
    if (!row) return false;
    await liftStopAll(trx, { signatureId: row.id, now });
    return true;
  });
}

/**
 * What the page tells the signer afterwards. Whether the signature was held by
 * the fraud checks is not in it: a held signer sees what everyone sees.
 */
export type SignerChange = { petition: PetitionRef; isPublic: boolean; wasConfirmed: boolean };

/**
 * Withdraws a signature: the row is deleted, and if it counted (confirmed and
 * not held) the petition's total and its country's count drop by one, in the
 * same transaction. The audit log records that a signature was withdrawn from
 * the petition, and nothing about whose.
 */
export async function withdrawSignature(db: DB, args: { token: string; now?: Date }): Promise<SignerChange | null> {
  if (!isWellFormedToken(args.token)) return null;
  const now = args.now ?? new Date();
  const change = await db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom("signatures")
      .where(heldBy(args.token, now.toISOString()))
      .returning(["petition_id", "country", "status", "hold", "email", "confirmed_at"])
      .executeTakeFirst();
    if (!row) return null;
    const counted = row.status === "confirmed" && row.hold === null;
    if (counted) await countOut(trx, row.petition_id, [row]);
    await forgetMailTo(trx, row.email);
    await audit(trx, { actorId: null, action: "signature.withdraw", petitionId: row.petition_id }, now);
    return { ...(await petitionRef(trx, row.petition_id)), wasConfirmed: row.status === "confirmed" };
  });
  if (change) forgetOnDisk(db);
  return change;
}

/**
 * Erases a signer's personal data for good. A confirmed signature stays
 * counted (the campaign keeps its number, the signer keeps their support) but
 * nothing is left that could lead back to them: see erasedPersonalData. A
 * pending signature never counted, so it is simply deleted.
 */
export async function eraseSignature(db: DB, args: { token: string; now?: Date }): Promise<SignerChange | null> {
  if (!isWellFormedToken(args.token)) return null;
  const now = args.now ?? new Date();
  const change = await db.transaction().execute(async (trx) => {
    // A write comes first (docs/decisions/0003-portable-sql.md), and it hands back the address before it goes.
    const row = await trx
      .updateTable("signatures")
      .set({ updated_at: now.toISOString() })
      .where(heldBy(args.token, now.toISOString()))
      .returning(["id", "petition_id", "status", "email"])
      .executeTakeFirst();
    if (!row) return null;
    if (row.status === "pending") {
      await trx.deleteFrom("signatures").where("id", "=", row.id).execute();
    } else {
      await trx.updateTable("signatures").set(erasedPersonalData(now)).where("id", "=", row.id).execute();
    }
    await forgetMailTo(trx, row.email);
    await audit(trx, { actorId: null, action: "signature.erase", petitionId: row.petition_id }, now);
    return { ...(await petitionRef(trx, row.petition_id)), wasConfirmed: row.status === "confirmed" };
  });
  if (change) forgetOnDisk(db);
  return change;
}

/**
 * What an erased or anonymised signature keeps: its petition, country,
 * status, hold and dates, which the counts (in total, by country, by day) are
 * made from. Everything that could identify the signer is overwritten. The
 * address becomes a random one under the reserved .invalid domain, unique so
 * that the (petition, canonical email) index still holds, and unrelated to
 * the old one; no form accepts it, so nobody can sign as it.
 */
export function erasedPersonalData(now: Date): Updateable<SignaturesTable> {
  const placeholder = `erased-${randomUUID()}@invalid`;
  const nowIso = now.toISOString();
  return {
    name: "",
    email: placeholder,
    canonical_email: placeholder,
    postcode: null,
    name_display: "hidden",
    updates_consent: 0,
    token_hash: null,
    token_expires_at: null,
    manage_token_hash: null,
    manage_token_expires_at: null,
    ip_hash: null,
    network_hash: null,
    email_domain: null,
    // Who referred the signer, and from which page, can point at the signer too.
    referrer_data: null,
    anonymised_at: nowIso,
    updated_at: nowIso,
  };
}

/**
 * Deletes our copies of the signature emails already sent to an address (they
 * hold the name and the address). Messages still waiting to go are left: they
 * may be about another petition; the outbox forgets them once sent
 * (app/models/retention.server.ts).
 */
async function forgetMailTo(db: DB, address: string): Promise<void> {
  await db
    .deleteFrom("outbox")
    .where("to_address", "=", address)
    .where("kind", "in", SIGNER_MAIL_KINDS)
    .where("status", "in", ["sent", "failed"])
    .execute();
}

async function petitionRef(db: DB, id: number): Promise<{ petition: PetitionRef; isPublic: boolean }> {
  const p = await db
    .selectFrom("petitions")
    .select(["id", "slug", "title", "language", "status"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return {
    petition: { id: p.id, slug: p.slug, title: p.title, language: p.language },
    isPublic: PUBLIC_STATES.includes(p.status),
  };
}

class DailyLimitReached extends Error {}

/**
 * "Send me my manage links". If the address has signatures, one email lists
 * each petition with a fresh link (a new key per signature, replacing the
 * old); if it has none, nothing is sent. At most MAX_MANAGE_LINK_EMAILS_PER_DAY
 * go to one mailbox a day; over that, nothing changes and the old links keep
 * working. The caller shows the same page whatever this returns.
 *
 * The email goes to the address the newest signature was made with, never
 * to a differently written one that only canonicalises to it.
 */
export async function requestManageLinks(
  db: DB,
  args: { email: string; site: SiteContext; now?: Date },
): Promise<"sent" | "none" | "limited"> {
  const now = args.now ?? new Date();
  const canonical = canonicalEmail(args.email);
  const found = await db
    .selectFrom("signatures as s")
    .innerJoin("petitions as p", "p.id", "s.petition_id")
    .select(["s.id", "s.email", "s.status", "s.locale", "p.title", "p.language"])
    .where("s.canonical_email", "=", canonical)
    .where("s.anonymised_at", "is", null)
    .orderBy("s.created_at", "desc")
    .orderBy("s.id", "desc")
    .execute();
  if (found.length === 0) return "none";
  const recipient = found[0].email;
  const addresses = [...new Set(found.map((s) => s.email))];
  const expiry = expiresAt(now, MANAGE_LINK_TTL_DAYS * DAY_MS);

  try {
    return await db.transaction().execute(async (trx) => {
      // New keys first (the write takes the lock); if the mailbox is over its limit they are rolled back.
      const signatures: { petitionTitle: string; petitionLanguage: string; confirmed: boolean; manageUrl: string }[] =
        [];
      for (const s of found) {
        const manage = newToken();
        const updated = await trx
          .updateTable("signatures")
          .set({ manage_token_hash: manage.hash, manage_token_expires_at: expiry })
          .where("id", "=", s.id)
          .where("canonical_email", "=", canonical)
          .where("anonymised_at", "is", null)
          .returning("status")
          .executeTakeFirst();
        if (updated) {
          signatures.push({
            petitionTitle: s.title,
            petitionLanguage: s.language,
            confirmed: updated.status === "confirmed",
            manageUrl: manageUrl(args.site, manage.token),
          });
        }
      }
      if (signatures.length === 0) return "none";
      const recent = await trx
        .selectFrom("outbox")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("to_address", "in", addresses)
        .where("kind", "=", "manage-links")
        .where("created_at", ">", new Date(now.getTime() - DAY_MS).toISOString())
        .executeTakeFirstOrThrow();
      if (Number(recent.n) >= MAX_MANAGE_LINK_EMAILS_PER_DAY) throw new DailyLimitReached();
      // In the language of the mailbox's newest signature: the one its owner last signed in.
      const email = manageLinksEmail({
        site: args.site,
        lang: emailLanguage(found[0].locale),
        signatures,
        expiresInDays: MANAGE_LINK_TTL_DAYS,
      });
      await enqueueEmail(trx, { kind: "manage-links", to: recipient, email, appUrl: args.site.appUrl }, now);
      return "sent" as const;
    });
  } catch (err) {
    if (err instanceof DailyLimitReached) return "limited";
    throw err;
  }
}
