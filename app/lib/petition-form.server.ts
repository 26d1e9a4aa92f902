import type { z } from "zod";
import {
  PetitionDraftForm,
  petitionSubmission,
  readDecisionMakers,
  type PetitionDraftInput,
} from "../schemas/petition.server";

/** What the person typed, kept as typed, to put back in the form. */
export type PetitionFormValues = {
  title: string;
  summary: string;
  body: string;
  goal: string;
  closesOn: string;
  decisionMakers: { name: string; role: string }[];
};

/** Errors keyed by the id of the field they belong beside (title, maker-name-0, makers, ...). */
export type PetitionFormErrors = Record<string, string>;

export function readPetitionForm(form: FormData): PetitionFormValues {
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  return {
    title: str("title"),
    summary: str("summary"),
    body: str("body"),
    goal: str("goal"),
    closesOn: str("closesOn"),
    decisionMakers: readDecisionMakers(form),
  };
}

function errorsFrom(error: z.ZodError): PetitionFormErrors {
  const errors: PetitionFormErrors = {};
  for (const issue of error.issues) {
    const [head, index, leaf] = issue.path;
    const key =
      head === "decisionMakers"
        ? typeof index === "number"
          ? `maker-${String(leaf)}-${index}`
          : "makers"
        : String(head);
    errors[key] ??= issue.message;
  }
  return errors;
}

export function parseDraft(
  values: PetitionFormValues,
): { ok: true; input: PetitionDraftInput } | { ok: false; errors: PetitionFormErrors } {
  const parsed = PetitionDraftForm.safeParse(values);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, errors: errorsFrom(parsed.error) };
}

export function parseSubmission(
  values: PetitionFormValues,
  today = new Date(),
): { ok: true; input: PetitionDraftInput } | { ok: false; errors: PetitionFormErrors } {
  const parsed = petitionSubmission(today).safeParse(values);
  return parsed.success ? { ok: true, input: parsed.data } : { ok: false, errors: errorsFrom(parsed.error) };
}

/** The form's values from a stored petition, for editing. */
export function valuesFromPetition(p: {
  title: string;
  summary: string;
  body_markdown: string;
  goal: number | null;
  closes_at: string | null;
  decisionMakers: { name: string; role: string | null }[];
}): PetitionFormValues {
  return {
    title: p.title,
    summary: p.summary,
    body: p.body_markdown,
    goal: p.goal === null ? "" : String(p.goal),
    closesOn: p.closes_at ? p.closes_at.slice(0, 10) : "",
    decisionMakers: p.decisionMakers.map((m) => ({ name: m.name, role: m.role ?? "" })),
  };
}
