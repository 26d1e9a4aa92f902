import type { ReactNode } from "react";
import { CountTable } from "~/components/count-table";
import { DecisionMakers } from "~/components/decision-makers";
import { formatCount, formatDate } from "~/lib/time";

/** What the printed petition shows (app/routes/organize.$id.deliver.tsx and respond.$token_.petition.tsx). */
export type DeliveryDocumentData = {
  title: string;
  summary: string;
  bodyHtml: string;
  decisionMakers: { name: string; role: string | null }[];
  openedAt: string | null;
  closedAt: string | null;
  asOf: string;
  confirmed: number;
  /** Null while a big campaign's figures are first counted (app/models/dashboard.server.ts). */
  hidden: number | null;
  notListed: number | null;
  maxNames: number;
  countries: { name: string; count: number }[];
  names: { name: string; names: string[] }[];
};

/**
 * The petition as it is handed to the people it is addressed to: the ask, the text, the count by country,
 * and the names of the signers who chose to be named, as they chose. Made to be printed; `screenOnly`
 * is what the screen shows above it and paper leaves out.
 */
export function DeliveryDocument({
  d,
  screenOnly,
  moreNames,
}: {
  d: DeliveryDocumentData;
  screenOnly: ReactNode;
  /** Where the names beyond the page's limit are, for whoever may have them. */
  moreNames: ReactNode;
}) {
  return (
    <article className="delivery">
      <div className="screen-only">{screenOnly}</div>

      <header className="delivery-header">
        <p className="eyebrow">Petition</p>
        <h1>{d.title}</h1>
        <DecisionMakers makers={d.decisionMakers} />
        <p className="delivery-count">
          Signed by <strong>{formatCount(d.confirmed)}</strong> {d.confirmed === 1 ? "person" : "people"}, as of{" "}
          {formatDate(d.asOf)}.
        </p>
        <p className="hint">
          {d.openedAt ? `Opened on ${formatDate(d.openedAt)}` : null}
          {d.openedAt && d.closedAt ? `; closed on ${formatDate(d.closedAt)}` : null}
          {d.openedAt ? ". " : null}
          Every signature was confirmed by its signer from their own email address.
        </p>
      </header>

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <p className="lead">{d.summary}</p>
      </section>

      <section aria-labelledby="text-heading">
        <h2 id="text-heading">The petition</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
      </section>

      {d.countries.length > 0 ? (
        <section aria-labelledby="countries-heading" className="delivery-section">
          <h2 id="countries-heading">Signatures by country</h2>
          <CountTable by="Country" rows={d.countries.map((c) => ({ label: c.name, count: c.count }))} />
        </section>
      ) : null}

      <section aria-labelledby="signers-heading" className="delivery-section delivery-signers">
        <h2 id="signers-heading">The signers</h2>
        {d.names.map((c) => (
          <section key={c.name} className="delivery-country" aria-label={c.name}>
            <h3>
              {c.name} <span className="hint">({formatCount(c.names.length)} named)</span>
            </h3>
            <ul className="delivery-names">
              {c.names.map((name, i) => (
                <li key={i}>{name}</li>
              ))}
            </ul>
          </section>
        ))}
        {d.confirmed === 0 ? <p>Nobody has signed yet.</p> : null}
        {d.names.length === 0 && d.hidden !== null && d.hidden > 0 ? (
          <p className="delivery-others">
            {d.hidden === 1 ? "The one signer" : `All ${formatCount(d.hidden)} signers`} asked not to be named.
          </p>
        ) : null}
        {d.names.length > 0 && d.hidden !== null && d.hidden > 0 ? (
          <p className="delivery-others">
            And {formatCount(d.hidden)} {d.hidden === 1 ? "other who" : "others who"} asked not to be named.
          </p>
        ) : null}
        {d.notListed !== null && d.notListed > 0 ? (
          <p className="delivery-others">
            This page lists the first {formatCount(d.maxNames)} named signers. {formatCount(d.notListed)} more{" "}
            {d.notListed === 1 ? "is" : "are"} not listed{moreNames}.
          </p>
        ) : null}
        {d.notListed === null ? (
          <p className="delivery-others">
            This page lists the first {formatCount(d.maxNames)} named signers; the others are not listed{moreNames}.
          </p>
        ) : null}
      </section>
    </article>
  );
}
