import { sql, type ExpressionBuilder } from "kysely";
import { encodeWord, isPlainText } from "nodemailer/lib/mime-funcs";
import type { DB } from "../../db/connection";
import type { Database, OutboxMessage, Update } from "../../db/schema";
import type { Email, EmailLanguage, SiteContext } from "../../emails/layout";
import { fillUpdateLinks, updateEmail } from "../../emails/update";
import { canonicalEmail } from "../lib/canonical-email";
import { LANGUAGES } from "../lib/i18n";
import { emailLanguage } from "../lib/i18n.server";
import { PUBLISHED_STATES } from "./petition-lifecycle.server";
import { renderMarkdown } from "../lib/markdown.server";
import { UPDATE_TITLE_MAX } from "../schemas/update-fields";
import { unsubscribeToken } from "../lib/unsubscribe.server";
import { DAY_MS, expiresAt, newToken } from "../lib/tokens.server";
import { audit } from "./audit.server";
import { MANAGE_LINK_TTL_DAYS, manageUrl } from "./signatures.server";
import { organizedBy } from "./organizer-team.server";
import { enqueueEmail } from "./outbox.server";

/** How many recipients one queueing step adds: one short transaction each, so signing carries on. */
export const QUEUE_BATCH = 2000;

/**
 * A Message-ID made by the database for each row an INSERT ... SELECT adds: two of its random numbers, on the
 * site's host. It says nothing about the update or the signature (an id made of their numbers told every
 * recipient their row's number), and it is fixed in the row, so a retry sends the same one. random() is in
 * SQLite (a 64-bit integer, from its ChaCha20 generator) and PostgreSQL (a fraction) alike; the cast and
 * replace() make either into the digits of a Message-ID. Made in JavaScript instead, row by row, queueing
 * took twice as long, and with it the write lock that signing waits for.
 */
function randomMessageId(host: string) {
  const digits = sql<string>`replace(cast(random() as varchar(40)), '-', '')`;
  return sql<string>`'<' || ${digits} || '.' || ${digits} || '@' || ${host} || '>'`;
}

export type UpdateInput = { title: string; body: string };

/** The Markdown source as plain text for the text part: links keep their address. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, "$1 ($2)")
    .replace(/^#{1,6}\s*/gm, "")
    .replace(/\*\*|__/g, "");
}

export function updateUrl(site: SiteContext, slug: string, updateId: number): string {
  return `${site.appUrl}/petitions/${slug}/updates/${updateId}`;
}

type EmailSource = Pick<Update, "id" | "title" | "body_html" | "body_markdown"> & {
  slug: string;
  petitionTitle: string;
  petitionLanguage?: string;
};

/** The update's email with the placeholders for each recipient's links still in it, in one language. */
function renderUpdateEmail(site: SiteContext, u: EmailSource, test = false, lang: EmailLanguage = emailLanguage("en")) {
  return updateEmail({
    site,
    lang,
    petitionTitle: u.petitionTitle,
    petitionLanguage: u.petitionLanguage,
    updateTitle: u.title,
    bodyHtml: u.body_html,
    bodyText: markdownToText(u.body_markdown),
    updateUrl: updateUrl(site, u.slug, u.id),
    test,
  });
}

/**
 * An emailed update in every language but English (which is in updates.email_*), rendered once each at
 * publication: the worker gives each recipient the copy in their signature's language (signatures.locale)
 * and fills in their links, so a language costs one render, not one per recipient.
 */
export async function storeUpdateTranslations(
  db: DB,
  updateId: number,
  render: (lang: EmailLanguage) => Email,
): Promise<void> {
  const rows = LANGUAGES.filter((l) => l !== "en").map((locale) => {
    const email = render(emailLanguage(locale));
    return { update_id: updateId, locale, subject: email.subject, html: email.html, text: email.text };
  });
  await db.insertInto("update_emails").values(rows).execute();
}

/**
 * The email as a subscriber who reads `lang` would get it, for the organizer's preview: each
 * recipient's own links are dead here (the preview frame is sandboxed too).
 */
export function previewUpdateEmail(site: SiteContext, u: EmailSource, lang: EmailLanguage = emailLanguage("en")) {
  const email = renderUpdateEmail(site, u, false, lang);
  const textLink = lang.t("updates.preview.ownLink");
  return {
    subject: email.subject,
    html: fillUpdateLinks(email.html, { petition: "#", all: "#", manage: "#" }),
    text: fillUpdateLinks(email.text, { petition: textLink, all: textLink, manage: textLink }),
  };
}

