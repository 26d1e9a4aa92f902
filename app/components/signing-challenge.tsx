import altchaStyles from "altcha/altcha.css";
import type { AltchaWidgetElement } from "altcha/types/generic";
// The <altcha-widget> element's attributes, for JSX.
import type {} from "altcha/types/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { loadWidget } from "~/lib/altcha-widget.client";
import type { Catalog } from "~/lib/i18n";
import { CHALLENGE_FIELD } from "~/schemas/signature-fields";

/**
 * The proof-of-work check on the signing form, when moderators have switched
 * it on for a campaign under attack (docs/decisions/0013-optional-challenge.md).
 * The browser solves a challenge from `url` as soon as the page has loaded and
 * puts the solution in the form. Without JavaScript there is no widget: the
 * form still posts, and the signature waits for a moderator, as the text says.
 */
export function SigningChallenge({ url }: { url: string }) {
  const { t, i18n } = useTranslation();
  const [ready, setReady] = useState(false);
  const widget = useRef<AltchaWidgetElement>(null);
  // altcha looks its languages up in lower case (en-XA would find English under "en").
  const language = i18n.language.toLowerCase();

  useEffect(() => {
    let live = true;
    // The widget's own words (its label, "checking…", its errors) from the catalog, in the page's language.
    const strings = t("challenge.widget", { returnObjects: true }) as Catalog;
    const words = Object.fromEntries(
      Object.entries(strings).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    loadWidget(language, words).then(
      () => live && setReady(true),
      // Without the widget the form still works; the signature is held for a moderator.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [language, t]);

  useEffect(() => {
    const el = widget.current;
    const form = el?.closest("form");
    if (!ready || !el || !form) return;
    // A challenge lasts a quarter of an hour: someone who takes longer gets a fresh one, unasked.
    const renew = () => void el.verify();
    // Pressing "Sign" while the check is still running waits for it, rather than sending the form without it.
    let waiting = false;
    const holdSubmit = (event: SubmitEvent) => {
      if (el.getState() !== "verifying") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (waiting) return;
      waiting = true;
      const submitter = event.submitter;
      const resume = () => {
        if (el.getState() === "verifying") return;
        el.removeEventListener("statechange", resume);
        waiting = false;
        form.requestSubmit(submitter);
      };
      el.addEventListener("statechange", resume);
    };
    el.addEventListener("expired", renew);
    form.addEventListener("submit", holdSubmit, { capture: true });
    return () => {
      el.removeEventListener("expired", renew);
      form.removeEventListener("submit", holdSubmit, { capture: true });
    };
  }, [ready]);

  return (
    <div className="signing-challenge">
      <link rel="stylesheet" href={altchaStyles} />
      <p className="hint" id="sign-challenge-hint">
        {t("sign.challenge.hint")}
      </p>
      {ready ? (
        <altcha-widget
          ref={widget}
          challenge={url}
          name={CHALLENGE_FIELD}
          auto="onload"
          language={language}
          // No logo or link to altcha.org, and no recording of pointer movements (it would only go to their service).
          configuration={JSON.stringify({ hideLogo: true, hideFooter: true, humanInteractionSignature: false })}
        />
      ) : null}
    </div>
  );
}
