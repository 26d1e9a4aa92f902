import fs from "node:fs";
import path from "node:path";
import href from "~/styles/app.css";

let text: string | undefined;

/**
 * The built stylesheet's text (public/build/_assets/app-<hash>.css, minified by the build), read once per
 * process, for pages to carry inline (app/components/stylesheet.tsx). The server serves the same file from
 * public/ under the working directory (server/app.ts).
 */
export function stylesheetText(): string {
  if (text === undefined) {
    const css = fs.readFileSync(path.join("public", href), "utf8");
    // Inside <style> only "</style" could end the element early; a stylesheet never needs it.
    if (/<\/style/i.test(css)) throw new Error(`${href} contains "</style", which would end the inline <style> early`);
    text = css;
  }
  return text;
}
