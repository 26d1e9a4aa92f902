import type { ReactNode } from "react";

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
  children: (aria: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : null;
  const errorId = props.error ? `${props.id}-error` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={props.error ? "field field--error" : "field"}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={hintId!}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field-error" id={errorId!}>
          <span className="visually-hidden">Error: </span>
          {props.error}
        </p>
      ) : null}
      {props.children({
        id: props.id,
        "aria-invalid": props.error ? true : undefined,
        "aria-describedby": describedBy,
      })}
    </div>
  );
}

/** The list of problems at the top of a form, each linking to its field. */
export function ErrorSummary({ errors }: { errors: { href: string; message: string }[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">Please check your answers</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.href + e.message}>
            <a href={e.href}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