/** A draft update on a petition the user organizes; null if they do not. */
export async function createUpdate(
  db: DB,
  args: { petitionId: number; userId: number; input: UpdateInput; now?: Date },
): Promise<number | null> {
  const now = (args.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const petition = await trx
      .selectFrom("petitions")
      .select("id")
      .where("id", "=", args.petitionId)
      .where("status", "in", ["open", "closed", "victory"])
      .where(organizedBy(args.userId))
      .executeTakeFirst();
    if (!petition) return null;
    const { id } = await trx
      .insertInto("updates")
      .values({
        petition_id: petition.id,
        title: args.input.title,
        body_markdown: args.input.body,
        body_html: renderMarkdown(args.input.body),
        status: "draft",
        published_at: null,
        email_subject: null,
        email_html: null,
        email_text: null,
        email_queued_at: null,
        stopped_at: null,
        stopped_by: null,
        created_by: args.userId,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return id;
  });
}

/** Edits a draft update; published updates are history and stay as they were sent. */
export async function editUpdate(
  db: DB,
  args: { updateId: number; userId: number; input: UpdateInput; now?: Date },
): Promise<boolean> {
  const result = await db
    .updateTable("updates")
    .set({
      title: args.input.title,
      body_markdown: args.input.body,
      body_html: renderMarkdown(args.input.body),
      updated_at: (args.now ?? new Date()).toISOString(),
    })
    .where("id", "=", args.updateId)
    .where("status", "=", "draft")
    .where("petition_id", "in", (eb) =>
      eb.selectFrom("petition_organizers").select("petition_id").where("user_id", "=", args.userId),
    )
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** An update with its petition, for a user who organizes it (or any moderator when `moderator` is true). */
export async function getUpdateForOrganizer(db: DB, args: { updateId: number; userId: number; moderator?: boolean }) {
  let q = db
    .selectFrom("updates as u")
    .innerJoin("petitions as p", "p.id", "u.petition_id")
    .selectAll("u")
    .select(["p.slug", "p.title as petitionTitle", "p.status as petitionStatus", "p.language as petitionLanguage"])
    .where("u.id", "=", args.updateId);
  if (!args.moderator) {
    q = q.where("u.petition_id", "in", (eb) =>
      eb.selectFrom("petition_organizers").select("petition_id").where("user_id", "=", args.userId),
    );
  }
  return q.executeTakeFirst();
}

/** Subscribers: confirmed, counted signatures whose signer asked for updates and whose address is not suppressed. */
function subscribers(db: DB, petitionId: number) {
  return db
    .selectFrom("signatures as s")
    .where("s.petition_id", "=", petitionId)
    .where("s.status", "=", "confirmed")
    .where("s.hold", "is", null)
    .where("s.updates_consent", "=", 1)
    .where("s.canonical_email", "not in", (eb) => eb.selectFrom("suppressions").select("canonical_email"));
}

export async function countSubscribers(db: DB, petitionId: number): Promise<number> {
  const row = await subscribers(db, petitionId)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the petition may next email an update, or null if it may now. */
export async function nextEmailAllowedAt(
  db: DB,
  petitionId: number,
  minIntervalMs: number,
  now = new Date(),
): Promise<Date | null> {
  const last = await db
    .selectFrom("updates")
    .select((eb) => eb.fn.max("email_queued_at").as("at"))
    .where("petition_id", "=", petitionId)
    .where("email_queued_at", "is not", null)
    .executeTakeFirst();
  if (!last?.at) return null;
  const next = new Date(new Date(last.at as string).getTime() + minIntervalMs);
  return next > now ? next : null;
}

/**
 * Publishes a draft: it appears on the campaign page and in its feed. With
 * `email`, it is also emailed to every subscriber, unless the petition
 * emailed one too recently. The email is rendered here, once; the worker
 * queues recipients in batches and fills in each one's links as it sends.
 */
export async function publishUpdate(
  db: DB,
  args: { updateId: number; userId: number; email: boolean; minIntervalMs: number; site: SiteContext; now?: Date },
): Promise<"published" | "throttled" | "not_found"> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const u = await getUpdateForOrganizer(trx, { updateId: args.updateId, userId: args.userId });
    // A petition taken down (or never published) tells nobody anything.
    if (!u || u.status !== "draft" || !PUBLISHED_STATES.includes(u.petitionStatus)) return "not_found";
    if (args.email && (await nextEmailAllowedAt(trx, u.petition_id, args.minIntervalMs, now))) return "throttled";
    const email = args.email ? renderUpdateEmail(args.site, u) : null;
    if (args.email) await storeUpdateTranslations(trx, u.id, (lang) => renderUpdateEmail(args.site, u, false, lang));
    await trx
      .updateTable("updates")
      .set({
        status: "published",
        published_at: now.toISOString(),
        updated_at: now.toISOString(),
        ...(email
          ? {
              email_status: "queuing",
              email_subject: email.subject,
              email_html: email.html,
              email_text: email.text,
              email_queued_at: now.toISOString(),
            }
          : {}),
      })
      .where("id", "=", u.id)
      .where("status", "=", "draft")
      .execute();
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "update.publish",
        petitionId: u.petition_id,
        details: { updateId: u.id, email: args.email },
      },
      now,
    );
    return "published";
  });
}

