import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { PETITION_LIMITS, type PetitionFormValues } from "~/schemas/petition-fields";
import { CampaignLanguageField } from "./campaign-language-field";
import { ErrorSummary, Field, Fieldset, summaryOf } from "./field";
import { SimilarCampaigns, type SimilarCampaign } from "./similar-campaigns";

type Values = PetitionFormValues;

/**
 * The form for writing a petition. Every button is a plain submit, so it all
 * works without JavaScript; with JavaScript the draft also saves itself a few
 * seconds after each change, so a closed tab loses nothing. A form with
 * nothing in it is never saved.
 */
export function PetitionForm(props: {
  /** Where the form posts: /start for a new petition, /organize/:id/edit after. */
  action: string;
  values: Values;
  errors?: Record<string, string>;
  previewHtml?: string | null;
  extraMakerRows?: number;
  minDate: string;
  maxDate: string;
  savedAt?: string | null;
  /** Listed campaigns like the saved title, shown without JavaScript (with it, they follow the typing). */
  similar?: SimilarCampaign[];
}) {
  const { values, errors = {} } = props;
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const makerRows = Math.min(
    PETITION_LIMITS.makers.max,
    Math.max(1, values.decisionMakers.length) + (props.extraMakerRows ?? 0),
  );
  const makers = Array.from({ length: makerRows }, (_, i) => values.decisionMakers[i] ?? { name: "", role: "" });
  // Error keys are the ids of the fields they belong to; a problem with the list of decision makers as a whole
  // takes the person to its first name.
  const summaryFields: Record<string, string> = { title: "title", makers: "maker-name-0" };
  makers.forEach((_, i) => {
    summaryFields[`maker-name-${i}`] = `maker-name-${i}`;
    summaryFields[`maker-role-${i}`] = `maker-role-${i}`;
  });
  for (const f of ["summary", "body", "goal", "closesOn"]) summaryFields[f] = f;

  const autosave = useFetcher<{ savedAt?: string; draftId?: number }>();
  const [action, setAction] = useState(props.action);
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (autosave.data?.draftId) setAction(`/organize/${autosave.data.draftId}/edit`);
  }, [autosave.data]);
  const scheduleSave = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!formRef.current) return;
      const data = new FormData(formRef.current);
      data.set("intent", "autosave");
      autosave.submit(data, { method: "post", action });
    }, 2000);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  // Saving by itself needs JavaScript: until the page runs it (or without it), the form says only what is true
  // without, that pressing Save draft saves.
  const [autosaves, setAutosaves] = useState(false);
  useEffect(() => setAutosaves(true), []);
  const savedAt = autosave.data?.savedAt ?? props.savedAt;
  const [title, setTitle] = useState(values.title);

  return (
    <Form method="post" action={action} noValidate className="petition-form" ref={formRef} onChange={scheduleSave}>
      <ErrorSummary errors={summaryOf(errors, summaryFields)} />

      <Field
        id="title"
        label={t("petitionForm.title.label")}
        hint={t("petitionForm.title.hint", { max: PETITION_LIMITS.title.max })}
        error={errors.title}
      >
        {(aria) => (
          <input
            {...aria}
            name="title"
            type="text"
            maxLength={PETITION_LIMITS.title.max}
            defaultValue={values.title}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        )}
      </Field>
      <SimilarCampaigns title={title} initial={props.similar} />
      <CampaignLanguageField value={values.language} error={errors.language} />

      <Fieldset
        id="makers"
        legend={t("petitionForm.makers.legend")}
        hint={t("petitionForm.makers.hint", { max: PETITION_LIMITS.makers.max })}
        error={errors.makers}
      >
        {makers.map((m, i) => (
          <div className="maker-row" key={i}>
            <Field
              id={`maker-name-${i}`}
              label={t("petitionForm.makers.name", { n: i + 1 })}
              error={errors[`maker-name-${i}`]}
            >
              {(aria) => (
                <input
                  {...aria}
                  name={`maker-name-${i}`}
                  type="text"
                  maxLength={PETITION_LIMITS.makerName.max}
                  defaultValue={m.name}
                  placeholder={t("petitionForm.makers.namePlaceholder")}
                />
              )}
            </Field>
            <Field
              id={`maker-role-${i}`}
              label={t("petitionForm.makers.role", { n: i + 1 })}
              error={errors[`maker-role-${i}`]}
            >
              {(aria) => (
                <input
                  {...aria}
                  name={`maker-role-${i}`}
                  type="text"
                  maxLength={PETITION_LIMITS.makerRole.max}
                  defaultValue={m.role}
                  placeholder={t("petitionForm.makers.rolePlaceholder")}
                />
              )}
            </Field>
          </div>
        ))}
        {makerRows < PETITION_LIMITS.makers.max ? (
          <button type="submit" name="intent" value="add-maker" className="button button--secondary">
            {t("petitionForm.makers.add")}
          </button>
        ) : null}
      </Fieldset>

      <Field
        id="summary"
        label={t("petitionForm.summary.label")}
        hint={t("petitionForm.summary.hint", { max: PETITION_LIMITS.summary.max })}
        error={errors.summary}
      >
        {(aria) => (
          <textarea
            {...aria}
            name="summary"
            rows={3}
            maxLength={PETITION_LIMITS.summary.max}
            defaultValue={values.summary}
          />
        )}
      </Field>

      <Field id="body" label={t("petitionForm.body.label")} hint={<BodyHint />} error={errors.body}>
        {(aria) => (
          <textarea {...aria} name="body" rows={14} maxLength={PETITION_LIMITS.body.max} defaultValue={values.body} />
        )}
      </Field>
      <button type="submit" name="intent" value="preview" className="button button--secondary">
        {t("petitionForm.preview")}
      </button>
      {props.previewHtml !== undefined && props.previewHtml !== null ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t("petitionForm.previewHeading")}</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: props.previewHtml }} />
        </section>
      ) : null}

      <Field
        id="goal"
        label={
          <>
            {t("petitionForm.goal.label")} <span className="optional">{t("petitionForm.optional")}</span>
          </>
        }
        hint={t("petitionForm.goal.hint", { min: PETITION_LIMITS.goal.min })}
        error={errors.goal}
      >
        {(aria) => (
          <input
            {...aria}
            name="goal"
            type="text"
            inputMode="numeric"
            className="input--short"
            maxLength={12}
            defaultValue={values.goal}
          />
        )}
      </Field>

      <Field
        id="closesOn"
        label={
          <>
            {t("petitionForm.closesOn.label")} <span className="optional">{t("petitionForm.optional")}</span>
          </>
        }
        hint={t("petitionForm.closesOn.hint")}
        error={errors.closesOn}
      >
        {(aria) => (
          <input
            {...aria}
            name="closesOn"
            type="date"
            min={props.minDate}
            max={props.maxDate}
            className="input--short"
            defaultValue={values.closesOn}
          />
        )}
      </Field>

      <div className="form-actions">
        <button type="submit" name="intent" value="submit" className="button" disabled={busy}>
          {t("petitionForm.submit")}
        </button>
        <button type="submit" name="intent" value="save" className="button button--secondary" disabled={busy}>
          {t("petitionForm.save")}
        </button>
        <p className="hint" aria-live="polite">
          {savedAt ? `${t("petitionForm.savedAt", { time: savedAt.slice(11, 16) })} ` : null}
          {autosaves ? t("petitionForm.autosaves") : t("petitionForm.savesOnPress")}
        </p>
      </div>
    </Form>
  );
}

/** The hint for a petition's text, here and on the page that edits a published one. */
export function BodyHint() {
  return <Trans i18nKey="petitionForm.body.hint" components={{ 1: <code />, 2: <code />, 3: <code />, 4: <code /> }} />;
}
