import { useLocation, useNavigationType } from "@remix-run/react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/*
 * How every form shows a refusal: an ErrorSummary at the top listing each problem (a link to its field), and
 * each error again beside its field, between the label (and hint) and the control, where it is read out with it.
 * The errors come from the action as { field: message } (app/lib/form-errors.ts). A message is a catalog key
 * (schemas name the key, "errors.email.invalid", as their zod message), translated here in the reader's
 * language; a key the catalogs do not have shows as it is.
 */

/** What a control needs to be tied to its label, hint and error. */
export type FieldAria = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

const ids = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(" ") || undefined;

function FieldError({ id, error }: { id: string; error?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">{t("form.errorPrefix")} </span>
      {t(error)}
    </p>
  );
}

/**
 * A labelled form field with its hint and error, wired for assistive
 * technology: the error sits between the label and the control and is read
 * with it.
 */
export function Field(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (aria: FieldAria) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : null;
  const errorId = `${props.id}-error`;
  return (
    <div className={props.error ? "field field--error" : "field"}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={hintId!}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={errorId} error={props.error} />
      {props.children({
        id: props.id,
        "aria-invalid": props.error ? true : undefined,
        "aria-describedby": ids(hintId, props.error ? errorId : null),
      })}
    </div>
  );
}

/**
 * A question answered with a group of radio buttons (or checkboxes): the
 * legend names it, and the hint and error describe the whole group. Each
 * choice inside keeps its own label.
 */
export function Fieldset(props: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : null;
  const errorId = `${props.id}-error`;
  return (
    <fieldset
      id={props.id}
      className={props.error ? "field field--error" : "field"}
      aria-describedby={ids(hintId, props.error ? errorId : null)}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p className="hint" id={hintId!}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={errorId} error={props.error} />
      {props.children}
    </fieldset>
  );
}

/** A single checkbox (a consent, a "yes, I mean it"): the box, its label beside it, then the hint. */
export function Checkbox(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (aria: FieldAria) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : null;
  const errorId = `${props.id}-error`;
  return (
    <div className={props.error ? "field field--error choice" : "field choice"}>
      <FieldError id={errorId} error={props.error} />
      {props.children({
        id: props.id,
        "aria-invalid": props.error ? true : undefined,
        "aria-describedby": ids(props.error ? errorId : null, hintId),
      })}
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={hintId!}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** One line of an ErrorSummary: a link to the field (by its id), or, for the form as a whole, plain text. */
export type SummaryError = { href?: string; message: string };

/**
 * The summary's lines for a form's errors, in the order its fields appear. `fields` maps each field's name to
 * the id of the control the link should take the person to (or is the list of names, when they are the ids).
 * An error for a name not listed still shows, after the rest, without a link.
 */
export function summaryOf(
  errors: Partial<Record<string, string>>,
  fields: readonly string[] | Readonly<Record<string, string>>,
): SummaryError[] {
  const idOf: Record<string, string> = Array.isArray(fields)
    ? Object.fromEntries(fields.map((f) => [f, f]))
    : (fields as Record<string, string>);
  const listed = Object.keys(idOf)
    .filter((f) => errors[f])
    .map((f) => ({ href: `#${idOf[f]}`, message: errors[f]! }));
  const others = Object.entries(errors)
    .filter(([f, message]) => message && !Object.hasOwn(idOf, f))
    .map(([, message]) => ({ message: message! }));
  return [...listed, ...others];
}

/**
 * The list of problems at the top of a form, each linking to its field.
 *
 * It takes the focus when it appears, and is scrolled into view, so that a
 * refused form never looks like a button that did nothing: on a page load
 * the browser does it (`autofocus`, also without JavaScript); after a form
 * sent by Remix, the effect below does, once for each answer (each new
 * location), also when the same mistakes come back a second time. Following
 * one of its links, or going back and forward, leaves the focus alone.
 */
export function ErrorSummary({ errors, headingLevel = 2 }: { errors: SummaryError[]; headingLevel?: 2 | 3 }) {
  if (errors.length === 0) return null;
  return <ShownErrorSummary errors={errors} headingLevel={headingLevel} />;
}

function ShownErrorSummary({ errors, headingLevel }: { errors: SummaryError[]; headingLevel: 2 | 3 }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = `error-summary-${useId().replace(/:/g, "")}`;
  const { key } = useLocation();
  const navigationType = useNavigationType();
  const shown = useRef(false);
  useEffect(() => {
    // A link followed within the page (or back and forward) is a POP: the person is moving on from here.
    if (shown.current && navigationType === "POP") return;
    shown.current = true;
    const summary = ref.current;
    if (!summary) return;
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }, [key, navigationType]);
  const { t } = useTranslation();
  const Heading = headingLevel === 3 ? "h3" : "h2";
  return (
    <div
      ref={ref}
      className="error-summary"
      role="alert"
      aria-labelledby={titleId}
      tabIndex={-1}
      // Server-rendered as the autofocus attribute: the browser focuses it when the page loads, JavaScript or not.
      // eslint-disable-next-line jsx-a11y/no-autofocus
      autoFocus
    >
      <Heading id={titleId}>{t("form.errorSummary")}</Heading>
      <ul>
        {errors.map((e) => (
          <li key={`${e.href ?? ""}${e.message}`}>{e.href ? <a href={e.href}>{t(e.message)}</a> : t(e.message)}</li>
        ))}
      </ul>
    </div>
  );
}
