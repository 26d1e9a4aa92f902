import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  // Headings inside a petition sit below the page's own h1.
  transformTags: {
    h1: "h2",
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow noopener noreferrer ugc" },
    }),
  },
};

/** Markdown from people, rendered to HTML that is safe to put in a page. */
export function renderMarkdown(markdown: string): string {
  const raw = marked.parse(markdown) as string;
  return sanitizeHtml(raw, SANITIZE);
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const comparable = (text: string) =>
  text
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e])
    .replace(/[\s\p{P}]+/gu, " ")
    .trim()
    .toLowerCase();

/**
 * Rendered text without a first heading that says what the page's own heading
 * above it already says ("## Why this matters" under the page's "Why this
 * matters"), so it does not show twice. Any other first heading stays.
 */
export function withoutLeadingHeading(html: string, heading: string): string {
  const first = html.match(/^\s*<h([2-4])>([^<]*)<\/h\1>\s*/);
  return first && comparable(first[2]) === comparable(heading) ? html.slice(first[0].length) : html;
}
