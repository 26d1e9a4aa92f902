import type { DB } from "../../db/connection";
import type { ResponseSource } from "../../db/schema";
import type { SiteContext } from "../../emails/layout";
import { responseEmail, responseHeading } from "../../emails/response";
import { responseNoticeEmail, type ResponseNoticeData } from "../../emails/response-notice";
import { emailLanguage, translator } from "../lib/i18n.server";
import type { EmailLanguage } from "../../emails/layout";
import { renderMarkdown } from "../lib/markdown.server";
import { formatDate } from "../lib/time";
import { formatDate as formatDateIn, type Locale } from "../lib/i18n";
import { UPDATE_TITLE_MAX } from "../schemas/update-fields";
import { audit } from "./audit.server";
import { openResponseLink } from "./deliveries.server";
import { organizerRecipients } from "./email-recipients.server";
import { enqueueEmail } from "./outbox.server";
import { PUBLISHED_STATES } from "./petition-lifecycle.server";
import { countSubscribers, markdownToText, storeUpdateTranslations } from "./update.server";

/**
 * Publishing a decision maker's response (through their private link, or recorded by an organizer), and a
 * moderator hiding one (docs/decisions/0029-decision-maker-responses.md). A response reaches the signers
 * who asked for updates as an update that the worker emails like any other: each one once (the outbox's
 * (update, signature) key), not held back by the interval between organizers' updates.
 */

export type ResponseText = { name: string; title: string; body: string; formKey: string };

export type PublishResult =
  /** emailedTo: the subscribers it is being emailed to, or null with the reason it is not emailed. */
  | { kind: "published"; responseId: number; emailedTo: number | null; notEmailedBecause: string | null }
  /** The same form came again (a double press): nothing new was published. */
  | { kind: "duplicate"; responseId: number }
  /** The form's key already published a different response (a page brought back from history). */
  | { kind: "form_used" }
  | { kind: "not_found" };

export function responseUrl(site: SiteContext, slug: string, responseId: number): string {
  return `${site.appUrl}/petitions/${slug}/responses/${responseId}`;
}

