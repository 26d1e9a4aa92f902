// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./petition-fields.ts.
import { z } from "zod";
import { PETITION_LIMITS } from "./petition-fields";
import { LANGUAGES } from "../lib/i18n";

export { PETITION_LIMITS } from "./petition-fields";

// Control characters, bidi controls and lone surrogates (half a character: not text).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_INLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;
// Keeps newlines and tabs for Markdown.
const UNPRINTABLE_BLOCK =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

/** Something a reader can see: a title of zero-width spaces or Hangul fillers shows as nothing at all. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;
export const visible = (v: string) => v === "" || VISIBLE.test(v);

export const line = (v: string) => v.normalize("NFC").replace(UNPRINTABLE_INLINE, "").replace(/\s+/g, " ").trim();
export const block = (v: string) => v.normalize("NFC").replace(/\r\n?/g, "\n").replace(UNPRINTABLE_BLOCK, "").trim();

/**
 * A one-line field; its messages are catalog keys under petitionForm.errors.<field> (required, tooShort,
 * tooLong), each saying its limit in words (the limits are the constants in petition-fields.ts).
 */
function inline(field: string, max: number, min = 0) {
  const key = `petitionForm.errors.${field}`;
  return z
    .string()
    .default("")
    .transform(line)
    .pipe(
      min > 0
        ? z
            .string()
            .min(1, `${key}.required`)
            .refine(visible, `${key}.required`)
            .min(min, `${key}.tooShort`)
            .max(max, `${key}.tooLong`)
        : z.string().max(max, `${key}.tooLong`),
    );
}

const MakerDraft = z.object({
  name: inline("makerName", PETITION_LIMITS.makerName.max),
  role: inline("makerRole", PETITION_LIMITS.makerRole.max),
});

/**
 * The goal as typed ("5,000" is 5000), or null when left empty. A draft keeps any whole number up to the
 * largest goal (what the column holds); the smallest goal is checked when the petition is submitted, so a draft
 * saves with a goal still being typed.
 */
function goalField(min: number) {
  return z
    .string()
    .default("")
    .transform((v) => v.replace(/[\s,._]/g, ""))
    .pipe(
      z.union([
        z.literal("").transform(() => null),
        z
          .string()
          .regex(/^\d+$/, "petitionForm.errors.goal.notNumber")
          .transform(Number)
          .pipe(
            z
              .number()
              .min(min, "petitionForm.errors.goal.tooSmall")
              .max(PETITION_LIMITS.goal.max, "petitionForm.errors.goal.tooLarge"),
          ),
      ]),
    );
}

const dateField = z
  .string()
  .default("")
  .transform((v) => v.trim())
  .pipe(z.union([z.literal("").transform(() => null), z.iso.date("petitionForm.errors.closesOn.notDate")]));

/** What "Save draft" accepts: anything within the limits, incomplete or not. */
export const PetitionDraftForm = z.object({
  title: inline("title", PETITION_LIMITS.title.max),
  summary: inline("summary", PETITION_LIMITS.summary.max),
  body: z
    .string()
    .default("")
    .transform(block)
    .pipe(z.string().max(PETITION_LIMITS.body.max, "petitionForm.errors.body.tooLong")),
  decisionMakers: z.array(MakerDraft).max(PETITION_LIMITS.makers.max, "petitionForm.errors.makers.tooMany"),
  goal: goalField(0),
  closesOn: dateField,
  // Optional for callers that save a draft without the form; the form always sends one.
  language: z.enum(LANGUAGES, { error: "campaignLanguage.errors.language" }).optional(),
});
export type PetitionDraftInput = z.infer<typeof PetitionDraftForm>;

/** A summary and a text complete enough to publish: for submission, and for edits after publication. */
const completeSummary = inline("summary", PETITION_LIMITS.summary.max, PETITION_LIMITS.summary.min);
const completeBody = z
  .string()
  .default("")
  .transform(block)
  .pipe(
    z
      .string()
      .min(1, "petitionForm.errors.body.required")
      .refine(visible, "petitionForm.errors.body.required")
      .min(PETITION_LIMITS.body.min, "petitionForm.errors.body.tooShort")
      .max(PETITION_LIMITS.body.max, "petitionForm.errors.body.tooLong"),
  );

