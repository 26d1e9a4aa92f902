import { useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";

/** A share of the whole in percent, "<1%" for a share too small to round to one. */
export function percent(n: number): string {
  return `${n > 0 && n < 1 ? "<1" : Math.round(n)}%`;
}

/**
 * A table of signatures counted by something (a country, a reason): one row a label, with the count and,
 * when `share` is on, each row's share of the whole in percent.
 */
export function CountTable(props: {
  /** What the rows are counted by: the first column's heading. */
  by: string;
  rows: { label: string; count: number; share?: number }[];
  share?: boolean;
  "aria-labelledby"?: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <table className="table" aria-labelledby={props["aria-labelledby"]}>
      <thead>
        <tr>
          <th scope="col">{props.by}</th>
          <th scope="col" className="num">
            {t("countTable.signatures")}
          </th>
          {props.share ? (
            <th scope="col" className="num">
              {t("countTable.share")}
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.label}>
            <td>{r.label}</td>
            <td className="num">{formatNumber(r.count, i18n.language as Locale)}</td>
            {props.share ? <td className="num">{percent(r.share ?? 0)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
