/** Reads what a server-rendered form shows a person: errors beside fields, and the values kept in them. */

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The text of the error beside the field with this id (the element `<id>-error`), or null. */
export function errorBeside(html: string, fieldId: string): string | null {
  const match = html.match(new RegExp(`<p class="field-error" id="${fieldId}-error">([^]*?)</p>`));
  if (!match) return null;
  return decode(
    match[1]
      .replace(/<[^>]+>/g, "")
      .replace(/^Error: /, "")
      .trim(),
  );
}

/** The value an input or textarea with this id is filled with; undefined when there is no such field. */
export function valueOf(html: string, fieldId: string): string | undefined {
  const input = (html.match(/<input\b[^>]*>/g) ?? []).find((t) => t.includes(` id="${fieldId}"`));
  if (input) return decode(input.match(/ value="([^"]*)"/)?.[1] ?? "");
  const textarea = html.match(new RegExp(`<textarea\\b[^>]* id="${fieldId}"[^>]*>([^]*?)</textarea>`));
  return textarea ? decode(textarea[1]) : undefined;
}

/** Whether the field with this id is marked invalid and points at its error. */
export function markedInvalid(html: string, fieldId: string): boolean {
  const tag = html.match(new RegExp(`<(?:input|textarea|select)\\b[^>]* id="${fieldId}"[^>]*>`))?.[0] ?? "";
  return tag.includes('aria-invalid="true"') && new RegExp(`aria-describedby="[^"]*${fieldId}-error`).test(tag);
}

/** The page with React's text separators (`<!-- -->`) taken out, so sentences read as a person sees them. */
export function withoutTextSeparators(html: string): string {
  return html.replace(/<!-- -->/g, "");
}

/** Whether the page has a link to `href` whose text is `text` (whatever other attributes the link has). */
export function hasLink(html: string, href: string, text: string): boolean {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`<a\\b[^>]*\\bhref="${escape(href)}"[^>]*>${escape(text)}</a>`).test(html);
}

/**
 * The page without the site's stylesheet, which every page carries inline (app/components/stylesheet.tsx):
 * for asserting what the markup does not contain, when a class name also appears in a CSS rule.
 */
export function withoutStylesheet(html: string): string {
  return html.replace(/<style id="site-styles"[^>]*>[^<]*<\/style>/, "");
}
