/**
 * Writing a petition: the one action behind /start and /organize/:id/edit, and the reading and checking of
 * its form. The form's value and error types live in schemas/petition-fields.ts, which the browser sees.
 */
import type { z } from "zod";
import {
  PetitionDraftForm,
  petitionSubmission,
  readDecisionMakers,
  type PetitionDraftInput,
} from "../schemas/petition.server";
import type { PetitionFormErrors, PetitionFormValues } from "../schemas/petition-fields";
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { fieldErrors } from "../lib/form-errors";
import { renderMarkdown } from "../lib/markdown.server";
import { readForm } from "../lib/form.server";
import { requestLocale } from "../lib/i18n.server";
import { isLanguage, DEFAULT_LANGUAGE, type Language } from "../lib/i18n";
import { createDraft, saveDraft, submitPetition } from "../models/organize.server";
import type { UserWithRoles } from "../models/user.server";

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
    language: str("language"),
  };
}

/** Errors keyed by the id of the field they belong beside: a decision maker's by its numbered field. */
function errorsFrom(error: z.ZodError): PetitionFormErrors {
  return fieldErrors(error, {
    keyOf: ([head, index, leaf]) =>
      head === "decisionMakers"
        ? typeof index === "number"
          ? `maker-${String(leaf)}-${index}`
          : "makers"
        : String(head),
  });
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
  language: string;
}): PetitionFormValues {
  return {
    title: p.title,
    summary: p.summary,
    body: p.body_markdown,
    goal: p.goal === null ? "" : String(p.goal),
    closesOn: p.closes_at ? p.closes_at.slice(0, 10) : "",
    decisionMakers: p.decisionMakers.map((m) => ({ name: m.name, role: m.role ?? "" })),
    language: p.language,
  };
}

/** The language the organizer is using the site in: what a new campaign is written in unless they say otherwise. */
export function pageLanguage(request: Request): Language {
  const locale = requestLocale(request);
  return isLanguage(locale) ? locale : DEFAULT_LANGUAGE;
}

export type PetitionFormActionData = {
  values: PetitionFormValues;
  errors: PetitionFormErrors;
  previewHtml: string | null;
  extraMakerRows: number;
  savedAt: string | null;
  draftId?: number;
};

/** Errors are catalog keys: the form translates them (app/components/field.tsx). */
const NOTHING_TO_SAVE = "petitionForm.errors.nothingToSave";

/** Nothing typed in any field (spaces and empty decision maker rows are nothing). */
function isEmpty(input: PetitionDraftInput): boolean {
  return (
    !input.title &&
    !input.summary &&
    !input.body &&
    input.decisionMakers.length === 0 &&
    input.goal === null &&
    input.closesOn === null
  );
}

/**
 * The one action behind /start and /organize/:id/edit. Every intent first
 * saves the draft (if it is within the limits), so nothing typed is lost:
 * save, autosave, preview, add-maker, submit.
 */
export async function handlePetitionForm(
  request: Request,
  context: AppLoadContext,
  user: UserWithRoles,
  petitionId: number | null,
) {
  const form = await readForm(request, 64 * 1024);
  const intent = String(form.get("intent") ?? "save");
  const values = readPetitionForm(form);
  // A form sent without the choice (an older page) is in the language the organizer is using the site in.
  if (!values.language) values.language = pageLanguage(request);
  const reply = (d: Partial<PetitionFormActionData>, status = 200) =>
    data<PetitionFormActionData>(
      { values, errors: {}, previewHtml: null, extraMakerRows: 0, savedAt: null, ...d },
      { status },
    );

  const draft = parseDraft(values);
  if (!draft.ok) return reply({ errors: draft.errors }, 400);

  // A form with nothing in it is not a draft: the start page makes none, whichever button was pressed.
  if (petitionId === null && isEmpty(draft.input)) {
    switch (intent) {
      case "autosave":
        return reply({});
      case "add-maker":
        return reply({ extraMakerRows: 1 });
      case "submit": {
        const full = parseSubmission(values);
        return reply({ errors: full.ok ? {} : full.errors }, 400);
      }
      case "preview":
        return reply({ errors: { body: "petitionForm.errors.nothingToPreview" } }, 400);
      default:
        return reply({ errors: { title: NOTHING_TO_SAVE } }, 400);
    }
  }

  let id = petitionId;
  if (id === null) {
    id = await createDraft(context.db, user.id, draft.input);
  } else if (!(await saveDraft(context.db, { petitionId: id, userId: user.id, input: draft.input }))) {
    throw new Response("This petition cannot be edited.", { status: 409 });
  }
  const savedAt = new Date().toISOString();

  switch (intent) {
    case "autosave":
      return reply({ savedAt, draftId: id });
    case "preview":
      if (petitionId === null) throw redirect(`/organize/${id}/edit?preview=1`);
      return reply({ savedAt, previewHtml: renderMarkdown(draft.input.body) });
    case "add-maker":
      if (petitionId === null) throw redirect(`/organize/${id}/edit?makers=1`);
      return reply({ savedAt, extraMakerRows: 1 });
    case "submit": {
      const full = parseSubmission(values);
      if (!full.ok) {
        if (petitionId === null) throw redirect(`/organize/${id}/edit?check=1`);
        return reply({ savedAt, errors: full.errors }, 400);
      }
      const status = await submitPetition(context.db, {
        petitionId: id,
        userId: user.id,
        input: full.input,
        moderation: context.config.moderation,
        site: { appUrl: context.config.appUrl },
      });
      if (!status) throw new Response("This petition cannot be submitted.", { status: 409 });
      throw redirect(`/organize/${id}?${status === "open" ? "published" : "submitted"}=1`);
    }
    default:
      if (petitionId === null) throw redirect(`/organize/${id}/edit?saved=1`);
      return reply({ savedAt });
  }
}
