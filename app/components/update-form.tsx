import { Form } from "@remix-run/react";
import { ErrorSummary, Field, summaryOf } from "~/components/field";

export type UpdateFormValues = { title?: string; body?: string };

/** Title and Markdown text of an update, saved as a draft; the same form writes a new one and edits one. */
export function UpdateForm(props: {
  action: string;
  values: UpdateFormValues;
  errors: Record<string, string>;
  limits: { title: number; body: number };
}) {
  const { values, errors } = props;
  return (
    <Form method="post" action={props.action} noValidate className="petition-form">
      <ErrorSummary errors={summaryOf(errors, ["title", "body"])} />
      <Field
        id="title"
        label="Title"
        hint={`Up to ${props.limits.title} characters. It is also the email’s subject.`}
        error={errors.title}
      >
        {(aria) => (
          <input {...aria} type="text" name="title" maxLength={props.limits.title} defaultValue={values.title ?? ""} />
        )}
      </Field>
      <Field
        id="body"
        label="The update (Markdown)"
        hint="Paragraphs, **bold**, *italics*, lists and [links](https://example.org). Say what happened and what signers can do next."
        error={errors.body}
      >
        {(aria) => (
          <textarea {...aria} name="body" rows={14} maxLength={props.limits.body} defaultValue={values.body ?? ""} />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" name="intent" value="save" className="button">
          Save draft
        </button>
      </div>
    </Form>
  );
}
