import { describe, expect, test } from "vitest";
import { contentEtag, effectiveCacheControl, NO_STORE } from "../../server/http-cache";

describe("the Cache-Control a response goes out with", () => {
  test("a route that says nothing gets no caching at all", () => {
    expect(effectiveCacheControl(new Headers())).toBe(NO_STORE);
  });

  test("a route that opts in keeps what it said", () => {
    expect(effectiveCacheControl(new Headers({ "Cache-Control": "private, no-cache" }))).toBe("private, no-cache");
    expect(effectiveCacheControl(new Headers({ "Cache-Control": "public, max-age=300" }))).toBe("public, max-age=300");
  });

  test("a response that sets a cookie is never public, whatever its route said", () => {
    const headers = (cacheControl: string) =>
      new Headers([
        ["Cache-Control", cacheControl],
        ["Set-Cookie", "undersigned_session=abc; Path=/; HttpOnly"],
      ]);
    expect(effectiveCacheControl(headers("public, max-age=300"))).toBe(NO_STORE);
    expect(effectiveCacheControl(headers("max-age=60"))).toBe(NO_STORE);
    expect(effectiveCacheControl(headers("private, no-cache"))).toBe("private, no-cache");
  });
});

describe("a page's validator", () => {
  const page = (nonce: string, stamp: string) =>
    `<form><input name="started" value="${stamp}"></form><script nonce="${nonce}">x</script><script nonce="${nonce}">y</script>`;

  test("is the same for two responses that differ only in their nonce and form stamp", () => {
    const a = contentEtag(page("n1n1n1", "1790000000000.aaaa"), { nonce: "n1n1n1", stamps: ["1790000000000.aaaa"] });
    const b = contentEtag(page("n2n2n2", "1790000000999.bbbb"), { nonce: "n2n2n2", stamps: ["1790000000999.bbbb"] });
    expect(a).toBe(b);
    expect(a).toMatch(/^W\/"[\w-]{27}"$/);
  });

  test("changes when what the page shows changes", () => {
    const own = { nonce: "n1n1n1", stamps: [] };
    expect(contentEtag("<p>1,234 signatures</p>", own)).not.toBe(contentEtag("<p>1,235 signatures</p>", own));
  });
});
