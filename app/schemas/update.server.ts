// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle; forms read their limits from ./update-fields.ts.
import { z } from "zod";
import { block, line, visible } from "./petition.server";
import { UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "./update-fields";

export * from "./update-fields";

const title = z
  .string()
  .default("")
  .transform(line)
  .pipe(
    z
      .string()
      .min(1, "Give the update a title")
      .refine(visible, "Give the update a title")
      .max(UPDATE_TITLE_MAX, `Keep the title to ${UPDATE_TITLE_MAX} characters`),
  );

const body = z
  .string()
  .default("")
  .transform(block)
  .pipe(
    z
      .string()
      .min(1, "Write the update")
      .refine(visible, "Write the update")
      .max(UPDATE_BODY_MAX, `Keep the update to ${UPDATE_BODY_MAX.toLocaleString("en-GB")} characters`),
  );

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
      email: z.enum(["yes"], { error: "Tick the box, or leave it empty to publish without emailing" }).optional(),
    }),
  ],
  { error: "Choose what to do: save, send a test or publish" },
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
