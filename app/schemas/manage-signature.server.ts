// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle.
import { z } from "zod";
import { SignatureForm } from "./signature.server";

/** "Send me my manage links": the address checked exactly as the signing form checks it. */
export const ManageLinksRequestForm = z.object({ email: SignatureForm.shape.email });

/**
 * The buttons on the manage page, one form each. Withdrawing and erasing need
 * their box ticked, so that one stray press cannot undo a signature.
 */
export const ManageSignatureForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("name-display"),
      nameDisplay: z.enum(["full", "first_initial", "hidden"], { error: "signature.errors.nameDisplay" }),
    }),
    z.object({ intent: z.literal("start-updates") }),
    z.object({ intent: z.literal("stop-updates") }),
    z.object({ intent: z.literal("resume-email") }),
    z.object({
      intent: z.literal("withdraw"),
      confirm: z.literal("yes", { error: "signature.errors.withdrawConfirm" }),
    }),
    z.object({
      intent: z.literal("erase"),
      confirm: z.literal("yes", { error: "signature.errors.eraseConfirm" }),
    }),
  ],
  { error: "signature.errors.unknownIntent" },
);

export type ManageIntent = z.infer<typeof ManageSignatureForm>["intent"];
