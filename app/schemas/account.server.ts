// Server only (ADR 0015): .server.ts keeps zod out of the browser bundle.
import { z } from "zod";

export const SignInForm = z.object({
  email: z
    .string({ error: "Enter your email address" })
    .trim()
    .min(1, "Enter your email address")
    .max(254, "Your email address must be 254 characters or fewer")
    .pipe(z.email("Enter an email address like name@example.org")),
  redirectTo: z.string().max(500).optional(),
});

export const RoleForm = z.object({
  intent: z.enum(["grant", "revoke"], { error: "admin.errors.intent" }),
  email: z.string().trim().max(254, "admin.errors.emailLong").pipe(z.email("admin.errors.email")),
  role: z.enum(["moderator", "admin"], { error: "admin.errors.role" }),
});
