import { Form, Link, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { Locale } from "~/lib/i18n";
import { Checkbox, ErrorSummary, Field, Fieldset, summaryOf } from "./field";
import { countryOptionsHtml } from "./country-options";
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
  const { t, i18n } = useTranslation();
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  const busy = useNavigation().state === "submitting";
  const country = values.country ?? props.defaultCountry ?? "";
  // Made once, when the form first appears, like a defaultValue: a later render (the errors of a
  // refused submission, a link within the page) leaves the list, and the country chosen in it, alone.
  const [countryList] = useState(() => ({
    __html: countryOptionsHtml(country, i18n.language as Locale, t("sign.form.chooseCountry")),
  }));
  const nameDisplay = values.nameDisplay ?? "hidden";
  const newTab = props.linkTarget ? { target: props.linkTarget, rel: "noopener" } : {};

  return (
    <Form method="post" noValidate className="sign-form" aria-labelledby="sign-heading">
      <h2 id="sign-heading">{t("sign.form.heading")}</h2>
      <ErrorSummary errors={summaryOf(errors, FIELD_IDS)} headingLevel={3} />

      <Field id="sign-name" label={t("sign.form.name")} error={errors.name}>
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

      <Field id="sign-email" label={t("sign.form.email")} hint={t("sign.form.emailHint")} error={errors.email}>
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
        <Field id="sign-country" label={t("sign.form.country")} error={errors.country}>
          {(aria) => <select {...aria} name="country" autoComplete="country" dangerouslySetInnerHTML={countryList} />}
        </Field>

        <Field
          id="sign-postcode"
          label={<Trans i18nKey="sign.form.postcode" components={{ 1: <span className="optional" /> }} />}
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
        legend={t("sign.form.nameDisplayLegend")}
        hint={t("sign.form.nameDisplayHint")}
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
            <label htmlFor={`sign-name-display-${o.value}`}>{t(o.labelKey)}</label>
          </div>
        ))}
      </Fieldset>

      <Checkbox
        id="sign-updates"
        label={t(UPDATES_CONSENT.labelKey)}
        hint={t("sign.form.updatesHint")}
        error={errors.updates}
      >
        {(aria) => (
          <input {...aria} type="checkbox" name="updates" value="yes" defaultChecked={values.updates === "yes"} />
        )}
      </Checkbox>

      <FormGuards id="sign" stamp={props.formStamp} />
      {props.challengeUrl ? <SigningChallenge url={props.challengeUrl} /> : null}

      <button type="submit" className="button sign-button" disabled={busy}>
        {busy ? t("sign.form.busy") : t("sign.form.submit")}
      </button>

      {/* The promises in full, one press away: a <details> opens without JavaScript. */}
      <details className="sign-details">
        <summary>{t("sign.form.whoSees")}</summary>
        <ul>
          <li>{t("sign.form.whoSeesEmail")}</li>
          <li>{t("sign.form.whoSeesName")}</li>
          <li>{t("sign.form.whoSeesPostcode")}</li>
          <li>{t("sign.form.whoSeesUpdates", { promise: t(UPDATES_CONSENT.hintKey) })}</li>
        </ul>
        <p>
          <Link to="/privacy" {...newTab}>
            {t("sign.form.privacy")}
          </Link>
        </p>
      </details>
    </Form>
  );
}
