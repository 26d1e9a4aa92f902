import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { signedIn } from "../helpers/session";
import { OPEN_SLUG } from "../helpers/signing";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(() => app?.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(app.url + path, { headers, redirect: "manual" });
const langOf = (html: string) => html.match(/<html lang="([^"]+)"/)?.[1];

describe("a visitor chooses the language of the site", () => {
  it("follows the footer's link: the choice is remembered and they are back on the page they were on", async () => {
    const page = await (await get(`/petitions/${OPEN_SLUG}`)).text();
    const link = page.match(/<a href="(\/language\?lang=cy&amp;to=[^"]+)"[^>]*lang="cy"/)?.[1].replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    const chosen = await get(link!);
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}`);
    const cookie = chosen.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^lang=cy; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);
    const after = await (await get(`/petitions/${OPEN_SLUG}`, { cookie: cookie.split(";")[0] })).text();
    expect(langOf(after)).toBe("cy");
    // Their choice wins over what the browser says.
    const withBrowser = await get("/", { cookie: "lang=es", "accept-language": "cy" });
    expect(langOf(await withBrowser.text())).toBe("es");
  });

  it("is remembered when a page is asked for in a language, so the pages after it follow", async () => {
    const asked = await get(`/petitions/${OPEN_SLUG}?lang=es`);
    expect(langOf(await asked.text())).toBe("es");
    expect(asked.headers.get("set-cookie")).toMatch(/^lang=es; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax/);
    const next = await get("/petitions", { cookie: "lang=es" });
    expect(langOf(await next.text())).toBe("es");
    // Asked again with the same choice already made: nothing to remember.
    const again = await get(`/petitions/${OPEN_SLUG}?lang=es`, { cookie: "lang=es" });
    expect(again.headers.get("set-cookie")).toBeNull();
  });

  it("is never sent to another site, and a language we do not have is refused", async () => {
    for (const to of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const res = await get(`/language?lang=es&to=${encodeURIComponent(to)}`);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/");
    }
    const refused = await get("/language?lang=fr&to=/");
    expect(refused.status).toBe(400);
    expect(refused.headers.get("set-cookie")).toBeNull();
  });

  it("points search engines at each language's version of a public page, and not of a signed-in one", async () => {
    const campaign = await (await get(`/petitions/${OPEN_SLUG}?lang=es`)).text();
    expect(langOf(campaign)).toBe("es");
    for (const language of ["en", "cy", "es"]) {
      expect(campaign).toContain(
        `<link rel="alternate" hrefLang="${language}" href="${app.config.appUrl}/petitions/${OPEN_SLUG}?lang=${language}"/>`,
      );
    }
    const person = await signedIn(app, "reader@example.org");
    const account = await (await get("/account", { cookie: person.cookie })).text();
    expect(account).not.toContain('rel="alternate" hrefLang');
  });

  it("gets the browser its catalog, without the emails' words, kept for good at its versioned address", async () => {
    const page = await (await get("/?lang=cy")).text();
    const url = page.match(/<link rel="preload" as="fetch" href="([^"]+)"/)?.[1].replaceAll("&amp;", "&");
    expect(url).toMatch(/^\/locales\/cy\.json\?v=[0-9a-f]{12}$/);
    const res = await get(url!);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const catalog = await res.json();
    expect(catalog.layout.skipLink).toBe("Neidio i'r prif gynnwys");
    expect(catalog.email).toBeUndefined();
    expect((await get("/locales/fr.json")).status).toBe(404);
  });
});
