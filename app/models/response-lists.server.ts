import { sql, type ExpressionBuilder } from "kysely";
import type { DB } from "../../db/connection";
import type { Database } from "../../db/schema";
import { PUBLISHED_STATES } from "./petition-lifecycle.server";

/**
 * Reading responses: the campaign page, a response's own page, the feed, the moderators' list, and the
 * status of each petition ("awaiting a response since 1 March", "responded on 3 March") for any page or
 * API that lists petitions. "Awaiting" and "responded" are not petition states: they are read from the
 * deliveries and responses every time (docs/decisions/0029-decision-maker-responses.md).
 */

/** Responses a reader sees on a petition (not hidden by a moderator), for a query on `petitions`. */
function shownResponses(eb: ExpressionBuilder<Database, "petitions">) {
  return eb
    .selectFrom("responses")
    .whereRef("responses.petition_id", "=", "petitions.id")
    .where("responses.hidden_at", "is", null);
}

/**
 * Deliveries whose email went out or is going (not failed, not held back): the outbox says so while it
 * keeps its copy, then the outcome the delivery kept (app/models/deliveries.server.ts).
 */
function deliveredEmails(eb: ExpressionBuilder<Database, "petitions">) {
  return eb
    .selectFrom("deliveries")
    .whereRef("deliveries.petition_id", "=", "petitions.id")
    .where(
      sql<string>`coalesce((select outbox.status from outbox where outbox.id = deliveries.outbox_id), deliveries.mail_status, 'sent')`,
      "not in",
      ["failed", "cancelled"],
    );
}

/** For a select on `petitions`: the day of its first response shown ("2027-03-03"), or null. */
export function firstRespondedOn(eb: ExpressionBuilder<Database, "petitions">) {
  return shownResponses(eb)
    .select((r) => r.fn.min("responses.responded_on").as("on"))
    .$asScalar();
}

/** For a select on `petitions`: the day of its latest response shown, or null. */
export function lastRespondedOn(eb: ExpressionBuilder<Database, "petitions">) {
  return shownResponses(eb)
    .select((r) => r.fn.max("responses.responded_on").as("on"))
    .$asScalar();
}

/** For a select on `petitions`: when it was first delivered to a decision maker, or null. */
export function firstDeliveredAt(eb: ExpressionBuilder<Database, "petitions">) {
  return deliveredEmails(eb)
    .select((d) => d.fn.min("deliveries.created_at").as("at"))
    .$asScalar();
}

/** A filter on `petitions`: delivered, and no response shown yet ("awaiting a response"). */
export function awaitingResponse(eb: ExpressionBuilder<Database, "petitions">) {
  return eb.and([
    eb.exists(deliveredEmails(eb).select("deliveries.id")),
    eb.not(eb.exists(shownResponses(eb).select("responses.id"))),
  ]);
}

/** A filter on `petitions`: at least one response shown ("responded"). */
export function hasResponded(eb: ExpressionBuilder<Database, "petitions">) {
  return eb.exists(shownResponses(eb).select("responses.id"));
}

export type ResponseStatus =
  | { state: "responded"; firstRespondedOn: string; lastRespondedOn: string }
  | { state: "awaiting"; since: string }
  /** Never delivered, and no response recorded. */
  | { state: "none" };

/**
 * Each petition's response status: responded (with the days of its first and latest response shown), or
 * awaiting a response since it was first delivered, or neither. Petitions not found are left out.
 */
export async function responseStatuses(db: DB, petitionIds: readonly number[]): Promise<Map<number, ResponseStatus>> {
  const statuses = new Map<number, ResponseStatus>();
  if (petitionIds.length === 0) return statuses;
  const rows = await db
    .selectFrom("petitions")
    .select((eb) => [
      "petitions.id",
      firstRespondedOn(eb).as("first_on"),
      lastRespondedOn(eb).as("last_on"),
      firstDeliveredAt(eb).as("delivered_at"),
    ])
    .where("petitions.id", "in", [...petitionIds])
    .execute();
  for (const r of rows) {
    if (r.first_on && r.last_on) {
      statuses.set(r.id, { state: "responded", firstRespondedOn: r.first_on, lastRespondedOn: r.last_on });
    } else if (r.delivered_at) {
      statuses.set(r.id, { state: "awaiting", since: r.delivered_at });
    } else {
      statuses.set(r.id, { state: "none" });
    }
  }
  return statuses;
}

/** One petition's response status. */
export async function responseStatus(db: DB, petitionId: number): Promise<ResponseStatus> {
  return (await responseStatuses(db, [petitionId])).get(petitionId) ?? { state: "none" };
}

