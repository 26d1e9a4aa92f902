import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, test } from "vitest";
import { atomFeed, xmlEscape } from "../../app/lib/atom";
import { throttleMessage } from "../../app/lib/update-throttle";
import { emailLanguage } from "../../app/lib/i18n.server";

const EN = emailLanguage("en");

const HOSTILE = `Tom & Jerry <script>alert("x")</script> 'quoted' ]]> &amp; \u0001\u0008\u000b\ufffe bell\u0007 ok\ud800 lone 😀 café`;

function parse(xml: string) {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    textNodeName: "#text",
    isArray: (name) => name === "entry" || name === "link",
  }).parse(xml);
}

describe("escaping text for XML", () => {
  test("markup characters become entities, so text can never open a tag or an entity", () => {
    expect(xmlEscape(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;",
    );
    expect(xmlEscape("&amp;")).toBe("&amp;amp;");
    expect(xmlEscape("]]>")).toBe("]]&gt;");
  });

  test("characters XML cannot carry at all are dropped; everything else is kept as it is", () => {
    expect(xmlEscape("a\u0000b\u0001c\u001fd\ufffee\uffff")).toBe("abcde");
    expect(xmlEscape("tab\tnew\nline\rend")).toBe("tab\tnew\nline\rend");
    expect(xmlEscape("lone \ud800 high, lone \udc00 low, pair 😀")).toBe("lone  high, lone  low, pair 😀");
    expect(xmlEscape("café – naïve")).toBe("café – naïve");
  });
});

describe("the Atom feed", () => {
  const feed = atomFeed({
    id: "http://example.org/petitions/p/updates.atom",
    title: `Updates: ${HOSTILE}`,
    subtitle: HOSTILE,
    updated: "2026-11-29T10:00:00.000Z",
    selfUrl: "http://example.org/petitions/p/updates.atom?a=1&b=2",
    pageUrl: "http://example.org/petitions/p",
    author: `The organizers of “${HOSTILE}”`,
    entries: [
      {
        id: "http://example.org/petitions/p/updates/2",
        title: HOSTILE,
        updated: "2026-11-29T10:00:00.000Z",
        published: "2026-11-29T10:00:00.000Z",
        url: "http://example.org/petitions/p/updates/2",
        html: `<p>We met the council &amp; won. <a href="https://example.org/?a=1&amp;b=2">Minutes</a></p>\n<p>${xmlEscape("<3")} \u0001</p>`,
      },
      {
        id: "http://example.org/petitions/p/updates/1",
        title: "First",
        updated: "2026-11-27T10:00:00.000Z",
        url: "http://example.org/petitions/p/updates/1",
        html: "<p>Hello</p>",
      },
    ],
  });

  test("is well-formed XML even when every text in it is hostile", () => {
    expect(XMLValidator.validate(feed)).toBe(true);
  });

  test("reads back as the same text and HTML that went in", () => {
    const doc = parse(feed).feed;
    expect(doc["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    // Only the characters XML cannot carry are gone.
    // eslint-disable-next-line no-control-regex
    expect(doc.title["#text"]).toBe(`Updates: ${HOSTILE.replace(/[\u0001\u0007\u0008\u000b\ufffe\ud800]/g, "")}`);
    expect(doc.link.map((l: Record<string, string>) => l["@rel"])).toEqual(["self", "alternate"]);
    expect(doc.link[0]["@href"]).toBe("http://example.org/petitions/p/updates.atom?a=1&b=2");
    expect(doc.entry).toHaveLength(2);
    const [first] = doc.entry;
    expect(first.content["@type"]).toBe("html");
    expect(first.content["#text"]).toBe(
      `<p>We met the council &amp; won. <a href="https://example.org/?a=1&amp;b=2">Minutes</a></p>\n<p>&lt;3 </p>`,
    );
    expect(first.published).toBe("2026-11-29T10:00:00.000Z");
    expect(doc.entry[1].published).toBeUndefined();
  });
});

describe("why another update cannot be emailed yet", () => {
  test("names the day of the last email, and the day and minute (UTC) of the next allowed one", () => {
    const next = new Date("2026-11-30T14:05:00.000Z");
    expect(throttleMessage(next, 3 * 86_400_000, EN)).toBe(
      "You emailed an update on 27 November; you can email the next one from 30 November at 14:05 UTC.",
    );
  });

  test("rounds up to the minute, so the time it shows is never too early", () => {
    expect(throttleMessage(new Date("2026-11-30T14:05:00.001Z"), 3 * 86_400_000, EN)).toContain(
      "30 November at 14:06 UTC",
    );
    expect(throttleMessage(new Date("2026-12-31T23:59:30.000Z"), 12 * 3_600_000, EN)).toBe(
      "You emailed an update on 31 December; you can email the next one from 1 January at 00:00 UTC.",
    );
  });

  test("says it in the page's language, with its dates in that language", () => {
    const next = new Date("2026-11-30T14:05:00.000Z");
    // A Welsh day and month is written day first, like a full Welsh date ("30 Tachwedd").
    expect(throttleMessage(next, 3 * 86_400_000, emailLanguage("cy"))).toMatch(
      /^Y tro diwethaf .*14:05 UTC ymlaen, 30 Tachwedd\.$/,
    );
    expect(throttleMessage(next, 3 * 86_400_000, emailLanguage("es"))).toMatch(
      /^Enviaste .*30 de noviembre a las 14:05 UTC\.$/,
    );
  });
});
