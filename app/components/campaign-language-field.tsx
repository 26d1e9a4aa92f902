import { useTranslation } from "react-i18next";
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from "~/lib/i18n";
import { Field } from "./field";

/**
 * The language a campaign is written in, which its text carries as `lang` wherever it is shown. A new
 * campaign starts in the language the organizer is using the site in. Each language is named in its own
 * words, as the language switcher names them.
 */
export function CampaignLanguageField(props: { value?: string; error?: string }) {
  const { t, i18n } = useTranslation();
  const value = isLanguage(props.value) ? props.value : isLanguage(i18n.language) ? i18n.language : "en";
  return (
    <Field
      id="language"
      label={t("campaignLanguage.field.label")}
      hint={t("campaignLanguage.field.hint")}
      error={props.error}
    >
      {(aria) => (
        <select {...aria} name="language" defaultValue={value}>
          {LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {LANGUAGE_NAMES[language]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
