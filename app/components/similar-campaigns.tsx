import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";

export type SimilarCampaign = {
  slug: string;
  title: string;
  /** The language the campaign is written in (petitions.language). */
  language?: string;
  state: "open" | "closed" | "victory";
  signatureCount: number;
};

/** Each state's words: catalog keys under insights.similar. */
const STATE_LABEL = {
  open: "insights.similar.open",
  closed: "insights.similar.closed",
  victory: "insights.similar.won",
} as const;

/**
 * Campaigns that already ask something like the title being written, so an organizer can sign one instead
 * of starting a duplicate. With JavaScript the list follows the title as it is typed (`/start/similar`, a
 * moment after typing stops); without it, the list the page was given (a saved draft's title) is shown.
 */
export function SimilarCampaigns(props: { title: string; initial?: SimilarCampaign[] }) {
  const fetcher = useFetcher<{ petitions: SimilarCampaign[] }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const asked = useRef(props.title);
  const { load } = fetcher;
  const { t, i18n } = useTranslation();
  useEffect(() => {
    const title = props.title.trim();
    if (title === asked.current.trim()) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      asked.current = title;
      if (title.length >= 4) load(`/start/similar?title=${encodeURIComponent(title)}`);
    }, 500);
    return () => clearTimeout(timer.current);
  }, [props.title, load]);

  const list = props.title.trim().length < 4 ? [] : (fetcher.data?.petitions ?? props.initial ?? []);
  return (
    // Announced politely when it changes; empty (and silent) until there is something to say.
    <div aria-live="polite" className="similar-campaigns">
      {list.length > 0 ? (
        <section aria-labelledby="similar-heading">
          <h2 id="similar-heading">{t("insights.similar.heading")}</h2>
          <p className="hint">{t("insights.similar.hint")}</p>
          <ul>
            {list.map((p) => (
              <li key={p.slug}>
                <a href={`/petitions/${p.slug}`} target="_blank" rel="noopener noreferrer">
                  <span lang={p.language ?? "en"}>{p.title}</span>
                  <span className="visually-hidden"> {t("insights.similar.newTab")}</span>
                </a>{" "}
                <span className="hint">
                  {t("insights.similar.stateAndCount", {
                    state: t(STATE_LABEL[p.state]),
                    count: p.signatureCount,
                    formatted: formatNumber(p.signatureCount, i18n.language as Locale),
                  })}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