/** Test sends one address may get in an hour: enough to check a draft, not enough to flood an inbox. */
export const TEST_SENDS_PER_HOUR = 10;

/** Sends the organizer a test copy of a draft, through the outbox like any email. */
export async function sendTestUpdate(
  db: DB,
  args: { updateId: number; userId: number; to: string; site: SiteContext; now?: Date },
): Promise<"sent" | "not_found" | "too_many"> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const u = await getUpdateForOrganizer(trx, { updateId: args.updateId, userId: args.userId });
    if (!u) return "not_found";
    const recent = await trx
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("to_address", "=", args.to)
      .where("created_at", ">", new Date(now.getTime() - 3_600_000).toISOString())
      .where("kind", "=", "update-test")
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= TEST_SENDS_PER_HOUR) return "too_many";
    // In the organizer's own language (users.locale), as the signers who share it will get it.
    const organizer = await trx.selectFrom("users").select("locale").where("id", "=", args.userId).executeTakeFirst();
    const email = renderUpdateEmail(args.site, u, true, emailLanguage(organizer?.locale ?? "en"));
    const dead = `${args.site.appUrl}/petitions/${u.slug}`;
    await enqueueEmail(
      trx,
      {
        kind: "update-test",
        to: args.to,
        email: {
          subject: email.subject,
          html: fillUpdateLinks(email.html, { petition: dead, all: dead, manage: dead }),
          text: fillUpdateLinks(email.text, { petition: dead, all: dead, manage: dead }),
        },
        appUrl: args.site.appUrl,
      },
      now,
    );
    return "sent";
  });
}

/**
 * When victory is declared, the signers who asked for updates hear it once:
 * a published update, emailed through the same queue as any other. It is
 * not held back by the interval between emailed updates (a victory happens
 * once), but it counts as one for the next. Inside the caller's transaction.
 */
