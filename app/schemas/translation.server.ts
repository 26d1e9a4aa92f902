// Server only (ADR 0015): zod stays out of the browser bundle; the form reads its limits from ./petition-fields.ts.
import { z } from "zod";
import { LANGUAGES } from "../lib/i18n";
import { PETITION_LIMITS } from "./petition-fields";
import { block, line, visible } from "./petition.server";

/** A translated field: cleaned as the campaign's own, required, within the campaign's own limits. */
function text(clean: (v: string) => string, max: number, key: "title" | "summary" | "body") {
  return z
    .string()
    .default("")
    .transform(clean)
    .pipe(
      z
        .string()
        .min(1, `translations.errors.${key}Required`)
        .refine(visible, `translations.errors.${key}Required`)
        .max(max, `translations.errors.${key}TooLong`),
    );
}

const language = z.enum(LANGUAGES, { error: "translations.errors.language" });

/** What the translations page accepts: a translation saved, or one removed. */
export const TranslationForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("save"),
      language,
      title: text(line, PETITION_LIMITS.title.max, "title"),
      summary: text(line, PETITION_LIMITS.summary.max, "summary"),
      body: text(block, PETITION_LIMITS.body.max, "body"),
    }),
    z.object({ intent: z.literal("remove"), language }),
  ],
  { error: "translations.errors.intent" },
);

/** A moderator's decision on a translation waiting for review, on the version they read. */
export const TranslationReviewForm = z.object({
  intent: z.enum(["approve", "decline"], { error: "translations.errors.intent" }),
  id: z.coerce.number().int().positive(),
  updatedAt: z.string().min(1).max(40),
});
