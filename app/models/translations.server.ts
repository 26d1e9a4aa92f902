import type { DB } from "../../db/connection";
import type { PetitionStatus, TranslationStatus } from "../../db/schema";
import { renderMarkdown } from "../lib/markdown.server";
import type { Language } from "../lib/i18n";
import { audit } from "./audit.server";
import { organizedBy } from "./organizer-team.server";

/*
 * A campaign's title, summary and text in another language, written by its organizers (ADR
 * campaign-translations). When moderation is on, no translation reaches a reader before a moderator has
 * approved it, and every change sends it back to them: a translation is new text on a campaign's page, in a
 * language its reviewers may not have read it in.
 */

/** A campaign can be translated while it is being written, reviewed, or shown; not once refused. */
const TRANSLATABLE: PetitionStatus[] = ["draft", "in_review", "open", "closed", "victory"];

export type TranslationInput = { language: Language; title: string; summary: string; body: string };

/** Every translation of a campaign, for its organizers (each with where it stands). */
export async function listTranslations(db: DB, petitionId: number) {
  return db
    .selectFrom("petition_translations")
    .select(["language", "title", "summary", "body_markdown", "status", "updated_at"])
    .where("petition_id", "=", petitionId)
    .orderBy("language")
    .execute();
}

/**
 * Saves the organizer's translation into one language, new or changed, in one transaction. Null when the
 * user does not organize the campaign or it can no longer be translated; "same-language" for a translation
 * into the language the campaign is written in.
 */
export async function saveTranslation(
  db: DB,
  args: { petitionId: number; userId: number; input: TranslationInput; moderation: boolean; now?: Date },
): Promise<TranslationStatus | "same-language" | null> {
  const now = (args.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const petition = await trx
      .selectFrom("petitions")
      .select(["id", "language"])
      .where("id", "=", args.petitionId)
      .where("status", "in", TRANSLATABLE)
      .where(organizedBy(args.userId))
      .executeTakeFirst();
    if (!petition) return null;
    if (petition.language === args.input.language) return "same-language";
    const status: TranslationStatus = args.moderation ? "pending" : "approved";
    const text = {
      title: args.input.title,
      summary: args.input.summary,
      body_markdown: args.input.body,
      body_html: renderMarkdown(args.input.body),
      status,
      reviewed_by: null,
      reviewed_at: null,
      updated_at: now,
    };
    await trx
      .insertInto("petition_translations")
      .values({ petition_id: petition.id, language: args.input.language, created_at: now, ...text })
      .onConflict((oc) => oc.columns(["petition_id", "language"]).doUpdateSet(text))
      .execute();
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "petition.translation",
        petitionId: petition.id,
        details: { language: args.input.language, status },
      },
      new Date(now),
    );
    return status;
  });
}

/** Removes a translation of a campaign the user organizes. False if there was none of theirs to remove. */
export async function removeTranslation(
  db: DB,
  args: { petitionId: number; userId: number; language: Language; now?: Date },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom("petition_translations")
      .where("petition_id", "=", args.petitionId)
      .where("language", "=", args.language)
      .where("petition_id", "in", (eb) =>
        eb.selectFrom("petitions").select("petitions.id").where(organizedBy(args.userId)),
      )
      .executeTakeFirst();
    if (result.numDeletedRows !== 1n) return false;
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "petition.translation_remove",
        petitionId: args.petitionId,
        details: { language: args.language },
      },
      args.now,
    );
    return true;
  });
}

/** The translations readers may see: approved ones only. */
export async function approvedTranslations(db: DB, petitionId: number) {
  return db
    .selectFrom("petition_translations")
    .select(["language", "title", "summary", "body_html"])
    .where("petition_id", "=", petitionId)
    .where("status", "=", "approved")
    .execute();
}

/** Translations waiting for a moderator, oldest change first, with the campaign they belong to. */
export async function pendingTranslations(db: DB) {
  return db
    .selectFrom("petition_translations as t")
    .innerJoin("petitions as p", "p.id", "t.petition_id")
    .select([
      "t.id",
      "t.language",
      "t.title",
      "t.summary",
      "t.body_html",
      "t.updated_at",
      "p.id as petitionId",
      "p.title as petitionTitle",
      "p.language as petitionLanguage",
      "p.slug",
      "p.status as petitionStatus",
    ])
    .where("t.status", "=", "pending")
    .orderBy("t.updated_at")
    .orderBy("t.id")
    .limit(100)
    .execute();
}

/**
 * A moderator's decision on a waiting translation. `updatedAt` is the version they read: a translation
 * changed since is not decided on (false), so an organizer cannot swap the text under a moderator's approval.
 */
export async function reviewTranslation(
  db: DB,
  args: { id: number; updatedAt: string; moderatorId: number; approve: boolean; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("petition_translations")
      .set({
        status: args.approve ? "approved" : "declined",
        reviewed_by: args.moderatorId,
        reviewed_at: now.toISOString(),
      })
      .where("id", "=", args.id)
      .where("status", "=", "pending")
      .where("updated_at", "=", args.updatedAt)
      .returning(["petition_id", "language"])
      .executeTakeFirst();
    if (!row) return false;
    await audit(
      trx,
      {
        actorId: args.moderatorId,
        action: args.approve ? "petition.translation_approve" : "petition.translation_decline",
        petitionId: row.petition_id,
        details: { language: row.language },
      },
      now,
    );
    return true;
  });
}
