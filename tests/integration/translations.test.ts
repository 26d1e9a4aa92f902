/**
 * Every page and every email in the pseudo-language (app/lib/i18n.ts PSEUDO_LANGUAGE), where each
 * catalog string comes out marked: any text without the mark was written into a component or a template
 * instead of the catalogs, and would stay English for a Welsh or Spanish reader. Then every page in Welsh in
 * Chromium, which has no Welsh locale data, on a phone: the browser must take each page over as the server
 * wrote it, and no page may be wider than the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailLanguage } from "../../app/lib/i18n.server";
import { PSEUDO_LANGUAGE } from "../../app/lib/i18n";
import { EMAIL_SAMPLES } from "../../app/services/email-samples.server";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { deliverNow } from "../../app/models/deliveries.server";
import { publishDecisionMakerResponse, recordResponse } from "../../app/models/responses.server";
import { completePetition, makePetition, signedIn, type Person } from "../helpers/session";
import { respondTokenIn, seedSigners } from "../helpers/signers";
import { CLOSED_SLUG, OPEN_SLUG, getPetition, signingForm, storeSignature } from "../helpers/signing";
import { SignatureForm } from "../../app/schemas/signature.server";
import { hashToken, newToken } from "../../app/lib/tokens.server";
import { unsubscribeToken } from "../../app/lib/unsubscribe.server";
import { createUpdate, publishUpdate } from "../../app/models/update.server";
import { parseDocument } from "htmlparser2";
import type { ChildNode, Element } from "domhandler";
import { untranslatedText } from "../helpers/untranslated";
import { useBrowser, watchForProblems } from "../helpers/browser";
import { onSqliteOnly } from "../helpers/database";
import sharp from "sharp";
import { inviteOrganizer } from "../../app/models/organizer-team.server";
import { processCoverImage, saveCoverImage } from "../../app/models/image.server";
import { recountAll } from "../../app/models/counts.server";
import { createApiToken, revokeApiToken } from "../../app/models/api-tokens.server";
import { CHALLENGE_REASONS } from "../../app/lib/challenge-puzzle.server";
import { setChallengeRequired } from "../../app/models/challenges.server";
import { invalidateSignatures, undoInvalidation } from "../../app/models/fraud.server";

let app: TestApp;
let people: Record<"visitor" | "signedIn" | "moderator" | "admin", Person | null>;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  people = {
    visitor: null,
    signedIn: await signedIn(app, "someone@example.org"),
    moderator: await signedIn(app, "moderator@example.org", ["moderator"]),
    admin: await signedIn(app, "admin@example.org", ["admin"]),
  };
});
afterAll(() => app?.stop());

/**
 * A page to look at. A path or person made in a `beforeAll` (a campaign's id, its organizer) is given as a
 * function, read when the test runs; `name` then says what the page is.
 */
type Page = {
  path: string | (() => string);
  as?: keyof typeof people | (() => Person);
  name?: string;
  /**
   * Why this page still shows English text, for a page known not to be translated yet: the test then checks
   * that it still does, so that whoever translates it is told to take this away and hold it to the rule.
   */
  stillEnglish?: string;
};

/*
 * The pages, by part of the site and who reaches them ({slug} is the open seed campaign). Each part lists
 * its pages in its own list: a page left out is a page nobody checks. Not listed: /dev/* and /bench/*,
 * tools for developers that production never serves.
 */

// Everyone: the layout and the error pages.
const LAYOUT_PAGES: Page[] = [{ path: "/no-such-page" }, { path: "/no-such-page", as: "admin" }];

