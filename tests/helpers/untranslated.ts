import { parseDocument } from "htmlparser2";
import type { ChildNode, Element } from "domhandler";

/** Text the pseudo-language marks: its brackets, or a letter it accents (app/lib/i18n.ts pseudoString). */
const MARKED = /[⟦⟧áéíóúýçñÁÉÍÓÚÝÇÑ]/;
const LETTERS = /\p{L}/u;
/** Attributes a person reads or hears. */
const READ_ATTRIBUTES = ["title", "aria-label", "placeholder", "alt", "aria-description"];
const SKIPPED = new Set(["script", "style", "template"]);

/**
 * The text on a page rendered in the pseudo-language that did not come from a catalog: each visible text
 * node and each read attribute that has letters but no pseudo-language mark. Not looked at: elements that
 * say they are in a language of their own (`lang`: a campaign's text, the languages' own names) or are not
 * to be translated (`translate="no"`: a person's name, an address), and what a form was filled in with.
 */
export function untranslatedText(html: string): string[] {
  const found: string[] = [];
  const visit = (nodes: ChildNode[], inBody: boolean) => {
    for (const node of nodes) {
      if (node.type === "text") {
        const text = node.data.replace(/\s+/g, " ").trim();
        if (inBody && LETTERS.test(text) && !MARKED.test(text)) found.push(text);
        continue;
      }
      if (node.type !== "tag" && node.type !== "script" && node.type !== "style") continue;
      const element = node as Element;
      const name = element.name.toLowerCase();
      if (SKIPPED.has(name)) continue;
      const attrs = element.attribs;
      if (name !== "html" && (attrs.lang !== undefined || attrs.translate === "no")) continue;
      for (const attribute of READ_ATTRIBUTES) {
        const value = attrs[attribute];
        if (value && LETTERS.test(value) && !MARKED.test(value)) found.push(`[${attribute}] ${value}`);
      }
      if (name === "title") {
        const text = element.children.map((c) => (c.type === "text" ? c.data : "")).join("");
        if (LETTERS.test(text) && !MARKED.test(text)) found.push(`[title] ${text}`);
        continue;
      }
      if (
        name === "meta" &&
        ["description", "og:title", "og:description"].includes(attrs.name ?? attrs.property ?? "")
      ) {
        const value = attrs.content ?? "";
        if (LETTERS.test(value) && !MARKED.test(value)) found.push(`[meta ${attrs.name ?? attrs.property}] ${value}`);
      }
      // A textarea shows what was typed into it.
      if (name === "textarea") continue;
      visit(element.children, inBody || name === "body");
    }
  };
  visit(parseDocument(html).children, false);
  return found;
}
