import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";
import { SignatureProgress } from "./progress";

/** How often an open page asks for the count (the count endpoint keeps it for 2 s; UK Parliament's pages poll every 10 s). */
export const POLL_MS = 10_000;
/** A screen reader hears of a new count at most this often, however fast it moves. */
const ANNOUNCE_EVERY_MS = 60_000;

/**
 * The count and progress bar, kept current while the page is open: the server renders the count, and in
 * the browser a script asks the count endpoint every POLL_MS while the tab is visible (none at all while it is
 * hidden; at once when it is shown again). Without JavaScript the page shows the count it was rendered with.
 * A polite live region says the new count only when it changed, and at most once a minute.
 */
export function LiveSignatureProgress(props: { slug: string; count: number; goal: number | null; showGoal: boolean }) {
  const { slug, goal, showGoal } = props;
  const { t, i18n } = useTranslation();
  const [count, setCount] = useState(props.count);
  const [announcement, setAnnouncement] = useState("");
  const shown = useRef(props.count);
  const lastAnnounced = useRef(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = () => {
      clearTimeout(timer);
      if (!stopped && document.visibilityState === "visible") timer = setTimeout(poll, POLL_MS);
    };
    async function poll() {
      try {
        const res = await fetch(`/api/petitions/${encodeURIComponent(slug)}/count.json`);
        const body: unknown = res.ok ? await res.json() : null;
        const next = (body as { signature_count?: unknown } | null)?.signature_count;
        if (!stopped && typeof next === "number" && next !== shown.current) {
          shown.current = next;
          setCount(next);
          const now = Date.now();
          if (now - lastAnnounced.current >= ANNOUNCE_EVERY_MS) {
            lastAnnounced.current = now;
            setAnnouncement(
              t("campaign.progress.announce", {
                count: next,
                number: formatNumber(next, i18n.language as Locale),
              }),
            );
          }
        }
      } catch {
        // Offline for a moment: the next poll tries again, and the count shown stays as it was.
      }
      schedule();
    }
    const onVisibility = () => (document.visibilityState === "visible" ? void poll() : clearTimeout(timer));
    document.addEventListener("visibilitychange", onVisibility);
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [slug, t, i18n.language]);

  return (
    <>
      <SignatureProgress count={count} goal={goal} showGoal={showGoal} />
      <p className="visually-hidden" aria-live="polite" data-live-count>
        {announcement}
      </p>
    </>
  );
}
