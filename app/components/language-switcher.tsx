import { useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, LANGUAGE_NAMES, LANGUAGE_PARAM } from "../lib/i18n";

/**
 * Every language the site speaks, each named in its own words and marked with its `lang`, so a visitor
 * finds theirs whatever the page is in and a screen reader says it right. Plain links to
 * app/routes/language.tsx, which remembers the choice and comes back to this page.
 */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  search.delete(LANGUAGE_PARAM);
  const here = location.pathname + (search.size > 0 ? `?${search}` : "");
  return (
    <nav className="language-switcher" aria-label={t("layout.languages")}>
      <ul>
        {LANGUAGES.map((language) =>
          language === i18n.language ? (
            <li key={language} lang={language} aria-current="true">
              {LANGUAGE_NAMES[language]}
            </li>
          ) : (
            <li key={language}>
              <a
                href={`/language?${new URLSearchParams({ [LANGUAGE_PARAM]: language, to: here })}`}
                lang={language}
                hrefLang={language}
              >
                {LANGUAGE_NAMES[language]}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
