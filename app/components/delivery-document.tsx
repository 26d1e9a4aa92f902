import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { CountTable } from "~/components/count-table";
import { DecisionMakers } from "~/components/decision-makers";
import { formatDate, formatNumber, type Locale } from "~/lib/i18n";

/** What the printed petition shows (app/routes/organize.$id.deliver.tsx and respond.$token_.petition.tsx). */
export type DeliveryDocumentData = {
  title: string;
  summary: string;
  /** The language the campaign is written in: its title, summary and text carry it. */
  language: string;
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
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const n = (value: number) => formatNumber(value, locale);
  const date = (iso: string) => formatDate(iso, locale);
  return (
    <article className="delivery">
      <div className="screen-only">{screenOnly}</div>

      <header className="delivery-header">
        <p className="eyebrow">{t("delivery.doc.eyebrow")}</p>
        <h1 lang={d.language}>{d.title}</h1>
        <DecisionMakers makers={d.decisionMakers} />
        <p className="delivery-count">
          <Trans
            i18nKey="delivery.doc.signedBy"
            count={d.confirmed}
            values={{ n: n(d.confirmed), date: date(d.asOf) }}
            components={{ 1: <strong /> }}
          />
        </p>
        <p className="hint">
          {d.openedAt && d.closedAt
            ? `${t("delivery.doc.openedAndClosed", { opened: date(d.openedAt), closed: date(d.closedAt) })} `
            : d.openedAt
              ? `${t("delivery.doc.opened", { opened: date(d.openedAt) })} `
              : null}
          {t("delivery.doc.confirmedBySigners")}
        </p>
      </header>

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">{t("delivery.doc.summary")}</h2>
        <p className="lead" lang={d.language}>
          {d.summary}
        </p>
      </section>

      <section aria-labelledby="text-heading">
        <h2 id="text-heading">{t("delivery.doc.text")}</h2>
        <div className="prose" lang={d.language} dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
      </section>

      {d.countries.length > 0 ? (
        <section aria-labelledby="countries-heading" className="delivery-section">
          <h2 id="countries-heading">{t("delivery.doc.byCountry")}</h2>
          <CountTable
            by={t("delivery.doc.country")}
            rows={d.countries.map((c) => ({ label: c.name, count: c.count }))}
          />
        </section>
      ) : null}

      <section aria-labelledby="signers-heading" className="delivery-section delivery-signers">
        <h2 id="signers-heading">{t("delivery.doc.signers")}</h2>
        {d.names.map((c) => (
          <section key={c.name} className="delivery-country" aria-label={c.name}>
            <h3>
              {c.name}{" "}
              <span className="hint">{t("delivery.doc.named", { count: c.names.length, n: n(c.names.length) })}</span>
            </h3>
            <ul className="delivery-names">
              {c.names.map((name, i) => (
                <li key={i} translate="no">
                  {name}
                </li>
              ))}
            </ul>
          </section>
        ))}
        {d.confirmed === 0 ? <p>{t("delivery.doc.nobody")}</p> : null}
        {d.names.length === 0 && d.hidden !== null && d.hidden > 0 ? (
          <p className="delivery-others">{t("delivery.doc.allHidden", { count: d.hidden, n: n(d.hidden) })}</p>
        ) : null}
        {d.names.length > 0 && d.hidden !== null && d.hidden > 0 ? (
          <p className="delivery-others">{t("delivery.doc.othersHidden", { count: d.hidden, n: n(d.hidden) })}</p>
        ) : null}
        {d.notListed !== null && d.notListed > 0 ? (
          <p className="delivery-others">
            {t("delivery.doc.firstNamed", { max: n(d.maxNames) })}{" "}
            {t("delivery.doc.notListed", { count: d.notListed, n: n(d.notListed) })}
            {moreNames}.
          </p>
        ) : null}
        {d.notListed === null ? (
          <p className="delivery-others">
            {t("delivery.doc.othersNotListed", { max: n(d.maxNames) })}
            {moreNames}.
          </p>
        ) : null}
      </section>
    </article>
  );
}
