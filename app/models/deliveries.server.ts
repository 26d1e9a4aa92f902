import { emailLanguage } from "../lib/i18n.server";
import type { Locale } from "../lib/i18n";
import { organizerRecipients } from "./email-recipients.server";
import { sql, type ExpressionBuilder } from "kysely";
import type { DB } from "../../db/connection";
import type { Database, DeliverAt, OutboxStatus } from "../../db/schema";
import type { SiteContext } from "../../emails/layout";
import { petitionDeliveryEmail } from "../../emails/petition-delivery";
import { responseNoticeEmail } from "../../emails/response-notice";
import { canonicalEmail } from "../lib/canonical-email";
import { countryName } from "../lib/countries";
import { countsToStore, milestoneReached, storedCounts } from "../lib/milestones";
import { DAY_MS, hashToken, isWellFormedToken, newToken } from "../lib/tokens.server";
import { audit } from "./audit.server";
import { countryCounts, type FoldedPetition } from "./counts.server";
import { deliveryList, DELIVERY_MAX_NAMES } from "./dashboard.server";
import { enqueueEmail } from "./outbox.server";
import { PUBLISHED_STATES } from "./petition-lifecycle.server";
import { markdownToText } from "./update.server";

/**
 * Sending a petition to the people it is addressed to (docs/decisions/0029-decision-maker-responses.md): at
 * the milestones the organizer chose, from the count fold's transaction, or when an organizer presses
 * "Deliver now". Each delivery is a row with its own private response link (32 random bytes, stored as
 * SHA-256), which works until the petition is archived (past retention) or an organizer revokes it.
 */

/** A manual delivery to the same address at most once in this time: a double press, or a nagging organizer, sends one. */
export const MANUAL_DELIVERY_GAP_MS = DAY_MS;
/** Countries listed by name in the delivery email; the rest are summed. */
const EMAIL_COUNTRIES = 10;

/** The petitions the user organizes, as a subquery: `.where("petition_id", "in", organizedPetitionIds(trx, userId))`. */
function organizedPetitionIds(db: DB, userId: number) {
  return db.selectFrom("petition_organizers").select("petition_organizers.petition_id").where("user_id", "=", userId);
}

export function respondUrl(site: SiteContext, token: string): string {
  return `${site.appUrl}/respond/${token}`;
}

/** What a delivery email needs of its petition. */
type DeliveredPetition = {
  id: number;
  slug: string;
  title: string;
  summary: string;
  body_html: string;
  body_markdown: string;
  language: string;
};
type DeliveredMaker = { id: number; name: string; role: string | null; contact_email: string | null };

/**
 * Sends the petition to one decision maker, inside the caller's transaction: the delivery row with a fresh
 * link, and the email in the outbox. A milestone already delivered to this decision maker adds nothing
 * (false). An address that asked for no email from this site gets no email and no link: the row says so.
 */
