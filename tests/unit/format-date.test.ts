import { describe, expect, it } from "vitest";
import { LANGUAGES, PSEUDO_LANGUAGE, formatDate, intlLocale, pseudoString } from "../../app/lib/i18n";

/** Noon on the first of each month of 2026, and the last day of a month, in UTC. */
const DAYS = [
  ...Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 1, 12))),
  new Date("2026-12-31T23:59:59Z"),
];

describe("a date as each language writes it", () => {
  it.each(LANGUAGES)("in %s, is what CLDR (Node's Intl, which carries every language) writes", (language) => {
    for (const day of DAYS) {
      const intl = (options: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(intlLocale(language), { ...options, timeZone: "UTC" }).format(day);
      expect(formatDate(day, language)).toBe(intl({ day: "numeric", month: "long", year: "numeric" }));
      expect(formatDate(day.toISOString(), language, "short")).toBe(intl({ day: "numeric", month: "short" }));
      // CLDR writes a Welsh day and month "Tachwedd 1"; the site writes "1 Tachwedd", as its full dates and
      // GOV.UK's Welsh pages do.
      if (language !== "cy")
        expect(formatDate(day, language, "dayMonth")).toBe(intl({ day: "numeric", month: "long" }));
      expect(formatDate(day, language, "time")).toBe(intl({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
    }
  });

  it("writes a Welsh day and month day first, as a Welsh full date", () => {
    expect(formatDate("2026-11-01T00:00:00Z", "cy", "dayMonth")).toBe("1 Tachwedd");
  });

  it("reads the day in UTC, so a signature at midnight keeps its date wherever the page is drawn", () => {
    expect(formatDate("2026-03-31T23:30:00Z", "en")).toBe("31 March 2026");
    expect(formatDate("2026-04-01T00:30:00Z", "cy")).toBe("1 Ebrill 2026");
    expect(formatDate("2026-04-01T00:30:00Z", "es")).toBe("1 de abril de 2026");
  });

  it("comes out marked in the pseudo-language, like every word the catalogs give", () => {
    expect(formatDate("2026-11-01T00:00:00Z", PSEUDO_LANGUAGE)).toBe(pseudoString("1 November 2026"));
  });
});
