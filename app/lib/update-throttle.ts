import type { TFunction } from "i18next";
import { formatDate, type Locale } from "./i18n";

/**
 * Why a petition cannot email another update yet, in words, in the reader's language (`t` and `locale` of
 * the page). The next time is rounded up to the minute, so that at the time it shows, emailing is allowed.
 */
export function throttleMessage(
  nextAllowedAt: Date,
  minIntervalMs: number,
  lang: { t: TFunction; locale: Locale },
): string {
  const last = new Date(nextAllowedAt.getTime() - minIntervalMs);
  const next = new Date(Math.ceil(nextAllowedAt.getTime() / 60_000) * 60_000);
  return lang.t("updates.throttle.message", {
    last: formatDate(last, lang.locale, "dayMonth"),
    next: formatDate(next, lang.locale, "dayMonth"),
    time: formatDate(next, lang.locale, "time"),
  });
}