// Signing: the campaign page, its form and what follows it, the widget.
let confirmPath = "";
beforeAll(async () => {
  await storeSignature(app.db, {
    petition: await getPetition(app.db, OPEN_SLUG),
    input: SignatureForm.parse(signingForm({ email: "pseudo-signer@example.org" })),
    site: { appUrl: app.config.appUrl },
    locale: PSEUDO_LANGUAGE,
  });
  const [mail] = await app.db
    .selectFrom("outbox")
    .select("text")
    .where("to_address", "=", "pseudo-signer@example.org")
    .execute();
  confirmPath = new URL(mail.text.match(/https?:\/\/\S*\/confirm\/\S+/)![0]).pathname;
});
const SIGNING_PAGES: Page[] = [
  { path: "/petitions/{slug}" },
  { path: `/petitions/${CLOSED_SLUG}` },
  { path: "/petitions/{slug}/check-email" },
  { path: "/petitions/{slug}/thank-you" },
  { path: "/petitions/{slug}/thank-you?held=1" },
  { path: () => confirmPath, name: "/confirm/:token (ready)" },
  { path: `/confirm/${newToken().token}`, name: "/confirm/:token (unknown)" },
  { path: "/embed/{slug}" },
  { path: `/embed/${CLOSED_SLUG}` },
  { path: "/embed/{slug}/sent" },
];

// A signer of the open campaign, with a manage link known to the test.
const MANAGE_TOKEN = "translations-test-manage-token-0123456789abcdef";
let signerId = 0;
beforeAll(async () => {
  const email = "leaving.signer@example.org";
  const res = await postForm(`${app.url}/petitions/${OPEN_SLUG}`, signingForm({ email, updates: "yes" }));
  expect(res.status).toBe(302);
  const row = await app.db
    .updateTable("signatures")
    .set({ manage_token_hash: hashToken(MANAGE_TOKEN), manage_token_expires_at: "2999-01-01T00:00:00.000Z" })
    .where("email", "=", email)
    .returning("id")
    .executeTakeFirstOrThrow();
  signerId = row.id;
});

// Reading and leaving: home, browse, privacy, a signer's own pages, signing in, the account.
const PUBLIC_PAGES: Page[] = [
  { path: () => `/signature/${MANAGE_TOKEN}`, name: "/signature/:token" },
  { path: "/signature/not-a-real-token" },
  {
    path: () => `/unsubscribe/${unsubscribeToken(app.config.unsubscribeSecret, signerId, "petition")}`,
    name: "/unsubscribe/:token (one campaign)",
  },
  {
    path: () => `/unsubscribe/${unsubscribeToken(app.config.unsubscribeSecret, signerId, "all")}`,
    name: "/unsubscribe/:token (all email)",
  },
  { path: "/unsubscribe/not-a-real-token" },
  { path: "/privacy" },
  { path: "/sign-in" },
  { path: "/sign-in/check-email" },
  { path: "/sign-in/not-a-real-token" },
  { path: "/signature/request" },
  { path: "/signature/check-email" },
  { path: "/invitations/not-a-real-token", as: "signedIn" },
  { path: "/" },
  { path: "/petitions" },
  { path: "/petitions?q=police" },
  { path: "/account", as: "signedIn" },
  { path: "/api" },
];

// Organizing: starting a campaign and everything under /organize.
let organizer: Person;
let organized: { id: number; updateId: number; makerId: number };
beforeAll(async () => {
  organizer = await signedIn(app, "organizer@example.org");
  const petition = await makePetition(app, { state: "open", owner: organizer });
  const updateId = (await createUpdate(app.db, {
    petitionId: petition.id,
    userId: organizer.id,
    input: { title: "We met the council", body: "They listened." },
  }))!;
  const maker = await app.db
    .selectFrom("decision_makers")
    .select("id")
    .where("petition_id", "=", petition.id)
    .orderBy("position")
    .executeTakeFirstOrThrow();
  await recordResponse(app.db, {
    petitionId: petition.id,
    makerId: maker.id,
    userId: organizer.id,
    text: { name: "Sam Jones", title: "We will look at it", body: "Thank you for writing to us.", formKey: "k" },
    respondedOn: new Date().toISOString().slice(0, 10),
    sourceUrl: null,
    site: { appUrl: app.config.appUrl },
    minIntervalMs: 0,
  });
  organized = { id: petition.id, updateId, makerId: maker.id };
});
const organizing = (name: string, path: (p: typeof organized) => string): Page => ({
  name: `${name} (organizer)`,
  path: () => path(organized),
  as: () => organizer,
});
const ORGANIZING_PAGES: Page[] = [
  { path: "/start", as: "signedIn" },
  organizing("the dashboard", (p) => `/organize/${p.id}`),
  organizing("the petition for delivery", (p) => `/organize/${p.id}/deliver`),
];

