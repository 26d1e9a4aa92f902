import { randomUUID } from "node:crypto";
import type { DB } from "../../db/connection";
import type { Petition, PetitionStatus } from "../../db/schema";
import type { SiteContext } from "../../emails/layout";
import { renderMarkdown } from "../lib/markdown.server";
import { slugify } from "../lib/slug";
import { addMonths, PETITION_LIMITS, type PetitionDraftInput } from "../schemas/petition.server";
import { audit } from "./audit.server";
import { liveCount, withLiveCount } from "./counts.server";
import { accessTo, notifyOrganizers, organizedBy, type Actor } from "./organizer-team.server";
import { moveTo, PUBLISHED_STATES, TRANSITIONS } from "./petition-lifecycle.server";
import { createVictoryUpdate } from "./update.server";

function endOfDay(isoDate: string): string {
  return `${isoDate}T23:59:59.000Z`;
}

function draftValues(input: PetitionDraftInput) {
  return {
    title: input.title,
    summary: input.summary,
    body_markdown: input.body,
    body_html: renderMarkdown(input.body),
    goal: input.goal,
    closes_at: input.closesOn ? endOfDay(input.closesOn) : null,
    ...(input.language ? { language: input.language } : {}),
  };
}

/**
 * Makes the draft's decision makers the ones given, in order. A decision maker whose name is still there
 * keeps its row, and with it the contact address and delivery choices the organizer gave it (those are
 * set on their own page, keyed by the row); a renamed or removed one loses them, so an address never
 * follows a row to a different person.
 */
async function replaceDecisionMakers(db: DB, petitionId: number, makers: PetitionDraftInput["decisionMakers"]) {
  const key = (name: string) => name.trim().toLowerCase();
  const existing = await db
    .selectFrom("decision_makers")
    .select(["id", "name"])
    .where("petition_id", "=", petitionId)
    .orderBy("position")
    .execute();
  const free = new Map<string, number[]>();
  for (const row of existing) free.set(key(row.name), [...(free.get(key(row.name)) ?? []), row.id]);
  const wanted = makers
    .filter((m) => m.name || m.role)
    .map((m, position) => ({ ...m, position, id: free.get(key(m.name))?.shift() }));
  const kept = wanted.flatMap((m) => (m.id === undefined ? [] : [m.id]));
  let gone = db.deleteFrom("decision_makers").where("petition_id", "=", petitionId);
  if (kept.length) gone = gone.where("id", "not in", kept);
  await gone.execute();
  for (const m of wanted) {
    const values = { petition_id: petitionId, position: m.position, name: m.name, role: m.role || null };
    if (m.id === undefined) await db.insertInto("decision_makers").values(values).execute();
    else await db.updateTable("decision_makers").set(values).where("id", "=", m.id).execute();
  }
}

/** A new draft owned by the user. Drafts get a placeholder slug; the real one comes at publication. */
export async function createDraft(
  db: DB,
  userId: number,
  input: PetitionDraftInput,
  now = new Date(),
): Promise<number> {
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("petitions")
      .values({
        ...draftValues(input),
        slug: `draft-${randomUUID()}`,
        country: null,
        status: "draft",
        opened_at: null,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("petition_organizers")
      .values({ petition_id: id, user_id: userId, role: "owner", created_at: nowIso })
      .execute();
    await replaceDecisionMakers(trx, id, input.decisionMakers);
    await audit(trx, { actorId: userId, action: "petition.create", petitionId: id }, now);
    return id;
  });
}

/** Saves a draft the user organizes. False if it is not theirs or no longer a draft. */
export async function saveDraft(
  db: DB,
  args: { petitionId: number; userId: number; input: PetitionDraftInput; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("petitions")
      .set({ ...draftValues(args.input), updated_at: now.toISOString() })
      .where("id", "=", args.petitionId)
      .where("status", "=", "draft")
      .where(organizedBy(args.userId))
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    await replaceDecisionMakers(trx, args.petitionId, args.input.decisionMakers);
    return true;
  });
}

