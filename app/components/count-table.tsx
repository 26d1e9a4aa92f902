import { formatCount } from "~/lib/time";

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
  return (
    <table className="table" aria-labelledby={props["aria-labelledby"]}>
      <thead>
        <tr>
          <th scope="col">{props.by}</th>
          <th scope="col" className="num">
            Signatures
          </th>
          {props.share ? (
            <th scope="col" className="num">
              Share
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.label}>
            <td>{r.label}</td>
            <td className="num">{formatCount(r.count)}</td>
            {props.share ? <td className="num">{percent(r.share ?? 0)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