export async function createVictoryUpdate(
  db: DB,
  args: {
    petition: { id: number; slug: string; title: string };
    userId: number;
    message: string;
    site: SiteContext;
    now: Date;
  },
): Promise<number> {
  const nowIso = args.now.toISOString();
  const full = `Victory: ${args.message.replace(/\s+/g, " ").trim()}`;
  const title = full.length > UPDATE_TITLE_MAX ? `${full.slice(0, UPDATE_TITLE_MAX - 1).trimEnd()}…` : full;
  const body = args.message;
  const bodyHtml = renderMarkdown(body);
  const { id } = await db
    .insertInto("updates")
    .values({
      petition_id: args.petition.id,
      title,
      body_markdown: body,
      body_html: bodyHtml,
      status: "published",
      published_at: nowIso,
      email_subject: null,
      email_html: null,
      email_text: null,
      email_queued_at: null,
      stopped_at: null,
      stopped_by: null,
      created_by: args.userId,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const source: EmailSource = {
    id,
    title,
    body_html: bodyHtml,
    body_markdown: body,
    slug: args.petition.slug,
    petitionTitle: args.petition.title,
  };
  const email = renderUpdateEmail(args.site, source);
  await storeUpdateTranslations(db, id, (lang) => renderUpdateEmail(args.site, source, false, lang));
  await db
    .updateTable("updates")
    .set({
      email_status: "queuing",
      email_subject: email.subject,
      email_html: email.html,
      email_text: email.text,
      email_queued_at: nowIso,
    })
    .where("id", "=", id)
    .execute();
  await audit(
    db,
    {
      actorId: args.userId,
      action: "update.publish",
      petitionId: args.petition.id,
      details: { updateId: id, email: true, victory: true },
    },
    args.now,
  );
  return id;
}

/**
 * Adds the next batch of recipients of one update to the outbox, in one short
 * transaction, and moves its cursor on. The (update, signature) key makes a
 * second copy impossible, so a step repeated after a crash adds nothing
 * twice. Returns how many it added; 0 means the update is fully queued.
 */
export async function queueUpdateBatch(
  db: DB,
  updateId: number,
  site: SiteContext,
  batch = QUEUE_BATCH,
  now = new Date(),
): Promise<number> {
  const host = new URL(site.appUrl).hostname || "undersigned.localhost";
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const u = await trx
      .updateTable("updates")
      .set({ updated_at: nowIso })
      .where("id", "=", updateId)
      .where("email_status", "=", "queuing")
      .returning(["id", "petition_id", "queue_cursor"])
      .executeTakeFirst();
    if (!u) return 0;
    const last = await subscribers(trx, u.petition_id)
      .select("s.id")
      .where("s.id", ">", u.queue_cursor)
      .orderBy("s.id")
      .limit(1)
      .offset(batch - 1)
      .executeTakeFirst();
    const upTo = last?.id ?? null;
    const chosen = subscribers(trx, u.petition_id).where("s.id", ">", u.queue_cursor);
    const bounded = upTo === null ? chosen : chosen.where("s.id", "<=", upTo);
    const inserted = await trx
      .insertInto("outbox")
      .columns([
        "kind",
        "to_address",
        "subject",
        "html",
        "text",
        "headers",
        "status",
        "attempts",
        "next_attempt_at",
        "message_id",
        "created_at",
        "update_id",
        "signature_id",
      ])
      .expression(
        bounded.select([
          sql<string>`'update'`.as("kind"),
          "s.email",
          sql<string>`''`.as("subject"),
          sql<string>`''`.as("html"),
          sql<string>`''`.as("text"),
          sql<null>`null`.as("headers"),
          sql<string>`'pending'`.as("status"),
          sql<number>`0`.as("attempts"),
          sql<string>`${nowIso}`.as("next_attempt_at"),
          randomMessageId(host).as("message_id"),
          sql<string>`${nowIso}`.as("created_at"),
          sql<number>`${u.id}`.as("update_id"),
          "s.id",
        ]),
      )
      .onConflict((oc) => oc.columns(["update_id", "signature_id"]).doNothing())
      .executeTakeFirst();
    const added = Number(inserted.numInsertedOrUpdatedRows ?? 0n);
    if (upTo === null) {
      // Fewer than a batch were left: this was the last step.
      const maxId = await subscribers(trx, u.petition_id)
        .select((eb) => eb.fn.max("s.id").as("m"))
        .executeTakeFirst();
      await trx
        .updateTable("updates")
        .set((eb) => ({
          email_status: "sending",
          queue_cursor: Math.max(u.queue_cursor, Number(maxId?.m ?? 0)),
          recipients: eb("recipients", "+", added),
        }))
        .where("id", "=", u.id)
        .execute();
      return added;
    }
    await trx
      .updateTable("updates")
      .set((eb) => ({ queue_cursor: upTo, recipients: eb("recipients", "+", added) }))
      .where("id", "=", u.id)
      .execute();
    return Math.max(added, 1);
  });
}

/** One queueing step for each update still being queued; for the worker's loop. */
export async function queuePendingUpdates(
  db: DB,
  site: SiteContext,
  batch = QUEUE_BATCH,
  now = new Date(),
): Promise<number> {
  const queuing = await db
    .selectFrom("updates")
    .select("id")
    .where("email_status", "=", "queuing")
    .orderBy("id")
    .execute();
  let added = 0;
  for (const { id } of queuing) added += await queueUpdateBatch(db, id, site, batch, now);
  return added;
}

export type ComposedEmail = { subject: string; html: string; text: string; headers: Record<string, string> };

/**
 * The email for one outbox row of an update, with this recipient's own
 * unsubscribe links and the RFC 8058 one-click headers, or null if it must
 * not go (update stopped, signer no longer subscribed, address suppressed).
 */