/** What "Submit for review" requires: every field complete, the date in range. */
export function petitionSubmission(today: Date) {
  const latest = addMonths(today, PETITION_LIMITS.months.max);
  return PetitionDraftForm.extend({
    title: inline("title", PETITION_LIMITS.title.max, PETITION_LIMITS.title.min),
    summary: completeSummary,
    body: completeBody,
    decisionMakers: z
      .array(
        z.object({
          name: inline("makerName", PETITION_LIMITS.makerName.max, PETITION_LIMITS.makerName.min),
          role: inline("makerRole", PETITION_LIMITS.makerRole.max),
        }),
      )
      .min(1, "petitionForm.errors.makers.none")
      .max(PETITION_LIMITS.makers.max, "petitionForm.errors.makers.tooMany"),
    goal: goalField(PETITION_LIMITS.goal.min),
    closesOn: dateField.refine(
      (d) => d === null || (d > isoDay(today) && d <= isoDay(latest)),
      "petitionForm.errors.closesOn.outOfRange",
    ),
  });
}

export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Decision makers arrive as numbered fields (maker-name-0, maker-role-0, ...)
 * so the form works without JavaScript. Rows left entirely empty are dropped.
 */
export function readDecisionMakers(form: FormData): { name: string; role: string }[] {
  const makers: { name: string; role: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const name = form.get(`maker-name-${i}`);
    const role = form.get(`maker-role-${i}`);
    if (name === null && role === null) continue;
    const entry = { name: typeof name === "string" ? name : "", role: typeof role === "string" ? role : "" };
    if (entry.name.trim() || entry.role.trim()) makers.push(entry);
  }
  return makers;
}

export const REJECTION_REASONS = {
  duplicate: "There is already a petition about this",
  no_action: "It does not ask for a clear action",
  wrong_target: "The decision maker named cannot do what it asks",
  offensive: "It is offensive, or includes language that is not acceptable",
  defamatory: "It could be defamatory, or accuses people without evidence",
  advert: "It promotes a product, service or business",
  personal_data: "It includes personal information about someone",
  fake_name: "It was not started under a real name",
  other: "Another reason, given below",
} as const;
export type RejectionReason = keyof typeof REJECTION_REASONS;

export const ModerationForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve") }),
  z.object({
    intent: z.literal("reject"),
    reason: z.enum(Object.keys(REJECTION_REASONS) as [RejectionReason, ...RejectionReason[]], {
      error: "moderate.review.errors.reason",
    }),
    note: z.string().default("").transform(line).pipe(z.string().max(1000, "moderate.review.errors.noteLong")),
    hide: z
      .literal("yes")
      .optional()
      .transform((v) => v === "yes"),
  }),
  z.object({
    intent: z.literal("hide"),
    note: z.string().default("").transform(line).pipe(z.string().max(1000, "moderate.review.errors.noteLong")),
  }),
  // A published petition's new cover image (ADR 0007).
  z.object({ intent: z.literal("approve-image") }),
  z.object({ intent: z.literal("decline-image") }),
]);

/** After publication: only the summary and the text may change, and they must stay complete. */
export const PublishedTextForm = z.object({ summary: completeSummary, body: completeBody });

/** The organizer's actions on a published petition (the manage page). */
export const ManageForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("close"),
    confirm: z.literal("yes", { error: "campaignManage.errors.confirmClose" }),
  }),
  z.object({
    intent: z.literal("extend"),
    closesOn: z.iso.date("campaignManage.errors.closesOnNotDate"),
  }),
  z.object({
    intent: z.literal("victory"),
    message: z
      .string()
      .default("")
      .transform(block)
      .pipe(
        z
          .string()
          .min(1, "campaignManage.errors.messageRequired")
          .refine(visible, "campaignManage.errors.messageRequired")
          .max(2000, "campaignManage.errors.messageTooLong"),
      ),
  }),
  z.object({
    intent: z.literal("invite"),
    email: z.string().trim().max(254).pipe(z.email("campaignManage.errors.emailInvalid")),
  }),
]);
