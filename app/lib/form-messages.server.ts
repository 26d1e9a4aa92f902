import type { TFunction } from "i18next";
import { fieldErrors, type FieldErrors, type FormIssue } from "./form-errors";

/**
 * A refused form's errors in the reader's language, for messages that need figures or words put in them ("Keep
 * the update to 20,000 characters", "“ten” is not a whole number"): each issue's message is a catalog key,
 * translated here with `values` (figures already formatted for the language) and the issue's own `params`.
 * Field and ErrorSummary translate what they are given again; a sentence is not a key, so it shows as it is.
 */
export function translatedFieldErrors(
  error: { readonly issues: readonly (FormIssue & { readonly params?: Record<string, unknown> })[] },
  t: TFunction,
  values: Record<string, string> = {},
  opts: Parameters<typeof fieldErrors>[1] = {},
): FieldErrors {
  const issues = error.issues.map((issue) => ({
    path: issue.path,
    message: t(issue.message, { ...values, ...(issue.params ?? {}) }) as string,
  }));
  return fieldErrors({ issues }, opts);
}