// Organizers' updates and decision makers: a campaign with subscribers, an emailed update and a draft written after
// it (so the draft's page says why it cannot be emailed yet), and a decision maker with a delivery and a response
// recorded by the organizer.
let updating: { organizer: Person; id: number; draftId: number; publishedId: number; makerId: number };
beforeAll(async () => {
  const organizer = await signedIn(app, "updating-organizer@example.org");
  const petition = await makePetition(app, {
    state: "open",
    owner: organizer,
    input: { ...completePetition(), decisionMakers: [{ name: "The Council Leader", role: "Riverside Council" }] },
  });
  await seedSigners(app.db, petition.id, 2, { prefix: "updating", consent: true });
  const site = { appUrl: app.config.appUrl };
  const write = async (title: string) =>
    (await createUpdate(app.db, {
      petitionId: petition.id,
      userId: organizer.id,
      input: { title, body: "It went well." },
    }))!;
  const publishedId = await write("We met the council");
  const published = await publishUpdate(app.db, {
    updateId: publishedId,
    userId: organizer.id,
    email: true,
    minIntervalMs: app.config.updateEmailMinIntervalMs,
    site,
  });
  if (published !== "published") throw new Error(`The update was not published: ${published}`);
  const draftId = await write("What comes next");
  const maker = await app.db
    .selectFrom("decision_makers")
    .select("id")
    .where("petition_id", "=", petition.id)
    .executeTakeFirstOrThrow();
  await app.db
    .updateTable("decision_makers")
    .set({ contact_email: "leader@council.example.org", deliver_at: "manual" })
    .where("id", "=", maker.id)
    .execute();
  await deliverNow(app.db, { petitionId: petition.id, makerId: maker.id, userId: organizer.id, site });
  await recordResponse(app.db, {
    petitionId: petition.id,
    makerId: maker.id,
    userId: organizer.id,
    text: { name: "The Council Leader", title: "", body: "We will consider it.", formKey: "u".repeat(43) },
    respondedOn: new Date().toISOString().slice(0, 10),
    sourceUrl: null,
    site,
    minIntervalMs: 0,
  });
  updating = { organizer, id: petition.id, draftId, publishedId, makerId: maker.id };
});
const updatingPage = (name: string, path: (p: typeof updating) => string): Page => ({
  name: `${name} (organizer)`,
  path: () => path(updating),
  as: () => updating.organizer,
});
const ORGANIZER_UPDATES_PAGES: Page[] = [
  updatingPage("the updates", (p) => `/organize/${p.id}/updates`),
  updatingPage("writing an update", (p) => `/organize/${p.id}/updates/new`),
  updatingPage("a draft update that cannot be emailed yet", (p) => `/organize/${p.id}/updates/${p.draftId}?saved=1`),
  updatingPage("a draft update's email", (p) => `/organize/${p.id}/updates/${p.draftId}/email.html`),
  updatingPage("a published, emailed update", (p) => `/organize/${p.id}/updates/${p.publishedId}?emailed=1`),
  updatingPage("the decision makers", (p) => `/organize/${p.id}/decision-makers?recorded=${p.makerId}`),
  updatingPage("a decision maker's delivery settings", (p) => `/organize/${p.id}/decision-makers/${p.makerId}`),
  updatingPage("recording a response", (p) => `/organize/${p.id}/decision-makers/${p.makerId}/response`),
];

