import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { listTranslations, removeTranslation, saveTranslation } from "~/models/translations.server";
import { PETITION_LIMITS } from "~/schemas/petition-fields";
import { TranslationForm } from "~/schemas/translation.server";
import { requirePetitionAccess } from "~/services/petition-access.server";

/*
 * A campaign's translations, for its organizers: each one with where it stands, a form to add one or change
 * one, and a button to remove one. Moderators have no business here: they review translations on
 * /moderate/translations.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "" }];

const NOTICES = ["saved", "pending", "removed"] as const;
type Notice = (typeof NOTICES)[number];

type Values = { language: string; title: string; summary: string; body: string };
const EMPTY: Values = { language: "", title: "", summary: "", body: "" };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const t = translator(requestLocale(request));
  const url = new URL(request.url);
  const translations = await listTranslations(context.db, p.id);
  const editing = translations.find((tr) => tr.language === url.searchParams.get("edit"));
  return {
    pageTitle: t("translations.pageTitle", { title: p.title || t("translations.untitled") }),
    id: p.id,
    title: p.title,
    language: isLanguage(p.language) ? p.language : ("en" as Language),
    translatable: !["rejected", "hidden"].includes(p.status),
    moderated: context.config.moderation,
    notice: NOTICES.find((n) => url.searchParams.has(n)) ?? null,
    translations: translations.map((tr) => ({ language: tr.language, title: tr.title, status: tr.status })),
    editing: editing
      ? { language: editing.language, title: editing.title, summary: editing.summary, body: editing.body_markdown }
      : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const form = await readForm(request, 64 * 1024);
  const str = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
  const values: Values = { language: str("language"), title: str("title"), summary: str("summary"), body: str("body") };
  const parsed = TranslationForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ values, errors: fieldErrors(parsed.error, { formKey: "form" }) }, { status: 400 });
  const base = `/organize/${p.id}/translations`;
  if (parsed.data.intent === "remove") {
    const removed = await removeTranslation(context.db, {
      petitionId: p.id,
      userId: user.id,
      language: parsed.data.language,
    });
    if (!removed) throw new Response("Not found", { status: 404 });
    throw redirect(`${base}?removed=1`);
  }
  const { language, title, summary, body } = parsed.data;
  const status = await saveTranslation(context.db, {
    petitionId: p.id,
    userId: user.id,
    input: { language, title, summary, body },
    moderation: context.config.moderation,
  });
  if (status === null) throw new Response("This campaign cannot be translated.", { status: 409 });
  if (status === "same-language")
    return data({ values, errors: { language: "translations.errors.sameLanguage" } }, { status: 400 });
  throw redirect(`${base}?${status === "pending" ? "pending" : "saved"}=1`);
}

export default function Translations() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors: Record<string, string> = a?.errors ?? {};
  // A refused form keeps what was typed; otherwise the translation being edited, or an empty one.
  const values: Values = a?.values ?? d.editing ?? EMPTY;
  const taken = new Set(d.translations.map((tr) => tr.language));
  const editing = a ? taken.has(values.language) : d.editing !== null;
  const choices = LANGUAGES.filter((l) => l !== d.language && (editing ? l === values.language : !taken.has(l)));
  return (
    <section className="translations">
      <p>
        <Link to={`/organize/${d.id}`}>{t("translations.back")}</Link>
      </p>
      <p className="eyebrow">{t("translations.eyebrow")}</p>
      <h1>{t("translations.heading")}</h1>
      <p lang={d.language} className="lead">
        {d.title || t("translations.untitled")}
      </p>
      <p>{t(`translations.original.${d.language}`)}</p>
      <p>{t("translations.intro")}</p>
      {d.moderated ? <p>{t("translations.moderated")}</p> : null}

      {d.notice ? (
        <p className="notice" role="status">
          {t(`translations.notices.${d.notice satisfies Notice}`)}
        </p>
      ) : null}

      <h2>{t("translations.list.heading")}</h2>
      {d.translations.length === 0 ? (
        <p>{t("translations.list.none")}</p>
      ) : (
        <ul className="translation-list">
          {d.translations.map((tr) => {
            const name = isLanguage(tr.language) ? LANGUAGE_NAMES[tr.language] : tr.language;
            return (
              <li key={tr.language}>
                <p>
                  <strong lang={tr.language}>{name}</strong>: <span lang={tr.language}>{tr.title}</span>
                </p>
                <p className="hint">{t(`translations.status.${tr.status}`)}</p>
                <ul className="action-links">
                  <li>
                    <Link to={`?edit=${tr.language}#translation-form`}>
                      {t("translations.list.edit", { language: name })}
                    </Link>
                  </li>
                  <li>
                    <Form method="post">
                      <input type="hidden" name="language" value={tr.language} />
                      <button type="submit" name="intent" value="remove" className="link-button">
                        {t("translations.list.remove", { language: name })}
                      </button>
                    </Form>
                  </li>
                </ul>
              </li>
            );
          })}
        </ul>
      )}

      {!d.translatable ? null : choices.length === 0 ? (
        <p>{t("translations.form.noneLeft")}</p>
      ) : (
        <Form method="post" noValidate id="translation-form" className="translation-form">
          <h2>{editing ? t("translations.form.editHeading") : t("translations.form.addHeading")}</h2>
          <ErrorSummary errors={summaryOf(errors, ["language", "title", "summary", "body"])} />
          <Field id="language" label={t("translations.form.language")} error={errors.language}>
            {(aria) => (
              <select {...aria} name="language" defaultValue={values.language || choices[0]}>
                {choices.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="title" label={t("translations.form.title")} error={errors.title}>
            {(aria) => (
              <input
                {...aria}
                name="title"
                type="text"
                maxLength={PETITION_LIMITS.title.max}
                defaultValue={values.title}
              />
            )}
          </Field>
          <Field id="summary" label={t("translations.form.summary")} error={errors.summary}>
            {(aria) => (
              <input
                {...aria}
                name="summary"
                type="text"
                maxLength={PETITION_LIMITS.summary.max}
                defaultValue={values.summary}
              />
            )}
          </Field>
          <Field
            id="body"
            label={t("translations.form.body")}
            hint={t("translations.form.bodyHint")}
            error={errors.body}
          >
            {(aria) => (
              <textarea
                {...aria}
                name="body"
                rows={14}
                maxLength={PETITION_LIMITS.body.max}
                defaultValue={values.body}
              />
            )}
          </Field>
          <div className="actions">
            <button type="submit" name="intent" value="save" className="button">
              {t("translations.form.save")}
            </button>
            {editing ? <Link to={`/organize/${d.id}/translations`}>{t("translations.form.cancel")}</Link> : null}
          </div>
        </Form>
      )}
    </section>
  );
}
