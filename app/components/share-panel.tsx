import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { shareLinks } from "~/lib/share";

/**
 * Ways to pass a campaign on from its own page. Without JavaScript: a link per site and the address to copy
 * by hand. With it: a Copy link button, and the browser's own share sheet where the browser has one (phones,
 * mostly), which offers every app the person uses.
 */
export function SharePanel({ url, title }: { url: string; title: string }) {
  const { t } = useTranslation();
  const text = t("campaign.share.text", { title });
  const [can, setCan] = useState({ share: false, copy: false });
  const [said, setSaid] = useState("");
  useEffect(() => {
    setCan({ share: typeof navigator.share === "function", copy: navigator.clipboard !== undefined });
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setSaid(t("campaign.share.copied"));
    } catch {
      setSaid(t("campaign.share.copyFailed"));
    }
  }

  async function share() {
    try {
      await navigator.share({ title, text, url });
    } catch {
      // The person closed the share sheet: nothing to say.
    }
  }

  return (
    <section className="share-panel" aria-labelledby="share-heading">
      <h2 id="share-heading">{t("campaign.share.heading")}</h2>
      <div className="share-actions">
        {can.share ? (
          <button type="button" className="button" onClick={share}>
            {t("campaign.share.share")}
          </button>
        ) : null}
        {can.copy ? (
          <button type="button" className="button button--secondary" onClick={copy}>
            {t("campaign.share.copy")}
          </button>
        ) : null}
      </div>
      <ul className="share-links">
        {shareLinks(url, title, text).map((s) => (
          <li key={s.label}>
            <a href={s.href} rel="noopener noreferrer" target="_blank">
              {/* The services' own names are not translated; "Email" is. */}
              {s.label === "Email" ? t("campaign.share.email") : <span translate="no">{s.label}</span>}
              <span className="visually-hidden"> {t("campaign.newTab")}</span>
            </a>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="share-url">{t("campaign.share.link")}</label>
        <input id="share-url" type="text" readOnly value={url} />
      </div>
      <p className="share-status" role="status">
        {said}
      </p>
    </section>
  );
}