/**
 * Saves the complete draft and sends it for review, or publishes it straight
 * away when moderation is off. Returns the new status, or null if the user
 * may not submit it.
 */
export async function submitPetition(
  db: DB,
  args: {
    petitionId: number;
    userId: number;
    input: PetitionDraftInput;
    moderation: boolean;
    site: SiteContext;
    now?: Date;
  },
): Promise<PetitionStatus | null> {
  const now = args.now ?? new Date();
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const submitted = await moveTo(trx, args.petitionId, "submit", {
      now,
      set: { ...draftValues(args.input), submitted_at: nowIso },
      where: (q) => q.where(organizedBy(args.userId)),
    });
    if (!submitted) return null;
    await replaceDecisionMakers(trx, args.petitionId, args.input.decisionMakers);
    await audit(trx, { actorId: args.userId, action: "petition.submit", petitionId: args.petitionId }, now);
    if (!args.moderation) {
      const published = await publish(trx, args.petitionId, now);
      await audit(
        trx,
        { actorId: null, action: "petition.publish", petitionId: args.petitionId, details: { moderation: "off" } },
        now,
      );
      await notifyOrganizers(trx, published, "published", args.site, {}, now);
      return "open";
    }
    const petition = await trx
      .selectFrom("petitions")
      .select(["id", "title", "slug"])
      .where("id", "=", args.petitionId)
      .executeTakeFirstOrThrow();
    await notifyOrganizers(trx, petition, "submitted", args.site, {}, now);
    return "in_review";
  });
}

/** A slug no other petition has: the title's, then with -2, -3 ... */
export async function uniqueSlug(db: DB, title: string): Promise<string> {
  const base = slugify(title);
  const taken = new Set(
    (await db.selectFrom("petitions").select("slug").where("slug", "like", `${base}%`).execute()).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Opens an in-review petition: a real slug, the opening time, and a closing
 * date within the limits (the organizer's choice, else six months).
 */
export async function publish(db: DB, petitionId: number, now: Date): Promise<Pick<Petition, "id" | "title" | "slug">> {
  const p = await db
    .selectFrom("petitions")
    .select(["id", "title", "closes_at"])
    .where("id", "=", petitionId)
    .executeTakeFirstOrThrow();
  const latest = addMonths(now, PETITION_LIMITS.months.max).toISOString();
  const chosen =
    p.closes_at && p.closes_at > now.toISOString()
      ? p.closes_at
      : addMonths(now, PETITION_LIMITS.months.default).toISOString();
  const slug = await uniqueSlug(db, p.title);
  await moveTo(db, petitionId, "publish", {
    now,
    set: { slug, opened_at: now.toISOString(), closes_at: chosen > latest ? latest : chosen },
  });
  return { id: p.id, title: p.title, slug };
}

/** After publication only the summary and text can change; the page then says it was edited. */
export async function editPublishedText(
  db: DB,
  args: { petitionId: number; userId: number; summary: string; body: string; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("petitions")
      .set({
        summary: args.summary,
        body_markdown: args.body,
        body_html: renderMarkdown(args.body),
        edited_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .where("id", "=", args.petitionId)
      .where("status", "in", PUBLISHED_STATES)
      .where(organizedBy(args.userId))
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return false;
    await audit(trx, { actorId: args.userId, action: "petition.edit_text", petitionId: args.petitionId }, now);
    return true;
  });
}

/** The organizer closes an open petition before its date. */
export async function closeEarly(
  db: DB,
  args: { petitionId: number; userId: number; site: SiteContext; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const row = await moveTo(trx, args.petitionId, "close", {
      now,
      set: { closed_at: now.toISOString() },
      where: (q) => q.where(organizedBy(args.userId)),
    });
    if (!row) return false;
    await audit(trx, { actorId: args.userId, action: "petition.close", petitionId: row.id }, now);
    await notifyOrganizers(trx, row, "closed", args.site, {}, now);
    return true;
  });
}

/** Once per petition, a later closing date, no more than twelve months after it opened. */
export async function extendClosingDate(
  db: DB,
  args: { petitionId: number; userId: number; closesOn: string; now?: Date },
): Promise<"extended" | "not_allowed" | "out_of_range"> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const p = await trx
      .selectFrom("petitions")
      .select(["id", "opened_at", "closes_at"])
      .where("id", "=", args.petitionId)
      .where("status", "=", "open")
      .where("closing_extended", "=", 0)
      .where(organizedBy(args.userId))
      .executeTakeFirst();
    if (!p || !p.opened_at) return "not_allowed";
    const newClose = endOfDay(args.closesOn);
    const latest = addMonths(new Date(p.opened_at), PETITION_LIMITS.months.max).toISOString();
    if (newClose <= (p.closes_at ?? now.toISOString()) || newClose > latest) return "out_of_range";
    await trx
      .updateTable("petitions")
      .set({ closes_at: newClose, closing_extended: 1, updated_at: now.toISOString() })
      .where("id", "=", p.id)
      .execute();
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "petition.extend",
        petitionId: p.id,
        details: { from: p.closes_at, to: newClose },
      },
      now,
    );
    return "extended";
  });
}

