import { useEffect, useState } from "react";
import { shareLinks } from "~/lib/share";

/**
 * Ways to pass a campaign on from its own page. Without JavaScript: a link per site and the address to copy
 * by hand. With it: a Copy link button, and the browser's own share sheet where the browser has one (phones,
 * mostly), which offers every app the person uses.
 */
export function SharePanel({ url, title }: { url: string; title: string }) {
  const text = `"${title}": will you add your name?`;
  const [can, setCan] = useState({ share: false, copy: false });
  const [said, setSaid] = useState("");
  useEffect(() => {
    setCan({ share: typeof navigator.share === "function", copy: navigator.clipboard !== undefined });
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setSaid("Link copied. Paste it anywhere to share the campaign.");
    } catch {
      setSaid("Your browser did not let us copy. Select the link above and copy it yourself.");
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
      <h2 id="share-heading">Share this campaign</h2>
      <div className="share-actions">
        {can.share ? (
          <button type="button" className="button" onClick={share}>
            Share…
          </button>
        ) : null}
        {can.copy ? (
          <button type="button" className="button button--secondary" onClick={copy}>
            Copy link
          </button>
        ) : null}
      </div>
      <ul className="share-links">
        {shareLinks(url, title, text).map((s) => (
          <li key={s.label}>
            <a href={s.href} rel="noopener noreferrer" target="_blank">
              {s.label}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="share-url">Link to this campaign</label>
        <input id="share-url" type="text" readOnly value={url} />
      </div>
      <p className="share-status" role="status">
        {said}
      </p>
    </section>
  );
}
