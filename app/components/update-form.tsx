import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { formatNumber, type Locale } from "~/lib/i18n";

export type UpdateFormValues = { title?: string; body?: string };

/**
 * Title and Markdown text of an update, saved as a draft; the same form writes a new one and edits one. Its
 * errors come translated from the action (app/lib/form-messages.server.ts), with the limits in them.
 */
export function UpdateForm(props: {
  action: string;
  values: UpdateFormValues;
  errors: Record<string, string>;
  limits: { title: number; body: number };
}) {
  const { values, errors } = props;
  const { t, i18n } = useTranslation();
  return (
    <Form method="post" action={props.action} noValidate className="petition-form">
      <ErrorSummary errors={summaryOf(errors, ["title", "body"])} />
      <Field
        id="title"
        label={t("updates.form.title")}
        hint={t("updates.form.titleHint", { max: formatNumber(props.limits.title, i18n.language as Locale) })}
        error={errors.title}
      >
        {(aria) => (
          <input {...aria} type="text" name="title" maxLength={props.limits.title} defaultValue={values.title ?? ""} />
        )}
      </Field>
      <Field id="body" label={t("updates.form.body")} hint={t("updates.form.bodyHint")} error={errors.body}>
        {(aria) => (
          <textarea {...aria} name="body" rows={14} maxLength={props.limits.body} defaultValue={values.body ?? ""} />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" name="intent" value="save" className="button">
          {t("updates.form.save")}
        </button>
      </div>
    </Form>
  );
}
