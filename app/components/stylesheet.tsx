import { createContext, useContext } from "react";

/**
 * The site's stylesheet, which every page carries in a <style> element instead of linking to it: a first
 * visit, the usual one on a campaign page someone shared, paints without waiting for a second request
 * (docs/decisions/0033-campaign-page-speed.md). The server reads the built file
 * (app/lib/stylesheet.server.ts); the browser takes the text from the page it was sent
 * (app/entry.client.tsx), so hydration finds the same element and a layout React draws anew keeps it.
 */
const StylesheetContext = createContext("");
export const StylesheetProvider = StylesheetContext.Provider;

/** The id the browser finds the stylesheet's text by when it takes over the page. */
export const STYLESHEET_ID = "site-styles";

export function SiteStylesheet({ nonce }: { nonce: string }) {
  const css = useContext(StylesheetContext);
  return <style id={STYLESHEET_ID} nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />;
}