async function deliver(
  trx: DB,
  args: {
    petition: DeliveredPetition;
    maker: DeliveredMaker;
    milestone: number | null;
    createdBy: number | null;
    site: SiteContext;
    now: Date;
  },
): Promise<boolean> {
  const { petition, maker, site, now } = args;
  if (!maker.contact_email) return false;
  const countries = await countryCounts(trx, petition.id);
  const count = countries.reduce((sum, c) => sum + c.signature_count, 0);
  const suppressed = await trx
    .selectFrom("suppressions")
    .select("canonical_email")
    .where("canonical_email", "=", canonicalEmail(maker.contact_email))
    .executeTakeFirst();
  const token = suppressed ? null : newToken();
  const inserted = await trx
    .insertInto("deliveries")
    .values({
      petition_id: petition.id,
      decision_maker_id: maker.id,
      milestone: args.milestone,
      signature_count: count,
      token_hash: token?.hash ?? null,
      outbox_id: null,
      mail_status: token ? null : "cancelled",
      created_by: args.createdBy,
      created_at: now.toISOString(),
      opened_at: null,
      revoked_at: null,
    })
    .onConflict((oc) => oc.columns(["decision_maker_id", "milestone"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) return false;
  if (token) {
    const email = petitionDeliveryEmail({
      site,
      // The decision maker reads the petition in the language it was written in: the email is in it too.
      lang: emailLanguage(petition.language),
      makerName: maker.name,
      makerRole: maker.role,
      petitionTitle: petition.title,
      summary: petition.summary,
      bodyHtml: petition.body_html,
      bodyText: markdownToText(petition.body_markdown),
      count,
      countries: countries
        .slice(0, EMAIL_COUNTRIES)
        .map((c) => ({ name: countryName(c.country), count: c.signature_count })),
      otherCountries: countries.slice(EMAIL_COUNTRIES).reduce((sum, c) => sum + c.signature_count, 0),
      milestone: args.milestone,
      publicUrl: `${site.appUrl}/petitions/${petition.slug}`,
      printUrl: `${respondUrl(site, token.token)}/petition`,
      respondUrl: respondUrl(site, token.token),
    });
    const outboxId = await enqueueEmail(
      trx,
      { kind: "petition-delivery", to: maker.contact_email, email, appUrl: site.appUrl },
      now,
    );
    await trx.updateTable("deliveries").set({ outbox_id: outboxId }).where("id", "=", inserted.id).execute();
  }
  await audit(
    trx,
    {
      actorId: args.createdBy,
      action: "petition.deliver",
      petitionId: petition.id,
      details: { decisionMakerId: maker.id, milestone: args.milestone, signatures: count, emailed: token !== null },
    },
    now,
  );
  return true;
}

async function deliveredPetition(trx: DB, petitionId: number): Promise<DeliveredPetition> {
  return trx
    .selectFrom("petitions")
    .select(["id", "slug", "title", "summary", "body_html", "body_markdown", "language"])
    .where("id", "=", petitionId)
    .executeTakeFirstOrThrow();
}

/**
 * Called by the count fold, in its transaction, for a petition whose count moved: sends the petition to
 * each decision maker whose milestone it passed, once per milestone (the unique (decision maker,
 * milestone) key, and `lastDelivered`, make a count that falls and rises again send nothing twice).
 */
export async function deliverAtMilestones(trx: DB, petition: FoldedPetition, site: SiteContext, now: Date) {
  if (petition.after <= petition.before) return;
  const makers = await trx
    .selectFrom("decision_makers as m")
    .innerJoin("petitions as p", "p.id", "m.petition_id")
    .select(["m.id", "m.name", "m.role", "m.contact_email", "m.deliver_at", "m.deliver_counts"])
    .select((eb) =>
      eb
        .selectFrom("deliveries as d")
        .select((d) => d.fn.max("d.milestone").as("last"))
        .whereRef("d.decision_maker_id", "=", "m.id")
        .as("last_delivered"),
    )
    .where("m.petition_id", "=", petition.id)
    .where("m.contact_email", "is not", null)
    .where("m.deliver_at", "!=", "manual")
    // Milestones are reached while a petition takes signatures; a closed one is delivered by hand.
    .where("p.status", "=", "open")
    .orderBy("m.position")
    .execute();
  let full: DeliveredPetition | null = null;
  for (const maker of makers) {
    const milestone = milestoneReached({
      deliverAt: maker.deliver_at,
      counts: storedCounts(maker.deliver_counts),
      goal: petition.goal,
      before: petition.before,
      after: petition.after,
      lastDelivered: maker.last_delivered === null ? null : Number(maker.last_delivered),
    });
    if (milestone === null) continue;
    full ??= await deliveredPetition(trx, petition.id);
    await deliver(trx, { petition: full, maker, milestone, createdBy: null, site, now });
  }
}

export type DeliverNowResult =
  | { kind: "delivered" }
  | { kind: "no_email" }
  | { kind: "too_soon"; lastAt: string; nextAt: string }
  | { kind: "not_found" };

/**
 * An organizer sends the petition to a decision maker now, whatever its count. At most once in
 * MANUAL_DELIVERY_GAP_MS to the same address with a link still live: a new address, or revoked links, may
 * be sent a fresh copy at once.
 */
export async function deliverNow(
  db: DB,
  args: { petitionId: number; makerId: number; userId: number; site: SiteContext; now?: Date },
): Promise<DeliverNowResult> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const maker = await trx
      .selectFrom("decision_makers as m")
      .innerJoin("petitions as p", "p.id", "m.petition_id")
      .select(["m.id", "m.name", "m.role", "m.contact_email", "m.contact_updated_at"])
      .where("m.id", "=", args.makerId)
      .where("m.petition_id", "=", args.petitionId)
      .where("p.status", "in", PUBLISHED_STATES)
      .where("m.petition_id", "in", organizedPetitionIds(trx, args.userId))
      .executeTakeFirst();
    if (!maker) return { kind: "not_found" };
    if (!maker.contact_email) return { kind: "no_email" };
    const since = new Date(now.getTime() - MANUAL_DELIVERY_GAP_MS).toISOString();
    let recent = trx
      .selectFrom("deliveries")
      .select((eb) => eb.fn.max("created_at").as("at"))
      .where("decision_maker_id", "=", maker.id)
      .where("revoked_at", "is", null)
      .where("created_at", ">", since);
    if (maker.contact_updated_at) recent = recent.where("created_at", ">=", maker.contact_updated_at);
    const last = (await recent.executeTakeFirst())?.at;
    if (last) {
      return {
        kind: "too_soon",
        lastAt: last,
        nextAt: new Date(new Date(last).getTime() + MANUAL_DELIVERY_GAP_MS).toISOString(),
      };
    }
    const petition = await deliveredPetition(trx, args.petitionId);
    await deliver(trx, { petition, maker, milestone: null, createdBy: args.userId, site: args.site, now });
    return { kind: "delivered" };
  });
}

