// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle.
import { z } from "zod";

export const SignInForm = z.object({
  email: z
    .string({ error: "signIn.errors.emailMissing" })
    .trim()
    .min(1, "signIn.errors.emailMissing")
    .max(254, "signIn.errors.emailTooLong")
    .pipe(z.email("signIn.errors.emailInvalid")),
  redirectTo: z.string().max(500).optional(),
});

export const RoleForm = z.object({
  intent: z.enum(["grant", "revoke"], { error: "admin.errors.intent" }),
  email: z.string().trim().max(254, "admin.errors.emailLong").pipe(z.email("admin.errors.email")),
  role: z.enum(["moderator", "admin"], { error: "admin.errors.role" }),
});
