import altchaStyles from "altcha/altcha.css";
import type { AltchaWidgetElement } from "altcha/types/generic";
// The <altcha-widget> element's attributes, for JSX.
import type {} from "altcha/types/react";
import { useEffect, useRef, useState } from "react";
import { CHALLENGE_FIELD } from "~/schemas/signature-fields";

/** altcha's worker, served from this site (server/app.ts): the CSP lets scripts and workers come from 'self' only. */
const WORKER_URL = "/vendor/altcha-pbkdf2-worker.js";

/** The widget's words, plain and in our voice; it shows one of the first three beside its box. */
const STRINGS = {
  label: "Check my browser",
  verifying: "Checking your browser…",
  verified: "Browser checked",
  error: "The check did not work. You can still sign: a moderator will look at your signature before it counts.",
  expired: "The check ran out of time. Starting it again…",
  waitAlert: "Checking your browser… please wait.",
};

/**
 * Loads the widget once, on the first campaign page that asks for it: pages
 * without the challenge never fetch it. The "external" build keeps its styles
 * in a stylesheet of their own and brings no workers of its own (the default
 * build starts them from blob: URLs, which the CSP refuses).
 */
let loading: Promise<void> | null = null;
function loadWidget(): Promise<void> {
  loading ??= import("altcha/external").then(() => {
    const altcha = globalThis.$altcha;
    altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(WORKER_URL));
    altcha.i18n.set("en", { ...altcha.i18n.get("en"), ...STRINGS });
  });
  return loading;
}

/**
 * The proof-of-work check on the signing form, when moderators have switched
 * it on for a campaign under attack (docs/decisions/0013-optional-challenge.md).
 * The browser solves a challenge from `url` as soon as the page has loaded and
 * puts the solution in the form. Without JavaScript there is no widget: the
 * form still posts, and the signature waits for a moderator, as the text says.
 */
export function SigningChallenge({ url }: { url: string }) {
  const [ready, setReady] = useState(false);
  const widget = useRef<AltchaWidgetElement>(null);

  useEffect(() => {
    let live = true;
    loadWidget().then(
      () => live && setReady(true),
      // Without the widget the form still works; the signature is held for a moderator.
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);

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
        Before your signature is sent, your browser does a short check by itself: a little arithmetic, quick for one person
        but slow for a program sending thousands. It sends nothing about you. Without JavaScript the check cannot run: you
        can still sign, and a moderator will look at your signature before it counts.
      </p>
      {ready ? (
        <altcha-widget
          ref={widget}
          challenge={url}
          name={CHALLENGE_FIELD}
          auto="onload"
          language="en"
          // No logo or link to altcha.org, and no recording of pointer movements (it would only go to their service).
          configuration={JSON.stringify({ hideLogo: true, hideFooter: true, humanInteractionSignature: false })}
        />
      ) : null}
    </div>
  );
}