/** Revokes every live link sent to a decision maker, inside the caller's transaction; returns how many. */
async function revokeMakerLinks(trx: DB, makerId: number, now: Date): Promise<number> {
  const result = await trx
    .updateTable("deliveries")
    .set({ revoked_at: now.toISOString() })
    .where("decision_maker_id", "=", makerId)
    .where("revoked_at", "is", null)
    .where("token_hash", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** An organizer revokes the response links sent to a decision maker. Null if it is not theirs. */
export async function revokeLinks(
  db: DB,
  args: { petitionId: number; makerId: number; userId: number; now?: Date },
): Promise<number | null> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const maker = await trx
      .selectFrom("decision_makers")
      .select("id")
      .where("id", "=", args.makerId)
      .where("petition_id", "=", args.petitionId)
      .where("petition_id", "in", organizedPetitionIds(trx, args.userId))
      .executeTakeFirst();
    if (!maker) return null;
    const revoked = await revokeMakerLinks(trx, maker.id, now);
    if (revoked > 0) {
      await audit(
        trx,
        {
          actorId: args.userId,
          action: "decision_maker.revoke_links",
          petitionId: args.petitionId,
          details: { decisionMakerId: maker.id, links: revoked },
        },
        now,
      );
    }
    return revoked;
  });
}

export type DeliverySettings = { contactEmail: string | null; deliverAt: DeliverAt; deliverCounts: number[] };

/**
 * An organizer sets a decision maker's address and milestones. A changed or removed address revokes the
 * links sent to the old one (they may have gone to the wrong person). The address itself is not written
 * to the audit log, which moderators read. False if the decision maker is not on a petition they organize.
 */
