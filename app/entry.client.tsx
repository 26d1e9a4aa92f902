import { RemixBrowser } from "@remix-run/react";
import { createInstance } from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { NonceProvider } from "./components/nonce";
import { STYLESHEET_ID, StylesheetProvider } from "./components/stylesheet";
import { I18N_OPTIONS } from "./lib/i18n";

// The stylesheet the server put in the page, so that React draws the same <style> the server did; and its
// nonce (scripts can read it, though the attribute shows empty), so that a <style> React ever has to draw
// anew (after a hydration error it redraws the whole document) is still allowed by the page's CSP.
const served = document.getElementById(STYLESHEET_ID);
const stylesheet = served?.textContent ?? "";
const nonce = served?.nonce ?? "";

/**
 * The page arrived rendered in its language (`lang` on <html>). Before React takes it over, the browser
 * needs the same catalog: the root put its address in a preload link, so it was asked for beside the
 * page's scripts and is usually there already; it is cached for good (app/routes/locales.$lng[.json].tsx).
 */
async function hydrate() {
  const lng = document.documentElement.lang || "en";
  const link = document.getElementById("i18n-catalog") as HTMLLinkElement | null;
  const translation = link ? await (await fetch(link.href, { credentials: "same-origin" })).json() : {};
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...I18N_OPTIONS, lng, resources: { [lng]: { translation } } });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18n}>
        <StrictMode>
          <NonceProvider value={nonce}>
            <StylesheetProvider value={stylesheet}>
              <RemixBrowser />
            </StylesheetProvider>
          </NonceProvider>
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
