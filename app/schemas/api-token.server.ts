// Server only (ADR 0015): zod stays out of the browser bundle.
import { z } from "zod";
import { API_TOKEN_NAME_MAX } from "./api-token-fields";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** The API tokens page's two forms: make a token, revoke one. */
export const ApiTokenForm = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z
      .string()
      .default("")
      // One line of printable text: it is shown on the page and kept with each signature the token records.
      .transform((v) => v.replace(CONTROL, " ").replace(/\s+/g, " ").trim())
      .pipe(
        z
          .string()
          .min(1, "apiTokens.errors.nameRequired")
          // The catalogs' sentence names the limit (60).
          .max(API_TOKEN_NAME_MAX, "apiTokens.errors.nameTooLong"),
      ),
  }),
  z.object({
    intent: z.literal("revoke"),
    tokenId: z.coerce.number().int().positive(),
  }),
]);