export async function saveDeliverySettings(
  db: DB,
  args: { petitionId: number; makerId: number; userId: number; settings: DeliverySettings; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  const { settings } = args;
  return db.transaction().execute(async (trx) => {
    const maker = await trx
      .selectFrom("decision_makers as m")
      .innerJoin("petitions as p", "p.id", "m.petition_id")
      .select(["m.id", "m.contact_email"])
      .where("m.id", "=", args.makerId)
      .where("m.petition_id", "=", args.petitionId)
      .where("p.status", "not in", ["hidden", "rejected"])
      .where("m.petition_id", "in", organizedPetitionIds(trx, args.userId))
      .executeTakeFirst();
    if (!maker) return false;
    const before = maker.contact_email?.toLowerCase() ?? null;
    const after = settings.contactEmail?.toLowerCase() ?? null;
    const address = before === after ? "unchanged" : after === null ? "removed" : before === null ? "added" : "changed";
    await trx
      .updateTable("decision_makers")
      .set({
        contact_email: settings.contactEmail,
        deliver_at: settings.deliverAt,
        deliver_counts: settings.deliverAt === "counts" ? countsToStore(settings.deliverCounts) : null,
        ...(address === "unchanged" ? {} : { contact_updated_at: now.toISOString() }),
      })
      .where("id", "=", maker.id)
      .execute();
    const revoked = address === "changed" || address === "removed" ? await revokeMakerLinks(trx, maker.id, now) : 0;
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "decision_maker.delivery",
        petitionId: args.petitionId,
        details: {
          decisionMakerId: maker.id,
          address,
          deliverAt: settings.deliverAt,
          counts: settings.deliverAt === "counts" ? settings.deliverCounts : [],
          linksRevoked: revoked,
        },
      },
      now,
    );
    return true;
  });
}

export type DeliveryView = {
  id: number;
  createdAt: string;
  count: number;
  milestone: number | null;
  mail: OutboxStatus;
  openedAt: string | null;
  linkLive: boolean;
};

/** The outcome of a delivery's email: the outbox says it while it holds the copy, then the kept outcome. */
function mailStatus(eb: ExpressionBuilder<Database, "deliveries">) {
  return eb
    .selectFrom("outbox")
    .select("outbox.status")
    .whereRef("outbox.id", "=", "deliveries.outbox_id")
    .as("outbox_status");
}

/**
 * Every decision maker of a petition with its address, milestones, deliveries and responses, for the
 * petition's organizers (the caller has checked that the user is one).
 */
