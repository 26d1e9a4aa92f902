import zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fillGzipTemplate, gzipTemplate } from "../../server/gzip-template";

/*
 * The whole-page cache gzips a page once and fills each response's nonce and
 * form stamp into the compressed stream (server/gzip-template.ts). Whatever
 * the page and the values, a browser's gunzip must get back exactly the page
 * with those values in place.
 */

/** Text that repeats itself, so the compressor makes back-references, across gaps too. */
const WORDS = ['<script nonce="', '">', "</script>", "signature", "petition", "\u00a3", "é", "\u0000", "a", " "];
const text = fc
  .array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 60 })
  .map((words) => words.join(""));
const part = fc.oneof(
  text,
  text.map((t) => t.repeat(40)),
);

/** Values of the lengths the page cache uses (24-character nonces, 36-character stamps), in bytes of any value. */
const value = (length: number) =>
  fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => Buffer.from(bytes));

const gunzip = (chunks: Buffer[]) => zlib.gunzipSync(Buffer.concat(chunks));

describe("a page gzipped once and filled in per response", () => {
  test("gunzips to the page with each response's values in its gaps", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ before: part, gapLength: fc.constantFrom(0, 1, 24, 36, 300) }), { maxLength: 14 }),
        part,
        fc.integer({ min: 1, max: 9 }),
        fc.context(),
        (gaps, last, level, ctx) => {
          const parts = [...gaps.map((g) => Buffer.from(g.before)), Buffer.from(last)];
          const lengths = gaps.map((g) => g.gapLength);
          const template = gzipTemplate(parts, lengths, level);
          // Two responses from the one template, each with values of its own.
          for (let round = 0; round < 2; round++) {
            const values = fc.sample(fc.tuple(...lengths.map(value), fc.constant(null)), 1)[0].slice(0, -1) as Buffer[];
            ctx.log(`round ${round}`);
            const expected = Buffer.concat(parts.flatMap((p, i) => (i < values.length ? [p, values[i]] : [p])));
            expect(gunzip(fillGzipTemplate(template, values)).equals(expected)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("keeps a long page's back-references across its gaps", () => {
    // A page longer than deflate's 32 KB window, whose parts repeat what came well before.
    const row = (i: number) => `<li class="signer"><span class="name">Signer ${i % 50}</span></li>\n`;
    const parts = Array.from({ length: 12 }, (_, p) =>
      Buffer.from(Array.from({ length: 120 }, (_, i) => row(p * 120 + i)).join("") + '<script nonce="'),
    );
    parts.push(Buffer.from("</body></html>"));
    const lengths = Array.from({ length: 12 }, () => 24);
    const values = lengths.map((n, i) => Buffer.from(String(i).padStart(n, "x")));
    const chunks = fillGzipTemplate(gzipTemplate(parts, lengths), values);
    const whole = Buffer.concat(parts.flatMap((p, i) => (i < values.length ? [p, values[i]] : [p])));
    expect(gunzip(chunks).equals(whole)).toBe(true);
    // Each part refers back to the parts before it: far smaller than the parts compressed each on its own.
    const size = Buffer.concat(chunks).byteLength;
    const alone = parts.reduce((sum, p) => sum + zlib.deflateRawSync(p).byteLength, 0);
    expect(size).toBeLessThan(alone * 0.6);
  });

  test("refuses a value that does not fit its gap, rather than corrupting the page", () => {
    const template = gzipTemplate([Buffer.from("<p>"), Buffer.from("</p>")], [24]);
    expect(() => fillGzipTemplate(template, [Buffer.from("too short")])).toThrow(/gap is 24/);
    expect(() => fillGzipTemplate(template, [])).toThrow(/One value is needed for each gap/);
  });
});
