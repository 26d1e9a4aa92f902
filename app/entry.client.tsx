import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { STYLESHEET_ID, StylesheetProvider } from "./components/stylesheet";

// The stylesheet the server put in the page, so that React draws the same <style> the server did.
const stylesheet = document.getElementById(STYLESHEET_ID)?.textContent ?? "";

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <StylesheetProvider value={stylesheet}>
        <RemixBrowser />
      </StylesheetProvider>
    </StrictMode>,
  );
});
