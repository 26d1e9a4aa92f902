import type { DB } from "../../db/connection";
import type { SuppressionsTable } from "../../db/schema";
import { readUnsubscribeToken, type UnsubscribeScope } from "../lib/unsubscribe.server";
import { audit } from "./audit.server";
import { suppressAddress } from "./update.server";
import { PUBLIC_STATES } from "./petition-lifecycle.server";

/**
 * Unsubscribing from the link in an update email (docs/decisions/0011-unsubscribe.md).
 * The signed token in the link is the only authority: the mail provider's
 * one-click POST carries no cookies, and nobody signs in. Every function here
 * is idempotent, so a provider that retries, or a person who presses twice,
 * changes nothing the second time.
 */

export type SuppressionReason = SuppressionsTable["reason"];

/** What an unsubscribe link is about, and where things stand. */
export type SubscriptionState = {
  scope: UnsubscribeScope;
  /**
   * The petition the signature is on, or null when the signature is gone
   * (withdrawn or erased): nothing is sent about it any more, and nothing is
   * left to change.
   */
  petition: { title: string; language: string; slug: string; isPublic: boolean } | null;
  /** Updates about this petition are off for this signature. */
  updatesOff: boolean;
  /** Whether the address gets no email from this site at all, and why. */
  suppressed: SuppressionReason | null;
};

export type UnsubscribeResult = SubscriptionState & {
  /** False when everything was already as asked (a second press, a provider's retry). */
  changed: boolean;
  /** Update emails still waiting in the outbox that will now not be sent. */
  cancelled: number;
};

type Secret = { token: string; secret: string; now?: Date };

/** The signature a link names, with its petition and whether its address is suppressed; undefined if gone. */
async function signatureFor(db: DB, signatureId: number) {
  return db
    .selectFrom("signatures as s")
    .innerJoin("petitions as p", "p.id", "s.petition_id")
    .leftJoin("suppressions as x", "x.canonical_email", "s.canonical_email")
    .select([
      "s.id",
      "s.petition_id",
      "s.canonical_email",
      "s.updates_consent",
      "p.title",
      "p.language",
      "p.slug",
      "p.status",
      "x.reason",
    ])
    .where("s.id", "=", signatureId)
    .where("s.anonymised_at", "is", null)
    .executeTakeFirst();
}

function stateOf(scope: UnsubscribeScope, row: Awaited<ReturnType<typeof signatureFor>>): SubscriptionState {
  if (!row) return { scope, petition: null, updatesOff: true, suppressed: null };
  return {
    scope,
    petition: {
      title: row.title,
      language: row.language,
      slug: row.slug,
      isPublic: PUBLIC_STATES.includes(row.status),
    },
    updatesOff: row.updates_consent === 0,
    suppressed: row.reason ?? null,
  };
}

/** What the link's page shows before anything is pressed. Changes nothing; null if the token is not one of ours. */
export async function getSubscriptionState(db: DB, args: Omit<Secret, "now">): Promise<SubscriptionState | null> {
  const link = readUnsubscribeToken(args.secret, args.token);
  if (!link) return null;
  return stateOf(link.scope, await signatureFor(db, link.signatureId));
}

/**
 * Unsubscribes at once. Scope "petition": no more updates about this
 * signature's petition. Scope "all": the address is suppressed (no email
 * from this site that the person did not just ask for) and updates are
 * turned off on every signature made with it. Either way, update emails
 * already queued for it are cancelled. Null if the token is not one of ours.
 */