export async function decisionMakersForOrganizer(db: DB, petitionId: number) {
  const makers = await db
    .selectFrom("decision_makers")
    .select(["id", "name", "role", "contact_email", "deliver_at", "deliver_counts"])
    .where("petition_id", "=", petitionId)
    .orderBy("position")
    .execute();
  const deliveries = await db
    .selectFrom("deliveries")
    .select([
      "id",
      "decision_maker_id",
      "created_at",
      "signature_count",
      "milestone",
      "mail_status",
      "opened_at",
      "revoked_at",
      "token_hash",
      mailStatus,
    ])
    .where("petition_id", "=", petitionId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const responses = await db
    .selectFrom("responses")
    .select(["id", "decision_maker_id", "source", "name", "title", "responded_on", "hidden_at", "update_id"])
    .where("petition_id", "=", petitionId)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return makers.map((m) => ({
    id: m.id,
    name: m.name,
    role: m.role,
    contactEmail: m.contact_email,
    deliverAt: m.deliver_at,
    deliverCounts: storedCounts(m.deliver_counts),
    deliveries: deliveries
      .filter((d) => d.decision_maker_id === m.id)
      .map((d): DeliveryView => ({
        id: d.id,
        createdAt: d.created_at,
        count: d.signature_count,
        milestone: d.milestone,
        // A copy deleted before its outcome was kept (a database copied from elsewhere) was sent.
        mail: d.outbox_status ?? d.mail_status ?? "sent",
        openedAt: d.opened_at,
        linkLive: d.token_hash !== null && d.revoked_at === null,
      })),
    responses: responses
      .filter((r) => r.decision_maker_id === m.id)
      .map((r) => ({
        id: r.id,
        source: r.source,
        name: r.name,
        title: r.title,
        respondedOn: r.responded_on,
        hidden: r.hidden_at !== null,
        emailed: r.update_id !== null,
      })),
  }));
}

/** One decision maker of a petition, with its delivery settings; for its organizers' settings page. */
export async function getDecisionMakerSettings(db: DB, petitionId: number, makerId: number) {
  return db
    .selectFrom("decision_makers")
    .select(["id", "name", "role", "contact_email", "deliver_at", "deliver_counts"])
    .where("id", "=", makerId)
    .where("petition_id", "=", petitionId)
    .executeTakeFirst();
}

export type ResponseLink = {
  deliveryId: number;
  openedAt: string | null;
  maker: { id: number; name: string; role: string | null };
  petition: { id: number; slug: string; title: string; summary: string; status: string; language: string };
};

/**
 * What a response link opens: its delivery, decision maker and petition, or null for a link that is not
 * one, was revoked, or whose petition is no longer published or is past retention. All of those answer
 * alike, so a revoked link tells its holder nothing an unknown one would not.
 */
export async function findResponseLink(db: DB, token: string): Promise<ResponseLink | null> {
  if (!isWellFormedToken(token)) return null;
  const row = await db
    .selectFrom("deliveries as d")
    .innerJoin("decision_makers as m", "m.id", "d.decision_maker_id")
    .innerJoin("petitions as p", "p.id", "d.petition_id")
    .select([
      "d.id as deliveryId",
      "d.opened_at",
      "m.id as makerId",
      "m.name as makerName",
      "m.role as makerRole",
      "p.id as petitionId",
      "p.slug",
      "p.title",
      "p.summary",
      "p.status",
      "p.language",
    ])
    .where("d.token_hash", "=", hashToken(token))
    .where("d.revoked_at", "is", null)
    .where("p.status", "in", PUBLISHED_STATES)
    .executeTakeFirst();
  if (!row) return null;
  return {
    deliveryId: row.deliveryId,
    openedAt: row.opened_at,
    maker: { id: row.makerId, name: row.makerName, role: row.makerRole },
    petition: {
      id: row.petitionId,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      status: row.status,
      language: row.language,
    },
  };
}

/**
 * Marks a live link as opened (its first press), in the caller's transaction or on its own. Returns the
 * delivery's ids, or undefined for a link that does not work. It writes before it reads (0003).
 */
export async function openResponseLink(db: DB, token: string, now = new Date()) {
  if (!isWellFormedToken(token)) return undefined;
  return db
    .updateTable("deliveries")
    .set((eb) => ({ opened_at: eb.fn.coalesce("opened_at", sql.val<string>(now.toISOString())) }))
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .where("petition_id", "in", (eb) =>
      eb.selectFrom("petitions").select("petitions.id").where("petitions.status", "in", PUBLISHED_STATES),
    )
    .returning(["id", "decision_maker_id", "petition_id"])
    .executeTakeFirst();
}

/**
 * The person at a decision maker's address says the petition is not for them: the address is removed,
 * every link sent to it revoked, and the organizers told. False for a link that does not work.
 */
export async function notForMe(db: DB, args: { token: string; site: SiteContext; now?: Date }): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const link = await openResponseLink(trx, args.token, now);
    if (!link) return false;
    const maker = await trx
      .updateTable("decision_makers")
      .set({ contact_email: null, contact_updated_at: now.toISOString() })
      .where("id", "=", link.decision_maker_id)
      .returning(["id", "name"])
      .executeTakeFirstOrThrow();
    await revokeMakerLinks(trx, maker.id, now);
    await audit(
      trx,
      {
        actorId: null,
        action: "decision_maker.not_for_me",
        petitionId: link.petition_id,
        details: { decisionMakerId: maker.id },
      },
      now,
    );
    const petition = await deliveredPetition(trx, link.petition_id);
    for (const { email: to, locale } of await organizerRecipients(trx, petition.id)) {
      const email = responseNoticeEmail({
        site: args.site,
        lang: emailLanguage(locale),
        event: "not-for-me",
        petitionTitle: petition.title,
        makerName: maker.name,
        url: `${args.site.appUrl}/organize/${petition.id}/decision-makers`,
      });
      await enqueueEmail(trx, { kind: "response-not-for-me", to, email, appUrl: args.site.appUrl }, now);
    }
    return true;
  });
}

