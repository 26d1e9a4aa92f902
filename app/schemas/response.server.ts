// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./response-fields.ts.
import { z } from "zod";
import { block, line, visible } from "./petition.server";
import { RESPONSE_LIMITS } from "./response-fields";

export * from "./response-fields";

const L = RESPONSE_LIMITS;

/** A response body is read whole from a form of up to 20,000 characters in any script (at most 9 bytes each). */
export const RESPONSE_FORM_BYTES = 200 * 1024;

const name = z
  .string()
  .default("")
  .transform(line)
  .pipe(
    z
      .string()
      .min(1, "Enter the name the response is signed with")
      .refine(visible, "Enter the name the response is signed with")
      .min(L.name.min, `The name must be at least ${L.name.min} characters`)
      .max(L.name.max, `Keep the name to ${L.name.max} characters`),
  );

const title = z
  .string()
  .default("")
  .transform(line)
  .pipe(z.string().max(L.title.max, `Keep the title to ${L.title.max} characters`));

const body = z
  .string()
  .default("")
  .transform(block)
  .pipe(
    z
      .string()
      .min(1, "Write the response")
      .refine(visible, "Write the response")
      .max(L.body.max, `Keep the response to ${L.body.max.toLocaleString("en-GB")} characters`),
  );

/** The random key the page put in the form (app/lib/tokens.server.ts makes 43 characters). */
const formKey = z
  .string({ error: "This form has expired. Reload the page and try again" })
  .regex(/^[A-Za-z0-9_-]{43}$/, "This form has expired. Reload the page and try again");

/** A decision maker writes a response through their link: preview it, then publish what was previewed. */
export const DecisionMakerResponseForm = z.object({
  intent: z.enum(["preview", "publish"], { error: "Choose Preview or Publish" }),
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
    intent: z.enum(["preview", "record"], { error: "Choose Preview or Record" }),
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
          .min(1, "Enter the date of the response")
          .pipe(z.iso.date("Enter the date as a date, like 2027-03-03"))
          .refine((d) => d <= todayIso, "The date cannot be in the future"),
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
            .max(L.sourceUrl.max, `Keep the link to ${L.sourceUrl.max} characters`)
            .pipe(
              z.url({
                protocol: /^https?$/,
                error: "Enter the link as a web address starting with https://",
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
        ctx.addIssue({ code: "custom", message: `“${word.slice(0, 20)}” is not a whole number` });
        return z.NEVER;
      }
      const n = Number(digits);
      if (n < 1 || n > L.counts.largest) {
        ctx.addIssue({
          code: "custom",
          message: `Each count must be between 1 and ${L.counts.largest.toLocaleString("en-GB")}`,
        });
        return z.NEVER;
      }
      counts.push(n);
    }
    return [...new Set(counts)].sort((a, b) => a - b);
  })
  .pipe(z.array(z.number()).max(L.counts.max, `Choose at most ${L.counts.max} counts`));

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
            .max(L.email.max, `Keep the address to ${L.email.max} characters`)
            .pipe(z.email("Enter an email address like name@example.org")),
        ]),
      ),
    deliverAt: z.enum(["goal", "counts", "manual"], { error: "Choose when the petition is sent" }),
    deliverCounts,
  })
  .superRefine((v, ctx) => {
    if (v.deliverAt === "counts" && v.deliverCounts.length === 0) {
      ctx.addIssue({ code: "custom", path: ["deliverCounts"], message: "Enter at least one count, like 10,000" });
    }
  });
export type DeliverySettingsInput = z.infer<typeof DeliverySettingsForm>;

/** The buttons beside a decision maker on the organizer's page. */
export const DeliveryActionForm = z.object({
  intent: z.enum(["deliver", "revoke"], { error: "Choose Deliver now or Revoke the links" }),
  makerId: z.coerce.number({ error: "Choose a decision maker" }).int().positive("Choose a decision maker"),
});

/** A moderator hides a response, saying why. */
export const HideResponseForm = z.object({
  responseId: z.coerce.number({ error: "Choose a response" }).int().positive("Choose a response"),
  reason: z
    .string()
    .default("")
    .transform(block)
    .pipe(
      z
        .string()
        .min(1, "Say why the response is hidden: the organizers and the decision maker are told")
        .refine(visible, "Say why the response is hidden: the organizers and the decision maker are told")
        .max(L.hideReason.max, `Keep the reason to ${L.hideReason.max.toLocaleString("en-GB")} characters`),
    ),
});
