import { useTranslation } from "react-i18next";
import { Form } from "@remix-run/react";
import { ErrorSummary, Field } from "~/components/field";
import { ResponseArticle, type ResponseItem } from "~/components/responses";
import { RESPONSE_LIMITS } from "~/schemas/response-fields";

export type ResponseFormValues = {
  name: string;
  title: string;
  body: string;
  respondedOn?: string;
  sourceUrl?: string;
};

/** Fields in the order the form shows them, for the list of problems at its top. */
const FIELD_ORDER = ["name", "title", "respondedOn", "sourceUrl", "body", "intent", "formKey"] as const;

/**
 * Writing a response: the decision maker's own (through their link) or one an organizer records from a
 * letter or statement. "Preview" shows it as the public will read it, with a "Publish" button that sends
 * exactly what was previewed; the text stays in the form above for another try.
 */
export function ResponseForm(props: {
  action: string;
  recorded: boolean;
  values: ResponseFormValues;
  errors: Record<string, string>;
  formKey: string;
  preview: ResponseItem | null;
  /** The publish button's words: "Publish the response", "Record the response". */
  publishLabel: string;
  today?: string;
}) {
  const { values, errors, recorded } = props;
  const { t } = useTranslation();
  const L = RESPONSE_LIMITS;
  const summary = FIELD_ORDER.filter((k) => errors[k]).map((k) => ({
    href: k === "intent" || k === "formKey" ? "#response-body" : `#response-${k}`,
    message: errors[k],
  }));
  return (
    <>
      <Form method="post" action={props.action} noValidate className="petition-form response-form">
        <ErrorSummary errors={summary} />
        <input type="hidden" name="formKey" value={props.formKey} />
        <Field
          id="response-name"
          label={recorded ? t("responseForm.nameRecorded") : t("responseForm.name")}
          error={errors.name}
        >
          {(aria) => (
            <input
              {...aria}
              type="text"
              name="name"
              autoComplete={recorded ? "off" : "name"}
              maxLength={L.name.max}
              defaultValue={values.name}
            />
          )}
        </Field>
        <Field
          id="response-title"
          label={
            <>
              {recorded ? t("responseForm.titleRecorded") : t("responseForm.title")}{" "}
              <span className="optional">{t("responseForm.optional")}</span>
            </>
          }
          hint={t("responseForm.titleHint")}
          error={errors.title}
        >
          {(aria) => <input {...aria} type="text" name="title" maxLength={L.title.max} defaultValue={values.title} />}
        </Field>
        {recorded ? (
          <>
            <Field
              id="response-respondedOn"
              label={t("responseForm.date")}
              hint={t("responseForm.dateHint")}
              error={errors.respondedOn}
            >
              {(aria) => (
                <input
                  {...aria}
                  type="date"
                  name="respondedOn"
                  className="input--short"
                  max={props.today}
                  defaultValue={values.respondedOn ?? ""}
                />
              )}
            </Field>
            <Field
              id="response-sourceUrl"
              label={
                <>
                  {t("responseForm.source")} <span className="optional">{t("responseForm.optional")}</span>
                </>
              }
              hint={t("responseForm.sourceHint")}
              error={errors.sourceUrl}
            >
              {(aria) => (
                <input
                  {...aria}
                  type="url"
                  name="sourceUrl"
                  inputMode="url"
                  maxLength={L.sourceUrl.max}
                  defaultValue={values.sourceUrl ?? ""}
                />
              )}
            </Field>
          </>
        ) : null}
        <Field
          id="response-body"
          label={recorded ? t("responseForm.bodyRecorded") : t("responseForm.body")}
          hint={t("responseForm.bodyHint")}
          error={errors.body ?? errors.intent ?? errors.formKey}
        >
          {(aria) => <textarea {...aria} name="body" rows={14} maxLength={L.body.max} defaultValue={values.body} />}
        </Field>
        <div className="form-actions">
          <button type="submit" name="intent" value="preview" className="button">
            {props.preview ? t("responseForm.previewAgain") : t("responseForm.preview")}
          </button>
        </div>
      </Form>
      {props.preview ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t("responseForm.preview")}</h2>
          <p className="hint">{t("responseForm.previewHint")}</p>
          <ResponseArticle response={props.preview} />
          <Form method="post" action={props.action}>
            <input type="hidden" name="formKey" value={props.formKey} />
            <input type="hidden" name="name" value={values.name} />
            <input type="hidden" name="title" value={values.title} />
            <input type="hidden" name="body" value={values.body} />
            {recorded ? (
              <>
                <input type="hidden" name="respondedOn" value={values.respondedOn ?? ""} />
                <input type="hidden" name="sourceUrl" value={values.sourceUrl ?? ""} />
              </>
            ) : null}
            <p className="hint">{t("responseForm.publishHint")}</p>
            <div className="form-actions">
              <button type="submit" name="intent" value={recorded ? "record" : "publish"} className="button">
                {props.publishLabel}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </>
  );
}
