/**
 * What a refused form shows: one message for each field that needs another answer, keyed by the field's name
 * (or by what `keyOf` makes of the issue's path). Every action turns a failed zod parse into this, and every form
 * shows it with `Field` and `ErrorSummary` (app/components/field.tsx).
 *
 * It reads a zod error's `issues` as `z.flattenError` does, the first message for each field winning, but takes
 * only their shape: this module imports nothing from zod, so the browser bundle never carries it (ADR 0015).
 */
export type FieldErrors = Record<string, string>;

/** A zod issue, as far as a form needs it. */
export type FormIssue = { readonly path: readonly PropertyKey[]; readonly message: string };

export function fieldErrors(
  error: { readonly issues: readonly FormIssue[] },
  opts: {
    /** The key an issue's message goes under; by default the path's first part (the form field's name). */
    keyOf?: (path: readonly PropertyKey[]) => string;
    /** Where an issue about the whole form (an empty path) goes; left out unless given. */
    formKey?: string;
  } = {},
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length === 0 ? opts.formKey : opts.keyOf ? opts.keyOf(issue.path) : String(issue.path[0]);
    if (key !== undefined && !Object.hasOwn(errors, key)) errors[key] = issue.message;
  }
  return errors;
}

/**
 * A form's submitted text fields, to put back into it when it is refused. Files and repeated names (the last
 * value wins) are not kept.
 */
export function submittedValues(form: FormData, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === "string" && !omit.includes(name)) values[name] = value;
  }
  return values;
}