// An organizer's campaign pages: editing the text (and a draft, with similar campaigns), the cover image (one on
// the page, one waiting for a moderator), managing it with a co-organizer and an invitation out, API tokens, the
// dashboard with a chart of signatures, and the fraud page's trending sources that those signatures make.
let campaigner: Person;
let campaign: { id: number; draftId: number };
beforeAll(async () => {
  campaigner = await signedIn(app, "campaigner@example.org");
  const coOrganizer = await signedIn(app, "co-campaigner@example.org");
  const petition = await makePetition(app, { state: "open", owner: campaigner, coOrganizer });
  await inviteOrganizer(app.db, {
    petitionId: petition.id,
    ownerId: campaigner.id,
    ownerEmail: campaigner.email,
    email: "invited-campaigner@example.org",
    site: { appUrl: app.config.appUrl },
  });
  // The first image goes straight on the page; the second waits for a moderator.
  for (const [background, moderation] of [
    ["#1d7a3a", false],
    ["#5a2ca0", true],
  ] as const) {
    const picture = await sharp({ create: { width: 1200, height: 630, channels: 3, background } })
      .png()
      .toBuffer();
    const processed = await processCoverImage(picture);
    if (!processed.ok) throw new Error(processed.error);
    const saved = await saveCoverImage(app.db, {
      petitionId: petition.id,
      userId: campaigner.id,
      image: processed.image,
      moderation,
    });
    if (!saved) throw new Error("The cover image was not saved");
  }
  await seedSigners(app.db, petition.id, 3, { prefix: "campaign-chart", consent: true });
  await recountAll(app.db);
  // A draft titled like the open campaigns above: its edit page lists them as similar.
  const draft = await makePetition(app, { state: "draft", owner: campaigner });
  await createApiToken(app.db, campaigner.id, "Our CRM");
  const old = await createApiToken(app.db, campaigner.id, "The old spreadsheet");
  if (old.kind !== "created" || !(await revokeApiToken(app.db, campaigner.id, old.id))) {
    throw new Error("The old token was not revoked");
  }
  campaign = { id: petition.id, draftId: draft.id };
});
const campaigning = (name: string, path: (c: typeof campaign) => string): Page => ({
  name: `${name} (organizer)`,
  path: () => path(campaign),
  as: () => campaigner,
});
const ORGANIZER_CAMPAIGN_PAGES: Page[] = [
  campaigning("editing a published campaign's text, with its cover images", (c) => `/organize/${c.id}/edit`),
  campaigning(
    "editing a published campaign, just after an image was sent",
    (c) => `/organize/${c.id}/edit?image=pending`,
  ),
  campaigning("editing a draft, with similar campaigns", (c) => `/organize/${c.draftId}/edit`),
  campaigning(
    "editing a draft, checked, just after its image was removed",
    (c) => `/organize/${c.draftId}/edit?check=1&image=removed`,
  ),
  campaigning("managing a campaign", (c) => `/organize/${c.id}/manage`),
  campaigning("the cover image form's address", (c) => `/organize/${c.id}/image`),
  campaigning("the dashboard, with its chart and signers", (c) => `/organize/${c.id}`),
  { name: "/organize/api-tokens, with tokens (organizer)", path: "/organize/api-tokens", as: () => campaigner },
  { path: "/organize/api-tokens", as: "signedIn" },
  {
    name: "/moderate/safety, with trending sources (moderator)",
    path: "/moderate/safety?threshold=1",
    as: "moderator",
  },
];

