import { describe, expect, it } from "vitest";
import { chooseLocale, languageCookie, pseudoString } from "../../app/lib/i18n";

describe("the language a page is shown in", () => {
  it("is the one asked for in the address, then the one chosen before, then the browser's, then English", () => {
    expect(chooseLocale({ param: "cy", cookie: "es", acceptLanguage: "en" })).toBe("cy");
    expect(chooseLocale({ param: null, cookie: "es", acceptLanguage: "cy" })).toBe("es");
    expect(chooseLocale({ acceptLanguage: "cy-GB,en;q=0.5" })).toBe("cy");
    expect(chooseLocale({})).toBe("en");
  });

  it("ignores a language we do not have, wherever it comes from", () => {
    expect(chooseLocale({ param: "fr", cookie: "de", acceptLanguage: "fr-FR, es;q=0.8, en;q=0.5" })).toBe("es");
    expect(chooseLocale({ acceptLanguage: "*" })).toBe("en");
    expect(chooseLocale({ acceptLanguage: "fr, de" })).toBe("en");
  });

  it("reads the browser's languages by quality, then by order", () => {
    expect(chooseLocale({ acceptLanguage: "en;q=0.4, es;q=0.9, cy;q=0.9" })).toBe("es");
    expect(chooseLocale({ acceptLanguage: "es;q=0, cy;q=0.1" })).toBe("cy");
    expect(chooseLocale({ acceptLanguage: "ES-mx" })).toBe("es");
  });

  it("finds the language cookie among others", () => {
    expect(languageCookie("a=1; lang=cy; b=2")).toBe("cy");
    expect(languageCookie("language=cy")).toBeNull();
    expect(languageCookie(null)).toBeNull();
  });
});

describe("the pseudo-language", () => {
  it("marks every word but keeps placeholders, nesting and tags working", () => {
    expect(pseudoString("Sign {{title}} <1>now</1>")).toBe("⟦Sígñ {{title}} <1>ñów</1>⟧");
  });
});
