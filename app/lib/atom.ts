/**
 * Atom 1.0 (RFC 4287) written by hand: the format is small, and every piece
 * of text in it passes through xmlEscape, which is unit-tested against
 * hostile input (tests/unit/atom.test.ts).
 */

// Characters XML 1.0 does not allow anywhere, even escaped: C0 controls other than tab, newline and
// carriage return, lone surrogates (half a character), U+FFFE and U+FFFF. One of them makes the whole
// feed unreadable, so they are dropped.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text made safe for XML character data and attribute values (either quote). */
export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export type AtomEntry = {
  /** A permanent, unique IRI: here the entry's own URL. */
  id: string;
  title: string;
  /** ISO-8601 timestamps. */
  updated: string;
  published?: string;
  url: string;
  /** HTML, already sanitized; it is escaped here and marked type="html". */
  html: string;
  /** Who wrote it, when not the feed's author (a decision maker's response). */
  author?: string;
};

export type AtomFeed = {
  id: string;
  title: string;
  subtitle?: string;
  updated: string;
  /** The feed's own address and the page it belongs to. */
  selfUrl: string;
  pageUrl: string;
  author: string;
  entries: AtomEntry[];
};

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

export function atomFeed(f: AtomFeed): string {
  const e = xmlEscape;
  const entries = f.entries.map(
    (entry) => `  <entry>
    <id>${e(entry.id)}</id>
    <title type="text">${e(entry.title)}</title>
    <updated>${e(entry.updated)}</updated>${entry.published ? `\n    <published>${e(entry.published)}</published>` : ""}
    <link rel="alternate" type="text/html" href="${e(entry.url)}"/>${entry.author ? `\n    <author><name>${e(entry.author)}</name></author>` : ""}
    <content type="html">${e(entry.html)}</content>
  </entry>
`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${e(f.id)}</id>
  <title type="text">${e(f.title)}</title>${f.subtitle ? `\n  <subtitle type="text">${e(f.subtitle)}</subtitle>` : ""}
  <updated>${e(f.updated)}</updated>
  <link rel="self" type="application/atom+xml" href="${e(f.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${e(f.pageUrl)}"/>
  <author><name>${e(f.author)}</name></author>
${entries.join("")}</feed>
`;
}