// Moderating, administering, and decision makers' pages (and the server's own error pages).
let moderated: { inReview: number; landingToken: string; openToken: string };
beforeAll(async () => {
  const owner = await signedIn(app, "moderated-owner@example.org");
  const inReview = await makePetition(app, { state: "in_review", owner });
  const open = await makePetition(app, {
    state: "open",
    owner,
    input: {
      ...completePetition(),
      decisionMakers: [
        { name: "The Minister", role: "Cabinet Office" },
        { name: "The Mayor", role: "" },
      ],
    },
  });
  await seedSigners(app.db, open.id, 2, { prefix: "moderated", consent: true });
  const site = { appUrl: app.config.appUrl };
  const makers = await app.db
    .selectFrom("decision_makers")
    .select("id")
    .where("petition_id", "=", open.id)
    .orderBy("position")
    .execute();
  const tokens: string[] = [];
  for (const [i, maker] of makers.entries()) {
    const address = `maker-${i}@gov.example.org`;
    await app.db
      .updateTable("decision_makers")
      .set({ contact_email: address, deliver_at: "manual" })
      .where("id", "=", maker.id)
      .execute();
    await deliverNow(app.db, { petitionId: open.id, makerId: maker.id, userId: owner.id, site });
    const row = await app.db
      .selectFrom("outbox")
      .select("text")
      .where("to_address", "=", address)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    tokens.push(respondTokenIn(row.text));
  }
  // The second decision maker responds: a response for moderators, and the update that emails it.
  await publishDecisionMakerResponse(app.db, {
    token: tokens[1],
    text: { name: "The Mayor", title: "", body: "We will consider it.", formKey: "k".repeat(43) },
    site,
    minIntervalMs: app.config.updateEmailMinIntervalMs,
  });
  moderated = { inReview: inReview.id, landingToken: tokens[0], openToken: tokens[1] };
});

const MODERATION_PAGES: Page[] = [
  { path: "/moderate", as: "moderator" },
  { path: () => `/moderate/${moderated.inReview}`, as: "moderator", name: "a petition in review (moderator)" },
  { path: "/moderate/updates", as: "moderator" },
  { path: "/moderate/responses", as: "moderator" },
  { path: "/moderate/safety", as: "moderator" },
  { path: "/admin", as: "admin" },
  { path: "/admin/audit", as: "admin" },
  { path: () => `/respond/${moderated.landingToken}`, name: "a decision maker's link, before its button" },
  { path: () => `/respond/${moderated.openToken}`, name: "a decision maker's page, with their response" },
  { path: () => `/respond/${moderated.openToken}?published=1&to=2`, name: "a decision maker's page, just published" },
  {
    path: () => `/respond/${moderated.openToken}/petition`,
    name: "the petition as delivered to a decision maker",
  },
  { path: `/respond/${"x".repeat(43)}`, name: "a decision maker's link that does not work" },
  { path: "/respond/not-for-me" },
  { path: "/%ZZ", name: "the server's page for a broken address" },
];

// A campaign's signatures and fraud page, with the browser check on: suspects held by it, signatures flagged
// by a limit, an invalidation undone and one standing; and that campaign's page, where signers meet the check.
let guarded: { id: number; slug: string; invalidationId: number } | null = null;
beforeAll(async () => {
  const owner = await signedIn(app, "guarded-owner@example.org");
  const petition = await makePetition(app, { state: "open", owner });
  const row = await getPetition(app.db, petition.slug);
  const moderatorId = people.moderator!.id;
  await setChallengeRequired(app.db, { petitionId: petition.id, required: true, moderatorId });
  const store = (email: string, reasons: { holdReason?: string; reviewReason?: string }) =>
    storeSignature(app.db, {
      petition: row,
      input: SignatureForm.parse(signingForm({ email })),
      site: { appUrl: app.config.appUrl },
      ...reasons,
    });
  for (let i = 0; i < 3; i++) await store(`held-${i}@example.net`, { holdReason: CHALLENGE_REASONS.missing });
  await store("held-expired@example.net", { holdReason: CHALLENGE_REASONS.expired });
  await store("flagged@example.com", { reviewReason: "over the limit for one network on this petition" });
  for (let i = 0; i < 2; i++) await store(`flood-${i}@flood.example`, {});
  await store("flood-undone@undone.example", {});
  await app.db
    .updateTable("signatures")
    .set({ status: "confirmed", confirmed_at: new Date().toISOString(), token_hash: null })
    .where("petition_id", "=", petition.id)
    .where("email", "in", ["held-0@example.net", "flagged@example.com"])
    .execute();
  const criteria = (emailDomain: string) => ({ petitionId: petition.id, emailDomain });
  const undone = await invalidateSignatures(app.db, { criteria: criteria("undone.example"), moderatorId });
  await undoInvalidation(app.db, { petitionId: petition.id, invalidationId: undone.invalidationId, moderatorId });
  const standing = await invalidateSignatures(app.db, { criteria: criteria("flood.example"), moderatorId });
  guarded = { id: petition.id, slug: petition.slug, invalidationId: standing.invalidationId };
});
const SAFETY_PAGES: Page[] = [
  {
    path: () => `/moderate/petitions/${guarded!.id}/safety`,
    as: "moderator",
    name: "a campaign's signatures and fraud page (moderator)",
  },
  {
    path: () => `/moderate/petitions/${guarded!.id}/safety?invalidated=${guarded!.invalidationId}`,
    as: "moderator",
    name: "a campaign's signatures and fraud page, just after an invalidation (moderator)",
  },
  {
    path: () => `/moderate/petitions/${guarded!.id}/safety?released=1`,
    as: "moderator",
    name: "a campaign's signatures and fraud page, just after releasing one suspect (moderator)",
  },
  { path: () => `/petitions/${guarded!.slug}`, name: "a campaign page with the browser check on" },
];

