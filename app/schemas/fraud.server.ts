// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./fraud-fields.ts.
import { z } from "zod";
import { isCountryCode } from "~/lib/countries";
import { CRITERIA_FIELDS, NETWORK_HINT, PAUSE_MESSAGE_MAX, RELEASE_IDS_MAX, type CriteriaField } from "./fraud-fields";
import { line, visible } from "./petition.server";

export * from "./fraud-fields";

/** The moderators' fraud forms: invalidation criteria, undo, releasing suspects, pausing signing, the challenge. */

/** The pause message, shown on the public petition page instead of the form. */
const pauseMessage = z
  .string()
  .default("")
  .transform(line)
  .pipe(
    z
      .string()
      .min(1, "safety.errors.messageMissing")
      .max(PAUSE_MESSAGE_MAX, "safety.errors.messageLong")
      .refine(visible, "safety.errors.messageMissing"),
  );

/** An optional text field: empty means "not given". */
function optional<T extends z.ZodType<unknown, string>>(inner: T) {
  return z
    .string()
    .default("")
    .transform((v) => (v.trim() === "" ? undefined : v.trim()))
    .pipe(inner.optional());
}

/** "2026-11-27T14:05" as a datetime-local field sends it, read as UTC; seconds and a trailing Z are accepted too. */
const utcTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/, "campaignSafety.errors.time")
  .transform((v, ctx) => {
    const date = new Date(v.endsWith("Z") ? v : `${v}Z`);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: "campaignSafety.errors.time" });
      return z.NEVER;
    }
    return date.toISOString();
  });

const criteriaShape = {
  // The exact check (a real address, or a full hash) happens on the server, which knows the hashing key.
  network: optional(
    z
      .string()
      .max(100, NETWORK_HINT)
      .transform((v) => v.toLowerCase())
      .pipe(z.string().regex(/^([0-9a-f]{64}|[0-9.]+(\/\d{1,2})?|[0-9a-f:.]*:[0-9a-f:.]*(\/\d{1,3})?)$/, NETWORK_HINT)),
  ),
  domain: optional(
    z
      .string()
      .max(253, "campaignSafety.errors.domainLong")
      .transform((v) => v.toLowerCase().replace(/^@/, ""))
      .pipe(z.string().regex(/^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/, "campaignSafety.errors.domain")),
  ),
  email: optional(z.string().max(254, "campaignSafety.errors.emailLong").pipe(z.email("campaignSafety.errors.email"))),
  country: optional(
    z
      .string()
      .transform((v) => v.toUpperCase())
      .pipe(z.string().refine(isCountryCode, "campaignSafety.errors.country")),
  ),
  from: optional(utcTime),
  to: optional(utcTime),
};

type CriteriaValues = { [K in CriteriaField]?: string };

function checkCriteria(v: CriteriaValues, ctx: z.RefinementCtx) {
  if (CRITERIA_FIELDS.every((f) => v[f] === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["criteria"],
      message: "campaignSafety.errors.noCriteria",
    });
  }
  if (v.from !== undefined && v.to !== undefined && v.from >= v.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "campaignSafety.errors.timeOrder" });
  }
}

export const SafetyForm = z.discriminatedUnion("intent", [
  // Step one: how many match. Nothing changes.
  z.object({ intent: z.literal("check"), ...criteriaShape }).superRefine(checkCriteria),
  // Step two: invalidate them.
  z.object({ intent: z.literal("invalidate"), ...criteriaShape }).superRefine(checkCriteria),
  z.object({
    intent: z.literal("undo"),
    invalidationId: z.coerce
      .number({ error: "campaignSafety.errors.undo" })
      .int()
      .positive("campaignSafety.errors.undo"),
  }),
  z
    .object({
      intent: z.literal("release"),
      scope: z.enum(["all", "selected"], { error: "campaignSafety.errors.scope" }),
      ids: z
        .array(z.coerce.number().int().positive())
        .max(RELEASE_IDS_MAX, "campaignSafety.errors.tooMany")
        .default([]),
    })
    .refine((v) => v.scope === "all" || v.ids.length > 0, {
      path: ["ids"],
      message: "campaignSafety.errors.noneTicked",
    }),
  z.object({
    intent: z.literal("pause"),
    message: pauseMessage,
  }),
  z.object({ intent: z.literal("resume") }),
  // The proof-of-work challenge on the signing form (docs/decisions/0013-optional-challenge.md).
  z.object({ intent: z.literal("challenge-on") }),
  z.object({ intent: z.literal("challenge-off") }),
]);
export type SafetyInput = z.infer<typeof SafetyForm>;

/** The site-wide switch: the same pause, for every petition at once. */
export const SitePauseForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("pause"),
    message: pauseMessage,
  }),
  z.object({ intent: z.literal("resume") }),
]);

/** What a "prepare invalidation" link may fill in (anything else in the address is ignored). */
export const PrefillQuery = z.object({
  network: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .catch(undefined),
  domain: z
    .string()
    .max(253)
    .regex(/^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/)
    .optional()
    .catch(undefined),
});

/** How many signatures in the last hour make a source "trending": a query parameter, within reason. */
export const ThresholdQuery = z.coerce.number().int().min(1).max(100_000).catch(20);

/** "Open a petition" on the safety page: its number, slug or page address. */
export const FindQuery = z.string().trim().min(1).max(500);

/** What a petition's safety page says after a change (the action redirects there with one of these). */
export const DoneQuery = z.object({
  invalidated: z.coerce.number().int().positive().optional().catch(undefined),
  undone: z.coerce.number().int().positive().optional().catch(undefined),
  released: z.coerce.number().int().min(0).optional().catch(undefined),
  paused: z.literal("1").optional().catch(undefined),
  resumed: z.literal("1").optional().catch(undefined),
  challenge: z.enum(["on", "off"]).optional().catch(undefined),
});
