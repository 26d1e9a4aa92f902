import { useTranslation } from "react-i18next";
import { Link } from "@remix-run/react";
import { isLanguage } from "~/lib/i18n";

/**
 * Says that the campaign's words on the page are its organizers' translation, from which language, and links
 * to them as written (`?original=1`). Nothing when the page shows the original.
 */
export function TranslationNote(props: { from: string | null; slug: string }) {
  const { t } = useTranslation();
  if (!props.from || !isLanguage(props.from)) return null;
  return (
    <p className="translation-note hint">
      {t(`translations.note.from.${props.from}`)}{" "}
      <a href={`/petitions/${props.slug}?original=1`} hrefLang={props.from}>
        {t("translations.note.original")}
      </a>
    </p>
  );
}

/** The organizer's dashboard's list item linking to the campaign's translations (app/routes/organize.$id.translations.tsx). */
export function TranslationsLink(props: { id: number }) {
  const { t } = useTranslation();
  return (
    <li>
      <Link to={`/organize/${props.id}/translations`}>{t("translations.dashboardLink")}</Link>
    </li>
  );
}