// A campaign's language and its translations: an organizer's campaign with a translation waiting for review.
let translated: { id: number; organizer: Person } | null = null;
beforeAll(async () => {
  const { makePetition } = await import("../helpers/session");
  const organizer = await signedIn(app, "translator@example.org");
  const petition = await makePetition(app, { state: "open", owner: organizer });
  const saved = await fetch(`${app.url}/organize/${petition.id}/translations`, {
    method: "POST",
    headers: { cookie: organizer.cookie },
    body: new URLSearchParams({ intent: "save", language: "cy", title: "Teitl", summary: "Crynodeb", body: "Testun" }),
    redirect: "manual",
  });
  if (saved.status !== 302) throw new Error(`The translation was not saved: ${saved.status}`);
  translated = { id: petition.id, organizer };
});
const CAMPAIGN_LANGUAGE_PAGES: Page[] = [
  {
    name: "/organize/:id/translations (organizer)",
    path: () => `/organize/${translated!.id}/translations`,
    as: () => translated!.organizer,
  },
  {
    name: "/organize/:id/translations?edit=cy (organizer)",
    path: () => `/organize/${translated!.id}/translations?edit=cy`,
    as: () => translated!.organizer,
  },
  { path: "/moderate/translations", as: "moderator" },
];

const PAGES = [
  ...LAYOUT_PAGES,
  ...SIGNING_PAGES,
  ...PUBLIC_PAGES,
  ...ORGANIZING_PAGES,
  ...ORGANIZER_UPDATES_PAGES,
  ...ORGANIZER_CAMPAIGN_PAGES,
  ...MODERATION_PAGES,
  ...SAFETY_PAGES,
  ...CAMPAIGN_LANGUAGE_PAGES,
];

async function get(page: Page): Promise<{ status: number; html: string }> {
  const person = typeof page.as === "function" ? page.as() : page.as ? people[page.as] : null;
  const path = typeof page.path === "function" ? page.path() : page.path;
  const cookie = [`lang=${PSEUDO_LANGUAGE}`, person?.cookie].filter(Boolean).join("; ");
  const response = await fetch(app.url + path.replace("{slug}", OPEN_SLUG), {
    headers: { cookie },
    redirect: "manual",
  });
  return { status: response.status, html: await response.text() };
}

/**
 * Text in an email's plain-text part with no pseudo-language mark, but for addresses and people's own words.
 * Plain text cannot mark what people wrote, so their words are known from the HTML part, where they are
 * marked (`lang` or `translate="no"`): a line made only of such words is theirs.
 */
function untranslatedLines(text: string, html: string): string[] {
  const own = ownWords(html);
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /\p{L}/u.test(line) && !/[⟦⟧]/.test(line))
    .filter((line) => !/^(https?:\/\/\S+|--)$/.test(line))
    .filter((line) => !own.some((words) => words.includes(bare(line.replace(/\(https?:\/\/[^)\s]+\)/g, "")))));
}