/**
 * Before our copies of sent emails are deleted (retention), each delivery keeps its email's outcome, so
 * that a failed delivery never turns into a sent one when the copy goes.
 */
export async function keepDeliveryOutcomes(db: DB, lastTriedBefore: string): Promise<void> {
  await db
    .updateTable("deliveries")
    .set((eb) => ({
      mail_status: eb.selectFrom("outbox").select("outbox.status").whereRef("outbox.id", "=", "deliveries.outbox_id"),
    }))
    .where("mail_status", "is", null)
    .where("outbox_id", "in", (eb) =>
      eb
        .selectFrom("outbox")
        .select("outbox.id")
        .where("outbox.status", "in", ["sent", "failed"])
        .where("outbox.next_attempt_at", "<", lastTriedBefore),
    )
    .execute();
}

/**
 * Petitions past retention forget their decision makers' addresses, and their response links stop working
 * (the petition is archived). Returns how many addresses were forgotten; a dry run only counts.
 */
export async function forgetDecisionMakerContacts(
  db: DB,
  petitionIds: number[],
  opts: { now: Date; dryRun?: boolean },
): Promise<number> {
  if (petitionIds.length === 0) return 0;
  if (opts.dryRun) {
    const row = await db
      .selectFrom("decision_makers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("petition_id", "in", petitionIds)
      .where("contact_email", "is not", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  return db.transaction().execute(async (trx) => {
    const forgotten = await trx
      .updateTable("decision_makers")
      .set({ contact_email: null, contact_updated_at: opts.now.toISOString() })
      .where("petition_id", "in", petitionIds)
      .where("contact_email", "is not", null)
      .executeTakeFirst();
    await trx
      .updateTable("deliveries")
      .set({ token_hash: null })
      .where("petition_id", "in", petitionIds)
      .where("token_hash", "is not", null)
      .execute();
    return Number(forgotten.numUpdatedRows);
  });
}

/**
 * The printed petition's contents (components/delivery-document.tsx): for its organizers, and for a decision
 * maker through their link. Names only as each signer chose to show them.
 */
export async function deliveryDocument(db: DB, petitionId: number, locale: Locale = "en", now = new Date()) {
  const p = await db
    .selectFrom("petitions")
    .select(["title", "summary", "body_html", "opened_at", "closed_at", "language"])
    .where("id", "=", petitionId)
    .executeTakeFirstOrThrow();
  const decisionMakers = await db
    .selectFrom("decision_makers")
    .select(["name", "role"])
    .where("petition_id", "=", petitionId)
    .orderBy("position")
    .execute();
  const list = await deliveryList(db, petitionId);
  const countries = await countryCounts(db, petitionId);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "en");
  return {
    title: p.title,
    summary: p.summary,
    language: p.language,
    bodyHtml: p.body_html,
    decisionMakers,
    openedAt: p.opened_at,
    closedAt: p.closed_at,
    asOf: now.toISOString(),
    confirmed: list.confirmed,
    hidden: list.hidden,
    notListed: list.notListed,
    maxNames: DELIVERY_MAX_NAMES,
    countries: countries.map((c) => ({ name: countryName(c.country, locale), count: c.signature_count })),
    names: list.countries.map((c) => ({ name: countryName(c.code, locale), names: c.names })).sort(byName),
  };
}
