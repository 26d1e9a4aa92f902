import { describe, expect, test } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";

describe("renderMarkdown: an organizer's text made safe for the page", () => {
  test("an organizer who pastes a script gets no script on the page", () => {
    const html = renderMarkdown("Before\n\n<script>alert('x')</script>\n\nAfter");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("alert(");
    expect(html).toContain("<p>Before</p>");
    expect(html).toContain("<p>After</p>");
  });

  test("event-handler attributes are stripped from the tags that are kept", () => {
    const html = renderMarkdown(
      '<a href="https://example.org" onclick="steal()" onmouseover="steal()">link</a> <strong onclick="x()">bold</strong>',
    );
    expect(html).toContain("https://example.org");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toContain("steal()");
  });

  test("javascript: links lose their address, in Markdown or in HTML", () => {
    for (const source of [
      "[click me](javascript:alert(1))",
      '<a href="javascript:alert(1)">click me</a>',
      '<a href="JaVaScRiPt:alert(1)">click me</a>',
    ]) {
      const html = renderMarkdown(source);
      expect(html.toLowerCase()).not.toContain("javascript:");
      expect(html).toContain("click me");
    }
  });

  test("images and frames are not allowed in", () => {
    const html = renderMarkdown(
      '<img src="x" onerror="alert(1)"> <iframe src="https://evil.example"></iframe> ![pic](https://example.org/a.png)',
    );
    expect(html).not.toMatch(/<img|<iframe|onerror/i);
  });

  test("basic formatting survives: emphasis, lists, headings below the page title, quotes and links", () => {
    const html = renderMarkdown(
      "# Big heading\n\n## Why\n\nWe ask **firmly** and *politely*.\n\n- one\n- two\n\n> quoted\n\n[Read more](https://example.org/more)",
    );
    expect(html).toContain("<h2>Big heading</h2>");
    expect(html).toContain("<h2>Why</h2>");
    expect(html).not.toContain("<h1");
    expect(html).toContain("<strong>firmly</strong>");
    expect(html).toContain("<em>politely</em>");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    expect(html).toContain('<a href="https://example.org/more" rel="nofollow noopener noreferrer ugc">Read more</a>');
  });
});