/** The texts of an HTML document's elements marked as people's own words. */
function ownWords(html: string): string[] {
  const words: string[] = [];
  const document = parseDocument(html);
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== "tag") continue;
      const element = node as Element;
      if (element.attribs.lang !== undefined && element.name !== "html") words.push(textOf(element));
      else if (element.attribs.translate === "no") words.push(textOf(element));
      else visit(element.children);
    }
  };
  visit(document.children);
  return words.map(bare).filter(Boolean);
}

/** Letters and digits only: plain text and HTML space and punctuate people's words differently. */
function bare(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+/gu, "");
}

function textOf(element: Element): string {
  return element.children
    .map((c) => (c.type === "text" ? c.data : c.type === "tag" ? textOf(c as Element) : ""))
    .join(" ");
}

const named = (p: Page) =>
  p.name ?? `${typeof p.path === "string" ? p.path : "?"} (${typeof p.as === "string" ? p.as : "visitor"})`;

describe("a reader in any language sees no text the catalogs do not give", () => {
  it.each(PAGES.map((p) => [named(p), p] as const))("%s", async (_name, page) => {
    const { status, html } = await get(page);
    expect(status, "the page answers").toBeLessThan(500);
    expect(html).toContain(`<html lang="${PSEUDO_LANGUAGE}"`);
    if (page.stillEnglish) expect(untranslatedText(html).length, page.stillEnglish).toBeGreaterThan(0);
    else expect(untranslatedText(html)).toEqual([]);
  });

  it.each(Object.keys(EMAIL_SAMPLES))("the email %s", (name) => {
    const email = EMAIL_SAMPLES[name].render({ appUrl: app.config.appUrl }, emailLanguage(PSEUDO_LANGUAGE));
    expect(email.subject).toMatch(/[⟦⟧]/);
    expect(email.html).toContain(`<html lang="${PSEUDO_LANGUAGE}"`);
    expect(untranslatedText(email.html)).toEqual([]);
    expect(untranslatedLines(email.text, email.html)).toEqual([]);
  });
});

/*
 * A page the browser draws differently from the server fails to hydrate, and React draws the whole document
 * again (on the way losing the inline stylesheet's nonce, so the page is unstyled). Anything made with the
 * runtime's locale data can differ: Node has full ICU, Chromium has no Welsh dates or collation. Welsh pages
 * are where that shows, so each page is opened in Welsh with JavaScript, on a phone, and must load without
 * an error and without scrolling sideways.
 * The drawing does not depend on the database: on SQLite only.
 */
describe.skipIf(onSqliteOnly)("a Welsh reader's phone takes over every page as the server wrote it", () => {
  const browser = useBrowser();
  it.each(PAGES.map((p) => [named(p), p] as const))("%s", { timeout: 30_000 }, async (_name, page) => {
    const person = typeof page.as === "function" ? page.as() : page.as ? people[page.as] : null;
    const path = typeof page.path === "function" ? page.path() : page.path;
    const tab = await browser.newPage();
    const cookies = [{ name: "lang", value: "cy", url: app.url }];
    if (person) {
      const [name, value] = person.cookie.split(/=(.*)/s);
      cookies.push({ name, value, url: app.url });
    }
    await tab.context().addCookies(cookies);
    const problems = await watchForProblems(tab);
    // Until the network is quiet: the page's scripts have loaded and React has taken the page over.
    await tab.goto(app.url + path.replace("{slug}", OPEN_SLUG), { waitUntil: "networkidle" });
    expect(await tab.locator("html").getAttribute("lang")).toBe("cy");
    expect(problems.map((p) => `${p.kind}: ${p.text.split("\n")[0]}`)).toEqual([]);
    // Welsh words run longer than English ones: on a phone the page may scroll down, never sideways.
    const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "pixels wider than a phone's screen").toBeLessThanOrEqual(0);
  });
});
