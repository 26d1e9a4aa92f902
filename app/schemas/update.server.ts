// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./update-fields.ts.
// Messages are catalog keys; the pages translate them, putting each limit in as {{max}} (formatNumber).
import { z } from "zod";
import { block, line, visible } from "./petition.server";
import { formatNumber, type Locale } from "../lib/i18n";
import { UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "./update-fields";

export * from "./update-fields";

const title = z
  .string()
  .default("")
  .transform(line)
  .pipe(
    z
      .string()
      .min(1, "updates.errors.titleMissing")
      .refine(visible, "updates.errors.titleMissing")
      .max(UPDATE_TITLE_MAX, "updates.errors.titleLong"),
  );

const body = z
  .string()
  .default("")
  .transform(block)
  .pipe(
    z
      .string()
      .min(1, "updates.errors.bodyMissing")
      .refine(visible, "updates.errors.bodyMissing")
      .max(UPDATE_BODY_MAX, "updates.errors.bodyLong"),
  );

/** The limits the messages name, as the reader's language writes figures ({{titleMax}}, {{bodyMax}}). */
export function updateLimitValues(locale: Locale): Record<string, string> {
  return { titleMax: formatNumber(UPDATE_TITLE_MAX, locale), bodyMax: formatNumber(UPDATE_BODY_MAX, locale) };
}

/** Writing a new update, or saving changes to a draft. */
export const UpdateDraftForm = z.object({ title, body });
export type UpdateDraftInput = z.infer<typeof UpdateDraftForm>;

/** What the buttons on a draft's page ask for. */
export const UpdateActionForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("save"), title, body }),
    z.object({ intent: z.literal("test") }),
    z.object({
      intent: z.literal("publish"),
      // A ticked box sends "yes"; an unticked one sends nothing at all.
      email: z.enum(["yes"], { error: "updates.errors.emailChoice" }).optional(),
    }),
  ],
  { error: "updates.errors.intent" },
);
export type UpdateAction = z.infer<typeof UpdateActionForm>;

/** A moderator stops an update that is still going out. */
export const StopUpdateForm = z.object({
  intent: z.literal("stop", { error: "Choose what to do" }),
  updateId: z.coerce.number({ error: "Choose an update" }).int().positive("Choose an update"),
});

/**
 * The largest form body an update page reads: 20,000 characters of any
 * script, URL-encoded, stay under it (at most 9 bytes a character), and it is
 * below the server's own cap (server/app.ts).
 */
export const UPDATE_FORM_BYTES = 200 * 1024;