/** What the worker keeps of an update for a round of sending; the title is read with it when it is missing. */
type CachedUpdate = Pick<Update, "email_status" | "email_subject" | "email_html" | "email_text" | "petition_id"> & {
  petition_title?: string;
  /** The email in each other language it was rendered in (update_emails), by locale. */
  translations?: Map<string, { subject: string; html: string; text: string }>;
};

export async function composeUpdateMessage(
  db: DB,
  m: Pick<OutboxMessage, "update_id" | "signature_id" | "to_address">,
  site: SiteContext & { unsubscribeSecret: string },
  updates: Map<number, CachedUpdate>,
  /**
   * Mint a fresh "manage my signature" link for this recipient (the worker does, as it sends). A
   * display of the message (the dev inbox) must not, or it would replace the link the signer holds.
   */
  opts: { mintManageLink: boolean } = { mintManageLink: true },
): Promise<ComposedEmail | null> {
  if (m.update_id === null || m.signature_id === null) return null;
  let u = updates.get(m.update_id);
  if (!u || u.petition_title === undefined || u.translations === undefined) {
    const found = await db
      .selectFrom("updates")
      .innerJoin("petitions", "petitions.id", "updates.petition_id")
      .select([
        "updates.email_status",
        "updates.email_subject",
        "updates.email_html",
        "updates.email_text",
        "updates.petition_id",
        "petitions.title as petition_title",
      ])
      .where("updates.id", "=", m.update_id)
      .executeTakeFirst();
    if (!found) return null;
    const translations = await db
      .selectFrom("update_emails")
      .select(["locale", "subject", "html", "text"])
      .where("update_id", "=", m.update_id)
      .execute();
    u = { ...found, translations: new Map(translations.map((t) => [t.locale, t])) };
    updates.set(m.update_id, u);
  }
  if (u.email_status === "stopped" || !u.email_subject || !u.email_html || !u.email_text) return null;
  const updateId = m.update_id;
  const still = await db
    .selectFrom("signatures")
    .select(["id", "locale"])
    .where("id", "=", m.signature_id)
    .where("updates_consent", "=", 1)
    .where("canonical_email", "not in", (eb) => eb.selectFrom("suppressions").select("canonical_email"))
    // Asked for each message, not taken from `updates` (which a worker keeps for a whole round): a
    // moderator's stop holds back the rest of a batch that was already claimed.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom("updates").select("id").where("id", "=", updateId).where("email_status", "=", "stopped"),
        ),
      ),
    )
    .executeTakeFirst();
  if (!still) return null;
  let manageLink = `${site.appUrl}/signature/request`;
  if (opts.mintManageLink) {
    const manage = newToken();
    await db
      .updateTable("signatures")
      .set({
        manage_token_hash: manage.hash,
        manage_token_expires_at: expiresAt(new Date(), MANAGE_LINK_TTL_DAYS * DAY_MS),
      })
      .where("id", "=", m.signature_id)
      .execute();
    manageLink = manageUrl(site, manage.token);
  }
  const petitionLink = `${site.appUrl}/unsubscribe/${unsubscribeToken(site.unsubscribeSecret, m.signature_id, "petition")}`;
  const allLink = `${site.appUrl}/unsubscribe/${unsubscribeToken(site.unsubscribeSecret, m.signature_id, "all")}`;
  // In the language the signer signed in; English when it was not rendered in theirs (sent before it was).
  const email = u.translations?.get(still.locale) ?? {
    subject: u.email_subject,
    html: u.email_html,
    text: u.email_text,
  };
  return {
    subject: email.subject,
    html: fillUpdateLinks(email.html, { petition: petitionLink, all: allLink, manage: manageLink }),
    text: fillUpdateLinks(email.text, { petition: petitionLink, all: allLink, manage: manageLink }),
    headers: {
      "List-Id": updateListId(site, { id: u.petition_id, title: u.petition_title ?? "" }),
      "List-Unsubscribe": `<${petitionLink}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/**
 * The List-Id of a campaign's updates (RFC 2919): the campaign's title as its
 * phrase, and an id of the campaign's number under the site's host, so that
 * mail clients can file and filter one campaign's updates apart from the
 * rest. Written out whole, as the worker sends headers as they are given: a
 * title in plain ASCII as a quoted string, anything else as RFC 2047 words.
 */
export function updateListId(site: SiteContext, petition: { id: number; title: string }): string {
  const host = new URL(site.appUrl).hostname || "undersigned.localhost";
  const title = petition.title.replace(/[\r\n]+/g, " ").trim();
  const phrase = !title
    ? ""
    : isPlainText(title) && !/\x7f/.test(title)
      ? `"${title.replace(/[\\"]/g, "\\$&")}" `
      : `${encodeWord(title, "Q", 52)} `;
  return `${phrase}<petition-${petition.id}.updates.${host}>`;
}

