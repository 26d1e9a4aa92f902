import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { formatCount } from "~/lib/time";

export type SimilarCampaign = {
  slug: string;
  title: string;
  state: "open" | "closed" | "victory";
  signatureCount: number;
};

const STATE_LABEL = { open: "Open", closed: "Closed", victory: "Won" } as const;

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
          <h2 id="similar-heading">Similar campaigns</h2>
          <p className="hint">
            These campaigns ask something like your title. If one of them asks what you want, signing and sharing it may
            do more than starting another.
          </p>
          <ul>
            {list.map((p) => (
              <li key={p.slug}>
                <a href={`/petitions/${p.slug}`} target="_blank" rel="noopener noreferrer">
                  {p.title}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>{" "}
                <span className="hint">
                  {STATE_LABEL[p.state]}, {formatCount(p.signatureCount)}{" "}
                  {p.signatureCount === 1 ? "signature" : "signatures"}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
