/** Dates as people read them on the site, in UTC so server and browser agree. */
const DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const NUMBER = new Intl.NumberFormat("en-GB");

export function formatDate(iso: string): string {
  return DATE.format(new Date(iso));
}

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

export function nowIso(): string {
  return new Date().toISOString();
}