/**
 * Each decision maker of a petition with when it was first delivered to them and their latest response
 * shown: "waiting since" or "responded on", per person. Only the name and title are read.
 */
export async function decisionMakerStatuses(db: DB, petitionId: number) {
  const rows = await db
    .selectFrom("decision_makers as m")
    .select((eb) => [
      "m.id",
      "m.name",
      "m.role",
      eb
        .selectFrom("deliveries")
        .select((d) => d.fn.min("deliveries.created_at").as("at"))
        .whereRef("deliveries.decision_maker_id", "=", "m.id")
        .where(
          sql<string>`coalesce((select outbox.status from outbox where outbox.id = deliveries.outbox_id), deliveries.mail_status, 'sent')`,
          "not in",
          ["failed", "cancelled"],
        )
        .$asScalar()
        .as("delivered_at"),
      eb
        .selectFrom("responses")
        .select((r) => r.fn.max("responses.responded_on").as("on"))
        .whereRef("responses.decision_maker_id", "=", "m.id")
        .where("responses.hidden_at", "is", null)
        .$asScalar()
        .as("responded_on"),
    ])
    .where("m.petition_id", "=", petitionId)
    .orderBy("m.position")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    deliveredAt: r.delivered_at,
    respondedOn: r.responded_on,
  }));
}

/**
 * A petition's responses, newest first, for its page and feed. A hidden one keeps its place with its
 * author and date but without its text, so a reader sees that something was taken down and why not.
 */
export async function publicResponses(db: DB, petitionId: number, limit = 20) {
  const rows = await db
    .selectFrom("responses as r")
    .innerJoin("decision_makers as m", "m.id", "r.decision_maker_id")
    .select([
      "r.id",
      "r.name",
      "r.title",
      "r.source",
      "r.source_url",
      "r.responded_on",
      "r.published_at",
      "r.body_html",
      "r.hidden_at",
      "m.id as makerId",
      "m.name as makerName",
      "m.role as makerRole",
    ])
    .where("r.petition_id", "=", petitionId)
    .orderBy("r.responded_on", "desc")
    .orderBy("r.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    title: r.title,
    source: r.source,
    sourceUrl: r.hidden_at ? null : r.source_url,
    respondedOn: r.responded_on,
    publishedAt: r.published_at,
    bodyHtml: r.hidden_at ? null : r.body_html,
    hidden: r.hidden_at !== null,
    makerId: r.makerId,
    makerName: r.makerName,
    makerRole: r.makerRole,
  }));
}

export type PublicResponse = Awaited<ReturnType<typeof publicResponses>>[number];

/** One response on a published petition, for its own page; undefined for anything else. */
export async function getPublicResponse(db: DB, slug: string, responseId: number) {
  const row = await db
    .selectFrom("responses as r")
    .innerJoin("petitions as p", "p.id", "r.petition_id")
    .select(["r.id", "r.petition_id", "p.slug", "p.title as petitionTitle", "p.language"])
    .where("p.slug", "=", slug)
    .where("p.status", "in", PUBLISHED_STATES)
    .where("r.id", "=", responseId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [response] = (await publicResponses(db, row.petition_id, 1_000)).filter((r) => r.id === row.id);
  return response
    ? { ...response, slug: row.slug, petitionTitle: row.petitionTitle, language: row.language }
    : undefined;
}

/** The response an update carries, if it carries one: the update's public page shows the response instead. */
export async function responseOfUpdate(db: DB, updateId: number) {
  return db.selectFrom("responses").select(["id", "petition_id"]).where("update_id", "=", updateId).executeTakeFirst();
}

/** The latest responses on the site, shown and hidden, with their petitions: for moderators. */
export async function listResponsesForModerators(db: DB, limit = 100) {
  return db
    .selectFrom("responses as r")
    .innerJoin("petitions as p", "p.id", "r.petition_id")
    .innerJoin("decision_makers as m", "m.id", "r.decision_maker_id")
    .leftJoin("users as h", "h.id", "r.hidden_by")
    .select([
      "r.id",
      "r.name",
      "r.title",
      "r.source",
      "r.responded_on",
      "r.published_at",
      "r.body_html",
      "r.hidden_at",
      "r.hidden_reason",
      "h.email as hiddenBy",
      "m.name as makerName",
      "p.id as petitionId",
      "p.slug",
      "p.title as petitionTitle",
      "p.language",
    ])
    .orderBy("r.published_at", "desc")
    .orderBy("r.id", "desc")
    .limit(limit)
    .execute();
}