/** A moderator stops an update that is still going out: nothing more of it is sent. */
export async function stopUpdateEmails(
  db: DB,
  args: { updateId: number; moderatorId: number; now?: Date },
): Promise<number> {
  const now = (args.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const u = await trx
      .updateTable("updates")
      .set({ email_status: "stopped", stopped_at: now, stopped_by: args.moderatorId })
      .where("id", "=", args.updateId)
      .where("email_status", "in", ["queuing", "sending"])
      .returning(["id", "petition_id"])
      .executeTakeFirst();
    if (!u) return 0;
    const cancelled = await trx
      .updateTable("outbox")
      .set({ status: "cancelled", last_error: "update stopped by a moderator" })
      .where("update_id", "=", u.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    await audit(
      trx,
      { actorId: args.moderatorId, action: "update.stop", petitionId: u.petition_id, details: { updateId: u.id } },
      new Date(now),
    );
    return Number(cancelled.numUpdatedRows);
  });
}

export type UpdateProgress = { queued: number; sent: number; failed: number; cancelled: number };

/** The updates whose emails are being queued or still have messages waiting to be sent. */
export async function updatesBeingSent(db: DB): Promise<number[]> {
  const queuing = await db.selectFrom("updates").select("id").where("email_status", "=", "queuing").execute();
  const waiting = await db
    .selectFrom("outbox")
    .select("update_id")
    .distinct()
    .where("status", "in", ["pending", "sending"])
    .where("update_id", "is not", null)
    .execute();
  return [...new Set([...queuing.map((u) => u.id), ...waiting.map((m) => m.update_id as number)])];
}

/** Queued, sent, failed and cancelled counts of one update's emails. */
export async function updateProgress(db: DB, updateId: number): Promise<UpdateProgress> {
  return (await updatesProgress(db, [updateId])).get(updateId)!;
}

/** The same for several updates in one query, for the lists of updates. */
export async function updatesProgress(db: DB, updateIds: number[]): Promise<Map<number, UpdateProgress>> {
  const progress = new Map<number, UpdateProgress>(
    updateIds.map((id) => [id, { queued: 0, sent: 0, failed: 0, cancelled: 0 }]),
  );
  if (updateIds.length === 0) return progress;
  const rows = await db
    .selectFrom("outbox")
    .select(["update_id", "status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("update_id", "in", updateIds)
    .groupBy(["update_id", "status"])
    .execute();
  for (const r of rows) {
    const p = progress.get(r.update_id!);
    if (!p) continue;
    const n = Number(r.n);
    if (r.status === "pending" || r.status === "sending") p.queued += n;
    else p[r.status] += n;
  }
  return progress;
}

/** Never mail this address again (a permanent SMTP failure, or "stop all email"). */
export async function suppressAddress(
  db: DB,
  email: string,
  reason: "bounce" | "unsubscribe_all" | "complaint",
  now = new Date(),
) {
  await db
    .insertInto("suppressions")
    .values({ canonical_email: canonicalEmail(email), reason, created_at: now.toISOString() })
    .onConflict((oc) => oc.column("canonical_email").doNothing())
    .execute();
}

/**
 * For a query on `updates`: the update is not the one that emails a decision maker's response. Public
 * lists of updates leave those out; the response itself is shown (app/models/response-lists.server.ts).
 */
export function notAResponse(eb: ExpressionBuilder<Database, "updates">) {
  return eb.not(
    eb.exists(eb.selectFrom("responses").select("responses.id").whereRef("responses.update_id", "=", "updates.id")),
  );
}

/** Published updates of a petition, newest first, for its page and feed. */
export async function listPublishedUpdates(db: DB, petitionId: number, limit = 50) {
  return db
    .selectFrom("updates")
    .select(["id", "title", "body_html", "published_at", "updated_at"])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "published")
    .where(notAResponse)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
