const DAY_MONTH = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/**
 * Why a petition cannot email another update yet, in words. The next time is
 * rounded up to the minute, so that at the time it shows, emailing is allowed.
 */
export function throttleMessage(nextAllowedAt: Date, minIntervalMs: number): string {
  const last = new Date(nextAllowedAt.getTime() - minIntervalMs);
  const next = new Date(Math.ceil(nextAllowedAt.getTime() / 60_000) * 60_000);
  return `You emailed an update on ${DAY_MONTH.format(last)}; you can email the next one from ${DAY_MONTH.format(next)} at ${TIME.format(next)} UTC.`;
}