export async function unsubscribe(db: DB, args: Secret): Promise<UnsubscribeResult | null> {
  const link = readUnsubscribeToken(args.secret, args.token);
  if (!link) return null;
  const now = args.now ?? new Date();
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    // The write comes first (docs/decisions/0003-portable-sql.md); it is also all that "petition" needs.
    const own = await trx
      .updateTable("signatures")
      .set({ updates_consent: 0, updated_at: nowIso })
      .where("id", "=", link.signatureId)
      .where("anonymised_at", "is", null)
      .where("updates_consent", "=", 1)
      .returning("id")
      .executeTakeFirst();
    const row = await signatureFor(trx, link.signatureId);
    if (!row) return { ...stateOf(link.scope, row), changed: false, cancelled: 0 };

    let changed = own !== undefined;
    let signatureIds = [row.id];
    if (link.scope === "all") {
      if (!row.reason) {
        await suppressAddress(trx, row.canonical_email, "unsubscribe_all", now);
        changed = true;
      }
      const others = await trx
        .updateTable("signatures")
        .set({ updates_consent: 0, updated_at: nowIso })
        .where("canonical_email", "=", row.canonical_email)
        .where("anonymised_at", "is", null)
        .where("updates_consent", "=", 1)
        .returning("id")
        .execute();
      if (others.length > 0) changed = true;
      const same = await trx
        .selectFrom("signatures")
        .select("id")
        .where("canonical_email", "=", row.canonical_email)
        .execute();
      signatureIds = same.map((s) => s.id);
    }

    const cancelled = await cancelQueuedUpdates(trx, signatureIds);
    if (changed || cancelled > 0) {
      // Which petition, and how far: nothing about who.
      await audit(
        trx,
        {
          actorId: null,
          action: "subscription.unsubscribe",
          petitionId: row.petition_id,
          details: { scope: link.scope },
        },
        now,
      );
    }
    const after = await signatureFor(trx, link.signatureId);
    return { ...stateOf(link.scope, after), changed, cancelled };
  });
}

/**
 * Update emails for these signatures that are waiting to be sent become
 * "cancelled". Only updates still going out can have any, and the outbox's
 * (update, signature) index finds them without reading the whole queue. A
 * message a worker has already claimed is checked again as it is composed.
 */
async function cancelQueuedUpdates(db: DB, signatureIds: number[]): Promise<number> {
  if (signatureIds.length === 0) return 0;
  const result = await db
    .updateTable("outbox")
    .set({ status: "cancelled", last_error: "the signer unsubscribed" })
    .where("update_id", "in", (eb) =>
      eb.selectFrom("updates").select("id").where("email_status", "in", ["queuing", "sending"]),
    )
    .where("signature_id", "in", signatureIds)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Lifts a "stop all email" for the address of one signature: email from the
 * site may reach it again. Updates stay off wherever they were turned off;
 * the signer turns them on per campaign from its manage page. A suppression
 * for any other reason (a bounce, a complaint) stays: those are not the
 * person's choice to undo from a link. Returns whether one was lifted.
 */
export async function liftStopAll(db: DB, args: { signatureId: number; now?: Date }): Promise<boolean> {
  // The write comes first (docs/decisions/0003-portable-sql.md).
  const result = await db
    .deleteFrom("suppressions")
    .where("reason", "=", "unsubscribe_all")
    .where("canonical_email", "in", (eb) =>
      eb
        .selectFrom("signatures")
        .select("canonical_email")
        .where("id", "=", args.signatureId)
        .where("anonymised_at", "is", null),
    )
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) return false;
  const s = await db
    .selectFrom("signatures")
    .select("petition_id")
    .where("id", "=", args.signatureId)
    .executeTakeFirstOrThrow();
  await audit(db, { actorId: null, action: "subscription.resume", petitionId: s.petition_id }, args.now);
  return true;
}

/**
 * "Start receiving email again", pressed on the page of a stop-all link:
 * the undo for a stop-all. Null if the token is not one of ours or is not a
 * stop-all link.
 */
export async function resumeEmail(db: DB, args: Secret): Promise<(SubscriptionState & { changed: boolean }) | null> {
  const link = readUnsubscribeToken(args.secret, args.token);
  if (!link || link.scope !== "all") return null;
  return db.transaction().execute(async (trx) => {
    const changed = await liftStopAll(trx, { signatureId: link.signatureId, now: args.now });
    return { ...stateOf(link.scope, await signatureFor(trx, link.signatureId)), changed };
  });
}
