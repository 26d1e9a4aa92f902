/**
 * The hostile-input battery, shared by the HTTP tests (tests/integration/hostile-input.test.ts) and the
 * browser tests (tests/e2e/hostile-render.test.ts), and a check that a page's HTML carries none of it
 * as live markup.
 */

export type Payload = { label: string; value: string };

/** Script that would run if the markup were live: each sets window.__pwned, so a browser test can tell. */
export const PWN = {
  script: "<script>window.__pwned=1</script>",
  img: '"><img src=x onerror="window.__pwned=1">',
  svg: "<svg onload=window.__pwned=1>",
  jsLink: "[x](javascript:window.__pwned=1)",
  autolink: "<javascript:window.__pwned=1>",
} as const;

/** What people (and bots) have been known to type into forms. */
export const BATTERY: Payload[] = [
  { label: "a script element", value: "<script>alert(1)</script>" },
  { label: "an attribute breakout", value: '"><img src=x onerror=alert(1)>' },
  { label: "a javascript: address", value: "javascript:alert(1)" },
  { label: "a Markdown link to javascript:", value: "[x](javascript:alert(1))" },
  { label: "an autolink to javascript:", value: "<javascript:alert(1)>" },
  { label: "an SVG onload", value: "<svg onload=alert(1)>" },
  { label: "a DROP TABLE", value: "'; DROP TABLE signatures; --" },
  { label: "an OR 1=1", value: "' OR '1'='1" },
  { label: "control characters", value: "Ada\u0000 Lo\u0007ve\u001blace" },
  { label: "bidi overrides", value: "Ada \u202eecalevoL\u202c \u2066isolated\u2069" },
  { label: "zero-width characters", value: "Ada\u200b Love\u200c\u200dlace\ufeff" },
  { label: "a lone surrogate", value: "Ada \ud800 Lovelace" },
];

/** 100,000 characters: past every form's body limit. */
export const HUGE = "A".repeat(100_000);

/** The payloads whose markup must never reach a page live. */
export const MARKUP = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "<svg onload=alert(1)>",
  ...Object.values(PWN),
];

// eslint-disable-next-line no-control-regex
const CONTROL_INLINE = /[\u0000-\u001f\u007f-\u009f]/u;
// eslint-disable-next-line no-control-regex
const CONTROL_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const BIDI_CONTROL = /\p{Bidi_Control}/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a stored one-line text is not clean, or null if it is. */
export function uncleanLine(text: string | null): string | null {
  if (text === null) return null;
  if (CONTROL_INLINE.test(text)) return `a control character in ${JSON.stringify(text)}`;
  if (BIDI_CONTROL.test(text)) return `a bidi control in ${JSON.stringify(text)}`;
  if (LONE_SURROGATE.test(text)) return `a lone surrogate in ${JSON.stringify(text)}`;
  return null;
}

/** The same for Markdown, which keeps newlines and tabs (and a carriage return never survives). */
export function uncleanBlock(text: string | null): string | null {
  if (text === null) return null;
  if (CONTROL_BLOCK.test(text) || text.includes("\r"))
    return `a control character in ${JSON.stringify(text.slice(0, 200))}`;
  if (BIDI_CONTROL.test(text)) return `a bidi control in ${JSON.stringify(text.slice(0, 200))}`;
  if (LONE_SURROGATE.test(text)) return `a lone surrogate in ${JSON.stringify(text.slice(0, 200))}`;
  return null;
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  colon: ":",
  tab: "\t",
  newline: "\n",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[e.toLowerCase()] ?? whole;
  });
}

const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "poster",
  "background",
  "srcdoc",
]);
const RAW_TEXT = new Set(["script", "style"]);
const TAG =
  /<!--[^]*?-->|<!doctype[^>]*>|<\/([a-zA-Z][^\s/>]*)\s*>|<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * What in a page's HTML could run script: elements and attributes as a browser's tokenizer would read
 * them (quoted attribute values are skipped over, so escaped text inside them cannot be mistaken for
 * markup). Reports event-handler attributes, javascript:/vbscript:/data: addresses, scripts without
 * this response's nonce or with an address off the site, and the markup payloads verbatim. An empty
 * list means the page is inert.
 */
export function liveMarkup(html: string, opts: { nonce?: string | null; scripts?: "nonce" | "none" } = {}): string[] {
  const problems: string[] = [];
  for (const payload of MARKUP) if (html.includes(payload)) problems.push(`the payload ${payload} verbatim`);
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    const attributes = new Map<string, string>();
    for (const a of (m[3] ?? "").matchAll(ATTRIBUTE)) {
      attributes.set(a[1].toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? ""));
    }
    for (const [attr, value] of attributes) {
      if (attr.startsWith("on")) problems.push(`<${name} ${attr}="${value}">`);
      if (URL_ATTRIBUTES.has(attr)) {
        // Browsers ignore whitespace and control characters around and inside a scheme.
        // eslint-disable-next-line no-control-regex
        const bare = value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
        if (/^(javascript|vbscript|data):/.test(bare) && !(name === "img" && bare.startsWith("data:image/"))) {
          problems.push(`<${name} ${attr}="${value}">`);
        }
      }
    }
    if (["object", "embed", "base", "frameset", "frame", "applet"].includes(name)) problems.push(`a <${name}> element`);
    if (name === "meta" && attributes.get("http-equiv")?.toLowerCase() === "refresh")
      problems.push("a <meta http-equiv=refresh>");
    if (name === "iframe" && !/^\/dev\/mail\/\d+\/html$/.test(attributes.get("src") ?? ""))
      problems.push(`<iframe src="${attributes.get("src")}">`);
    if (name === "script") {
      if (opts.scripts === "none") problems.push("a <script> element in a page that should have none");
      else if (opts.nonce !== undefined && attributes.get("nonce") !== opts.nonce)
        problems.push(`a <script> without this response's nonce: ${m[0].slice(0, 120)}`);
      const src = attributes.get("src");
      if (src !== undefined && !src.startsWith("/build/")) problems.push(`<script src="${src}">`);
    }
    if (RAW_TEXT.has(name)) {
      // Skip the element's text, as a browser does: nothing in it is markup. It must not close early, though.
      const end = html.toLowerCase().indexOf(`</${name}`, TAG.lastIndex);
      const text = html.slice(TAG.lastIndex, end === -1 ? undefined : end);
      if (/<!--|<script/i.test(text)) problems.push(`markup inside a <${name}>: ${text.slice(0, 120)}`);
      TAG.lastIndex = end === -1 ? html.length : end;
    }
  }
  return problems;
}

/** The nonce a response's Content-Security-Policy allows scripts by, or null. */
export function cspNonce(res: Response): string | null {
  return res.headers.get("content-security-policy")?.match(/'nonce-([^']+)'/)?.[1] ?? null;
}
