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
          label={recorded ? "Name the response is signed with" : "Your name, as it should appear"}
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
              {recorded ? "Their title or office" : "Your title or office"} <span className="optional">(optional)</span>
            </>
          }
          hint="For example: Home Secretary, or Leader of Riverside Borough Council."
          error={errors.title}
        >
          {(aria) => <input {...aria} type="text" name="title" maxLength={L.title.max} defaultValue={values.title} />}
        </Field>
        {recorded ? (
          <>
            <Field
              id="response-respondedOn"
              label="Date of the response"
              hint="The date on the letter or statement."
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
                  Where it was published <span className="optional">(optional)</span>
                </>
              }
              hint="A link to the original, so readers can check it: a press release, a scan of the letter."
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
          label={recorded ? "The response (Markdown)" : "Your response (Markdown)"}
          hint="Paragraphs, **bold**, *italics*, lists and [links](https://example.org). It is published as written."
          error={errors.body ?? errors.intent ?? errors.formKey}
        >
          {(aria) => <textarea {...aria} name="body" rows={14} maxLength={L.body.max} defaultValue={values.body} />}
        </Field>
        <div className="form-actions">
          <button type="submit" name="intent" value="preview" className="button">
            {props.preview ? "Preview again" : "Preview"}
          </button>
        </div>
      </Form>
      {props.preview ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p className="hint">This is how it will read on the petition’s page.</p>
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
            <p className="hint">
              This publishes the response exactly as previewed. If you changed the text above, preview it again first.
            </p>
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