/**
 * The organizer declares that the campaign won; it stops taking signatures and says so,
 * and the signers who asked for updates are emailed the news once.
 */
export async function declareVictory(
  db: DB,
  args: { petitionId: number; userId: number; message: string; site: SiteContext; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const row = await moveTo(trx, args.petitionId, "win", {
      now,
      set: { victory_message: args.message, victory_at: now.toISOString(), closed_at: now.toISOString() },
      where: (q) => q.where(organizedBy(args.userId)),
    });
    if (!row) return false;
    await audit(trx, { actorId: args.userId, action: "petition.victory", petitionId: row.id }, now);
    await notifyOrganizers(trx, row, "victory", args.site, {}, now);
    // Subscribers hear it once, as an update the worker emails like any other.
    await createVictoryUpdate(trx, { petition: row, userId: args.userId, message: args.message, site: args.site, now });
    return true;
  });
}

/** Open petitions whose closing date has passed become closed, and their organizers are told. */
export async function closeDuePetitions(db: DB, site: SiteContext, now = new Date()): Promise<number> {
  const due = await db
    .selectFrom("petitions")
    .select(["id"])
    .where("status", "in", TRANSITIONS.close.from)
    .where("closes_at", "<=", now.toISOString())
    .limit(100)
    .execute();
  let closed = 0;
  for (const { id } of due) {
    await db.transaction().execute(async (trx) => {
      const row = await moveTo(trx, id, "close", { now, set: { closed_at: now.toISOString() } });
      if (!row) return;
      closed += 1;
      await audit(
        trx,
        { actorId: null, action: "petition.close", petitionId: id, details: { reason: "closing date" } },
        now,
      );
      await notifyOrganizers(trx, row, "closed", site, {}, now);
    });
  }
  return closed;
}

/** The petitions a user organizes, newest first, with their role. */
export async function listOrganizedPetitions(db: DB, userId: number) {
  const rows = await db
    .selectFrom("petitions")
    .innerJoin("petition_organizers as o", "o.petition_id", "petitions.id")
    .select([
      "petitions.id",
      "title",
      "petitions.language",
      "slug",
      "status",
      "closes_at",
      "petitions.updated_at",
      "o.role",
      liveCount,
    ])
    .where("o.user_id", "=", userId)
    .orderBy("petitions.updated_at", "desc")
    .execute();
  return rows.map(withLiveCount);
}

/**
 * A petition with its decision makers and the user's access to it, if they
 * organize it or moderate; undefined for anyone else, as if it did not exist.
 */
export async function getPetitionForOrganizer(db: DB, petitionId: number, actor: Actor) {
  const access = await accessTo(db, petitionId, actor);
  if (!access) return undefined;
  const row = await db
    .selectFrom("petitions")
    .selectAll()
    .select(liveCount)
    .where("id", "=", petitionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const petition = withLiveCount(row);
  const decisionMakers = await db
    .selectFrom("decision_makers")
    .select(["name", "role"])
    .where("petition_id", "=", petitionId)
    .orderBy("position")
    .execute();
  return { ...petition, decisionMakers, access };
}
