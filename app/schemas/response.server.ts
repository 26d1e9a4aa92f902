// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./response-fields.ts.
import { z } from "zod";
import { block, line, visible } from "./petition.server";
import { formatNumber, type Locale } from "../lib/i18n";
import { RESPONSE_LIMITS } from "./response-fields";

export * from "./response-fields";

const L = RESPONSE_LIMITS;

// Messages are catalog keys (the forms translate them); the catalogs write the limits below as figures, or, in
// the organizers' forms (decisionMakers.errors), take them from responseLimitValues.

/** The limits the organizers' forms name in their messages, as the reader's language writes figures. */
export function responseLimitValues(locale: Locale): Record<string, string> {
  return {
    sourceMax: formatNumber(L.sourceUrl.max, locale),
    emailMax: formatNumber(L.email.max, locale),
    countsMax: formatNumber(L.counts.max, locale),
    largest: formatNumber(L.counts.largest, locale),
  };
}

/** A response body is read whole from a form of up to 20,000 characters in any script (at most 9 bytes each). */
export const RESPONSE_FORM_BYTES = 200 * 1024;

const name = z
  .string()
  .default("")
  .transform(line)
  .pipe(
    z
      .string()
      .min(1, "respond.errors.nameMissing")
      .refine(visible, "respond.errors.nameMissing")
      .min(L.name.min, "respond.errors.nameShort")
      .max(L.name.max, "respond.errors.nameLong"),
  );

const title = z.string().default("").transform(line).pipe(z.string().max(L.title.max, "respond.errors.titleLong"));

const body = z
  .string()
  .default("")
  .transform(block)
  .pipe(
    z
      .string()
      .min(1, "respond.errors.bodyMissing")
      .refine(visible, "respond.errors.bodyMissing")
      .max(L.body.max, "respond.errors.bodyLong"),
  );

/** The random key the page put in the form (app/lib/tokens.server.ts makes 43 characters). */
const formKey = z
  .string({ error: "respond.errors.formExpired" })
  .regex(/^[A-Za-z0-9_-]{43}$/, "respond.errors.formExpired");

/** A decision maker writes a response through their link: preview it, then publish what was previewed. */
export const DecisionMakerResponseForm = z.object({
  intent: z.enum(["preview", "publish"], { error: "respond.errors.intent" }),
  name,
  title,
  body,
  formKey,
});
export type DecisionMakerResponseInput = z.infer<typeof DecisionMakerResponseForm>;

/** An organizer records a response that arrived elsewhere (a letter, a statement). */
export function recordedResponseForm(today: Date) {
  const todayIso = today.toISOString().slice(0, 10);
  return z.object({
    intent: z.enum(["preview", "record"], { error: "decisionMakers.errors.recordIntent" }),
    name,
    title,
    body,
    formKey,
    respondedOn: z
      .string()
      .default("")
      .transform((v) => v.trim())
      .pipe(
        z
          .string()
          .min(1, "decisionMakers.errors.dateMissing")
          .pipe(z.iso.date("decisionMakers.errors.dateInvalid"))
          .refine((d) => d <= todayIso, "decisionMakers.errors.dateFuture"),
      ),
    sourceUrl: z
      .string()
      .default("")
      .transform((v) => v.trim())
      .pipe(
        z.union([
          z.literal("").transform(() => null),
          z
            .string()
            .max(L.sourceUrl.max, "decisionMakers.errors.sourceLong")
            .pipe(
              z.url({
                protocol: /^https?$/,
                error: "decisionMakers.errors.sourceInvalid",
              }),
            ),
        ]),
      ),
  });
}
export type RecordedResponseInput = z.infer<ReturnType<typeof recordedResponseForm>>;

/**
 * Counts typed by the organizer: whole numbers separated by spaces, semicolons or new lines, each with or
 * without thousands separators ("10,000 100,000").
 */
const deliverCounts = z
  .string()
  .default("")
  .transform((v) => v.trim())
  .transform((v, ctx) => {
    const words = v === "" ? [] : v.split(/[\s;]+/);
    const counts: number[] = [];
    for (const word of words) {
      const digits = word.replace(/[,._']/g, "");
      if (!/^\d+$/.test(digits)) {
        ctx.addIssue({
          code: "custom",
          message: "decisionMakers.errors.notWholeNumber",
          params: { word: word.slice(0, 20) },
        });
        return z.NEVER;
      }
      const n = Number(digits);
      if (n < 1 || n > L.counts.largest) {
        ctx.addIssue({ code: "custom", message: "decisionMakers.errors.countRange" });
        return z.NEVER;
      }
      counts.push(n);
    }
    return [...new Set(counts)].sort((a, b) => a - b);
  })
  .pipe(z.array(z.number()).max(L.counts.max, "decisionMakers.errors.tooManyCounts"));

/** A decision maker's contact address and when the petition is sent to them. */
export const DeliverySettingsForm = z
  .object({
    contactEmail: z
      .string()
      .default("")
      .transform((v) => v.trim())
      .pipe(
        z.union([
          z.literal("").transform(() => null),
          z
            .string()
            .max(L.email.max, "decisionMakers.errors.emailLong")
            .pipe(z.email("decisionMakers.errors.emailInvalid")),
        ]),
      ),
    deliverAt: z.enum(["goal", "counts", "manual"], { error: "decisionMakers.errors.deliverAt" }),
    deliverCounts,
  })
  .superRefine((v, ctx) => {
    if (v.deliverAt === "counts" && v.deliverCounts.length === 0) {
      ctx.addIssue({ code: "custom", path: ["deliverCounts"], message: "decisionMakers.errors.countsMissing" });
    }
  });
export type DeliverySettingsInput = z.infer<typeof DeliverySettingsForm>;

/** The buttons beside a decision maker on the organizer's page. */
export const DeliveryActionForm = z.object({
  intent: z.enum(["deliver", "revoke"], { error: "decisionMakers.errors.actionIntent" }),
  makerId: z.coerce
    .number({ error: "decisionMakers.errors.chooseMaker" })
    .int()
    .positive("decisionMakers.errors.chooseMaker"),
});

/** A moderator hides a response, saying why. */
export const HideResponseForm = z.object({
  responseId: z.coerce
    .number({ error: "moderate.responses.errors.choose" })
    .int()
    .positive("moderate.responses.errors.choose"),
  reason: z
    .string()
    .default("")
    .transform(block)
    .pipe(
      z
        .string()
        .min(1, "moderate.responses.errors.reasonMissing")
        .refine(visible, "moderate.responses.errors.reasonMissing")
        .max(L.hideReason.max, "moderate.responses.errors.reasonLong"),
    ),
});
