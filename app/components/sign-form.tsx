import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { COUNTRIES, isCountryCode } from "~/lib/countries";
import { Checkbox, ErrorSummary, Field, Fieldset, summaryOf } from "./field";
import { FormGuards } from "./form-guards";
import { SigningChallenge } from "./signing-challenge";
import {
  NAME_DISPLAY_OPTIONS,
  SIGNATURE_LIMITS,
  UPDATES_CONSENT,
  type SignatureField,
  type SignFormErrors,
  type SignFormValues,
} from "~/schemas/signature-fields";

/** As React escapes text and attribute values. */
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]!);

/**
 * The country list's <option>s as HTML, made once. Rendering 251 <option>
 * elements on every campaign page was a large share of React's work on it,
 * and of the browser's hydration. The markup is what React would write for
 * them, so the page reads and works the same, also without JavaScript.
 */
const COUNTRY_OPTIONS = COUNTRIES.map(
  (c) => `<option value="${escapeHtml(c.code)}">${escapeHtml(c.name)}</option>`,
).join("");
const NO_COUNTRY_OPTION = '<option value="">Choose your country</option>';

/**
 * The options with `code` chosen, as `selected` attributes: what React writes
 * for a <select defaultValue>. Server and browser make the same string from the
 * same props, so hydration finds what it expects.
 */
function countryOptionsHtml(code: string): string {
  if (code === "") return NO_COUNTRY_OPTION.replace('value=""', 'value="" selected=""') + COUNTRY_OPTIONS;
  // Anything not on the list (a refused submission can send any text) chooses nothing, and is never written out.
  if (!isCountryCode(code)) return NO_COUNTRY_OPTION + COUNTRY_OPTIONS;
  return (
    NO_COUNTRY_OPTION + COUNTRY_OPTIONS.replace(`<option value="${code}">`, `<option value="${code}" selected="">`)
  );
}

/** The control each field's summary link takes the person to: for the radio group, its first choice. */
const FIELD_IDS: Record<SignatureField, string> = {
  name: "sign-name",
  email: "sign-email",
  country: "sign-country",
  postcode: "sign-postcode",
  nameDisplay: "sign-name-display-hidden",
  updates: "sign-updates",
};

/**
 * The signing form. It posts as a plain HTML form, so it works without
 * JavaScript; errors come back from the server beside their fields, with
 * everything the person typed kept.
 */
export function SignForm(props: {
  defaultCountry: string | null;
  /** When the form was shown, signed by the server; a reply much sooner than a person can type is held back. */
  formStamp: string;
  /** Where the proof-of-work widget gets its challenges, when moderators ask for one on this campaign. */
  challengeUrl?: string;
  values?: SignFormValues;
  errors?: SignFormErrors;
  /** Inside the widget on another site, links open a new tab rather than replacing the widget. */
  linkTarget?: "_blank";
}) {
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  const busy = useNavigation().state === "submitting";
  const country = values.country ?? props.defaultCountry ?? "";
  // Made once, when the form first appears, like a defaultValue: a later render (the errors of a
  // refused submission, a link within the page) leaves the list, and the country chosen in it, alone.
  const [countryOptions] = useState(() => ({ __html: countryOptionsHtml(country) }));
  const nameDisplay = values.nameDisplay ?? "hidden";
  const newTab = props.linkTarget ? { target: props.linkTarget, rel: "noopener" } : {};

  return (
    <Form method="post" noValidate className="sign-form" aria-labelledby="sign-heading">
      <h2 id="sign-heading">Sign this petition</h2>
      <ErrorSummary errors={summaryOf(errors, FIELD_IDS)} headingLevel={3} />

      <Field id="sign-name" label="Name" error={errors.name}>
        {(aria) => (
          <input
            {...aria}
            name="name"
            type="text"
            autoComplete="name"
            maxLength={SIGNATURE_LIMITS.name}
            defaultValue={values.name}
          />
        )}
      </Field>

      <Field
        id="sign-email"
        label="Email address"
        hint="We email you a link to confirm. Never shown."
        error={errors.email}
      >
        {(aria) => (
          <input
            {...aria}
            name="email"
            type="email"
            inputMode="email"
            autoComplete="email"
            spellCheck={false}
            maxLength={SIGNATURE_LIMITS.email}
            defaultValue={values.email}
          />
        )}
      </Field>

      <div className="field-row">
        <Field id="sign-country" label="Country" error={errors.country}>
          {(aria) => (
            <select {...aria} name="country" autoComplete="country" dangerouslySetInnerHTML={countryOptions} />
          )}
        </Field>

        <Field
          id="sign-postcode"
          label={
            <>
              Postcode <span className="optional">(optional, never shown)</span>
            </>
          }
          error={errors.postcode}
        >
          {(aria) => (
            <input
              {...aria}
              name="postcode"
              type="text"
              autoComplete="postal-code"
              maxLength={SIGNATURE_LIMITS.postcode}
              defaultValue={values.postcode}
            />
          )}
        </Field>
      </div>

      <Fieldset
        id="sign-name-display"
        legend="Show my name on the petition?"
        hint="Organizers see it either way."
        error={errors.nameDisplay}
      >
        {NAME_DISPLAY_OPTIONS.map((o) => (
          <div className="choice" key={o.value}>
            <input
              type="radio"
              name="nameDisplay"
              id={`sign-name-display-${o.value}`}
              value={o.value}
              defaultChecked={nameDisplay === o.value}
            />
            <label htmlFor={`sign-name-display-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </Fieldset>

      <Checkbox
        id="sign-updates"
        label={UPDATES_CONSENT.label}
        hint="At most one every few days. Stop any time."
        error={errors.updates}
      >
        {(aria) => (
          <input {...aria} type="checkbox" name="updates" value="yes" defaultChecked={values.updates === "yes"} />
        )}
      </Checkbox>

      <FormGuards id="sign" stamp={props.formStamp} />
      {props.challengeUrl ? <SigningChallenge url={props.challengeUrl} /> : null}

      <button type="submit" className="button sign-button" disabled={busy}>
        {busy ? "Signing…" : "Sign this petition"}
      </button>

      {/* The promises in full, one press away: a <details> opens without JavaScript. */}
      <details className="sign-details">
        <summary>Who sees what</summary>
        <ul>
          <li>
            Your email address is never shown on the site. We use it to send the link that confirms your signature.
          </li>
          <li>
            Your name appears on the public page only as you choose above. The campaign’s organizers see your name,
            country and postcode so they can deliver the petition; never your email address unless you ask for updates.
          </li>
          <li>Your postcode helps show decision makers where support comes from. It is never shown publicly.</li>
          <li>Updates: {UPDATES_CONSENT.hint}</li>
        </ul>
        <p>
          <Link to="/privacy" {...newTab}>
            How we use your details
          </Link>
        </p>
      </details>
    </Form>
  );
}