/** "3 days", "12 hours", "30 minutes": the interval between emailed responses, in words. */
export function intervalInWords(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? "" : "s"}`;
  }
  return `${Math.ceil(ms / 60_000)} minutes`;
}

/**
 * Stores a response and, unless this decision maker had a response emailed within `minIntervalMs`, makes
 * the update that emails it. Inside the caller's transaction.
 */
async function publish(
  trx: DB,
  args: {
    petitionId: number;
    makerId: number;
    source: ResponseSource;
    deliveryId: number | null;
    recordedBy: number | null;
    text: ResponseText;
    respondedOn: string;
    sourceUrl: string | null;
    site: SiteContext;
    minIntervalMs: number;
    now: Date;
  },
): Promise<PublishResult> {
  const { text, now, site } = args;
  const nowIso = now.toISOString();
  const sameForm = async () => {
    const row = await trx
      .selectFrom("responses")
      .select(["id", "decision_maker_id", "body_markdown"])
      .where("form_key", "=", text.formKey)
      .executeTakeFirst();
    if (!row) return null;
    return row.decision_maker_id === args.makerId && row.body_markdown === text.body
      ? ({ kind: "duplicate", responseId: row.id } as const)
      : ({ kind: "form_used" } as const);
  };
  const earlier = await sameForm();
  if (earlier) return earlier;

  const bodyHtml = renderMarkdown(text.body);
  const inserted = await trx
    .insertInto("responses")
    .values({
      petition_id: args.petitionId,
      decision_maker_id: args.makerId,
      source: args.source,
      delivery_id: args.deliveryId,
      recorded_by: args.recordedBy,
      name: text.name,
      title: text.title || null,
      body_markdown: text.body,
      body_html: bodyHtml,
      responded_on: args.respondedOn,
      source_url: args.sourceUrl,
      published_at: nowIso,
      form_key: text.formKey,
      update_id: null,
      hidden_at: null,
      hidden_by: null,
      hidden_reason: null,
    })
    .onConflict((oc) => oc.column("form_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  // Another request with the same form committed first.
  if (!inserted) return (await sameForm()) ?? { kind: "form_used" };

  const petition = await trx
    .selectFrom("petitions")
    .select(["id", "slug", "title", "language"])
    .where("id", "=", args.petitionId)
    .executeTakeFirstOrThrow();
  const url = responseUrl(site, petition.slug, inserted.id);
  // The heading the update's record keeps (public lists leave it out; the response is shown instead).
  const heading = responseHeading({ name: text.name, title: text.title || null }, translator("en"));

  // One emailed response per decision maker in the interval: a correction an hour later is on the page,
  // not in every subscriber's inbox again.
  const lastEmailed = await trx
    .selectFrom("responses")
    .select((eb) => eb.fn.max("published_at").as("at"))
    .where("decision_maker_id", "=", args.makerId)
    .where("update_id", "is not", null)
    .where("hidden_at", "is", null)
    .where("published_at", ">", new Date(now.getTime() - args.minIntervalMs).toISOString())
    .executeTakeFirst();
  let emailedTo: number | null = null;
  let notEmailedBecause: string | null = null;
  if (lastEmailed?.at) {
    notEmailedBecause = `a response from this decision maker was emailed on ${formatDate(lastEmailed.at)}, and signers get at most one from each decision maker in ${intervalInWords(args.minIntervalMs)}`;
  } else {
    const render = (lang: EmailLanguage) =>
      responseEmail({
        site,
        lang,
        petitionTitle: petition.title,
        petitionLanguage: petition.language,
        name: text.name,
        title: text.title || null,
        respondedOn: formatDateIn(args.respondedOn, lang.locale as Locale),
        bodyHtml,
        bodyText: markdownToText(text.body),
        responseUrl: url,
        recorded: args.source === "organizer" ? { sourceUrl: args.sourceUrl } : null,
      });
    const email = render(emailLanguage("en"));
    const updateTitle =
      heading.length > UPDATE_TITLE_MAX ? `${heading.slice(0, UPDATE_TITLE_MAX - 1).trimEnd()}…` : heading;
    // Published and queued at once, as a victory is: the worker adds the recipients in batches and gives
    // each their own unsubscribe links. Public lists of updates leave it out: the response is shown instead.
    const update = await trx
      .insertInto("updates")
      .values({
        petition_id: petition.id,
        title: updateTitle,
        body_markdown: text.body,
        body_html: bodyHtml,
        status: "published",
        published_at: nowIso,
        email_status: "queuing",
        email_subject: email.subject,
        email_html: email.html,
        email_text: email.text,
        email_queued_at: nowIso,
        stopped_at: null,
        stopped_by: null,
        created_by: args.recordedBy,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await storeUpdateTranslations(trx, update.id, render);
    await trx.updateTable("responses").set({ update_id: update.id }).where("id", "=", inserted.id).execute();
    emailedTo = await countSubscribers(trx, petition.id);
  }
  await audit(
    trx,
    {
      actorId: args.recordedBy,
      action: "response.publish",
      petitionId: petition.id,
      details: {
        responseId: inserted.id,
        decisionMakerId: args.makerId,
        source: args.source,
        emailed: emailedTo !== null,
      },
    },
    now,
  );
  if (args.source === "decision_maker") {
    const maker = await trx
      .selectFrom("decision_makers")
      .select("name")
      .where("id", "=", args.makerId)
      .executeTakeFirstOrThrow();
    await tellOrganizers(
      trx,
      petition,
      (lang) => ({
        site,
        lang,
        event: "responded",
        petitionTitle: petition.title,
        petitionLanguage: petition.language,
        makerName: maker.name,
        heading: responseHeading({ name: text.name, title: text.title || null }, lang.t),
        respondedOn: formatDateIn(args.respondedOn, lang.locale as Locale),
        emailedTo,
        lastEmailed: lastEmailed?.at
          ? { on: formatDateIn(lastEmailed.at, lang.locale as Locale), intervalMs: args.minIntervalMs }
          : undefined,
        url,
      }),
      now,
    );
  }
  return { kind: "published", responseId: inserted.id, emailedTo, notEmailedBecause };
}

/** Each organizer hears it in their own language (users.locale). */
async function tellOrganizers(
  trx: DB,
  petition: { id: number },
  notice: (lang: EmailLanguage) => ResponseNoticeData,
  now: Date,
) {
  for (const { email: to, locale } of await organizerRecipients(trx, petition.id)) {
    const data = notice(emailLanguage(locale));
    const email = responseNoticeEmail(data);
    await enqueueEmail(trx, { kind: `response-${data.event}`, to, email, appUrl: data.site.appUrl }, now);
  }
}

/**
 * A decision maker publishes a response through their link. The link is checked (and marked as opened)
 * by the transaction's first statement, a write, so nothing is published through a revoked link.
 */
export async function publishDecisionMakerResponse(
  db: DB,
  args: { token: string; text: ResponseText; site: SiteContext; minIntervalMs: number; now?: Date },
): Promise<PublishResult> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const link = await openResponseLink(trx, args.token, now);
    if (!link) return { kind: "not_found" };
    return publish(trx, {
      petitionId: link.petition_id,
      makerId: link.decision_maker_id,
      source: "decision_maker",
      deliveryId: link.id,
      recordedBy: null,
      text: args.text,
      respondedOn: now.toISOString().slice(0, 10),
      sourceUrl: null,
      site: args.site,
      minIntervalMs: args.minIntervalMs,
      now,
    });
  });
}

/** An organizer records a response that reached them elsewhere; it is marked as recorded by the organizers. */
export async function recordResponse(
  db: DB,
  args: {
    petitionId: number;
    makerId: number;
    userId: number;
    text: ResponseText;
    respondedOn: string;
    sourceUrl: string | null;
    site: SiteContext;
    minIntervalMs: number;
    now?: Date;
  },
): Promise<PublishResult> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const maker = await trx
      .selectFrom("decision_makers as m")
      .innerJoin("petitions as p", "p.id", "m.petition_id")
      .select("m.id")
      .where("m.id", "=", args.makerId)
      .where("m.petition_id", "=", args.petitionId)
      .where("p.status", "in", PUBLISHED_STATES)
      .where("m.petition_id", "in", (eb) =>
        eb.selectFrom("petition_organizers").select("petition_id").where("user_id", "=", args.userId),
      )
      .executeTakeFirst();
    if (!maker) return { kind: "not_found" };
    return publish(trx, {
      petitionId: args.petitionId,
      makerId: maker.id,
      source: "organizer",
      deliveryId: null,
      recordedBy: args.userId,
      text: args.text,
      respondedOn: args.respondedOn,
      sourceUrl: args.sourceUrl,
      site: args.site,
      minIntervalMs: args.minIntervalMs,
      now,
    });
  });
}

/**
 * A moderator hides a response: it leaves the campaign page, its feed and its own page (a line says a
 * moderator hid it), its emails not yet sent are stopped, and the organizers and (for a response written
 * through the link) the decision maker are told why. Audited with the reason.
 */
export async function hideResponse(
  db: DB,
  args: { responseId: number; moderatorId: number; reason: string; site: SiteContext; now?: Date },
): Promise<"hidden" | "already_hidden" | "not_found"> {
  const now = args.now ?? new Date();
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("responses")
      .set({ hidden_at: nowIso, hidden_by: args.moderatorId, hidden_reason: args.reason })
      .where("id", "=", args.responseId)
      .where("hidden_at", "is", null)
      .returning(["id", "petition_id", "decision_maker_id", "source", "name", "title", "responded_on", "update_id"])
      .executeTakeFirst();
    if (!r) {
      const exists = await trx
        .selectFrom("responses")
        .select("id")
        .where("id", "=", args.responseId)
        .executeTakeFirst();
      return exists ? "already_hidden" : "not_found";
    }
    if (r.update_id !== null) {
      const stopped = await trx
        .updateTable("updates")
        .set({ email_status: "stopped", stopped_at: nowIso, stopped_by: args.moderatorId })
        .where("id", "=", r.update_id)
        .where("email_status", "in", ["queuing", "sending"])
        .executeTakeFirst();
      if (stopped.numUpdatedRows > 0n) {
        await trx
          .updateTable("outbox")
          .set({ status: "cancelled", last_error: "response hidden by a moderator" })
          .where("update_id", "=", r.update_id)
          .where("status", "=", "pending")
          .execute();
      }
    }
    await audit(
      trx,
      {
        actorId: args.moderatorId,
        action: "response.hide",
        petitionId: r.petition_id,
        details: { responseId: r.id, reason: args.reason },
      },
      now,
    );
    const petition = await trx
      .selectFrom("petitions")
      .select(["id", "slug", "title", "language"])
      .where("id", "=", r.petition_id)
      .executeTakeFirstOrThrow();
    const maker = await trx
      .selectFrom("decision_makers")
      .select(["name", "contact_email"])
      .where("id", "=", r.decision_maker_id)
      .executeTakeFirstOrThrow();
    const notice = (lang: EmailLanguage) => ({
      site: args.site,
      lang,
      petitionTitle: petition.title,
      petitionLanguage: petition.language,
      makerName: maker.name,
      heading: responseHeading(r, lang.t),
      respondedOn: formatDateIn(r.responded_on, lang.locale as Locale),
      reason: args.reason,
    });
    await tellOrganizers(
      trx,
      petition,
      (lang) => ({
        ...notice(lang),
        event: "hidden",
        url: `${args.site.appUrl}/organize/${petition.id}/decision-makers`,
      }),
      now,
    );
    // The decision maker was written to in the campaign's language.
    if (r.source === "decision_maker" && maker.contact_email) {
      const email = responseNoticeEmail({
        ...notice(emailLanguage(petition.language)),
        event: "hidden-to-maker",
        url: `${args.site.appUrl}/petitions/${petition.slug}`,
      });
      await enqueueEmail(
        trx,
        { kind: "response-hidden-to-maker", to: maker.contact_email, email, appUrl: args.site.appUrl },
        now,
      );
    }
    return "hidden";
  });
}
