import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";
import { TableScroll } from "./table-scroll";

export type TrendingRow = {
  kind: "network" | "domain";
  petitionId: number;
  petitionTitle: string;
  petitionLanguage: string;
  value: string;
  label: string;
  total: number;
  counted: number;
  flagged: number;
  pending: number;
  suspect: number;
  invalidated: number;
  oldest: string;
  newest: string;
};

const time = (iso: string) => `${iso.slice(11, 16)}`;

/** The counted columns, in order: the row's figure and its heading. */
const COUNT_COLUMNS = [
  { field: "total", heading: "insights.trending.signatures" },
  { field: "counted", heading: "insights.trending.counted" },
  { field: "flagged", heading: "insights.trending.flagged" },
  { field: "pending", heading: "insights.trending.pending" },
  { field: "suspect", heading: "insights.trending.suspect" },
  { field: "invalidated", heading: "insights.trending.invalidated" },
] as const;

/** The link that fills the invalidation form with this source; nothing runs until the moderator checks and confirms. */
export function prepareHref(row: Pick<TrendingRow, "kind" | "petitionId" | "value">): string {
  const field = row.kind === "network" ? "network" : "domain";
  return `/moderate/petitions/${row.petitionId}/safety?${field}=${encodeURIComponent(row.value)}#invalidate`;
}

/**
 * Networks and email domains with many signatures in the last hour. Networks
 * are known only by a keyed hash of their /24 or /48, so they are labelled by
 * the start of that hash.
 */
export function TrendingSources(props: {
  rows: TrendingRow[];
  showPetition: boolean;
  commonDomains: readonly string[];
  /** The id of the heading that names the table. */
  labelledBy: string;
}) {
  const { rows, showPetition } = props;
  const { t, i18n } = useTranslation();
  const formatCount = (value: number) => formatNumber(value, i18n.language as Locale);
  return (
    <TableScroll labelledBy={props.labelledBy}>
      <table className="table table--wide">
        <thead>
          <tr>
            <th scope="col">{t("insights.trending.source")}</th>
            {showPetition ? <th scope="col">{t("insights.trending.petition")}</th> : null}
            {COUNT_COLUMNS.map((c) => (
              <th key={c.field} scope="col" className="num">
                {t(c.heading)}
              </th>
            ))}
            <th scope="col">{t("insights.trending.times")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("insights.trending.action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.kind}-${r.petitionId}-${r.value}`}>
              <td>
                {r.kind === "network" ? (
                  <code title={r.value} translate="no">
                    {r.label}
                  </code>
                ) : (
                  <span translate="no">{r.label}</span>
                )}
                {r.kind === "domain" && props.commonDomains.includes(r.value) ? (
                  <span className="hint"> {t("insights.trending.commonWebmail")}</span>
                ) : null}
              </td>
              {showPetition ? (
                <td>
                  <Link to={`/moderate/petitions/${r.petitionId}/safety`} lang={r.petitionLanguage}>
                    {r.petitionTitle}
                  </Link>
                </td>
              ) : null}
              {COUNT_COLUMNS.map((c) => (
                <td key={c.field} className="num">
                  {formatCount(r[c.field])}
                </td>
              ))}
              <td>
                {time(r.oldest)}–{time(r.newest)}
              </td>
              <td>
                <Link to={prepareHref(r)}>{t("insights.trending.prepare")}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
