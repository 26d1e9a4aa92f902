import { Link } from "@remix-run/react";
import { formatCount } from "~/lib/time";

export type TrendingRow = {
  kind: "network" | "domain";
  petitionId: number;
  petitionTitle: string;
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
}) {
  const { rows, showPetition } = props;
  return (
    <table className="table table--wide">
      <thead>
        <tr>
          <th scope="col">Source</th>
          {showPetition ? <th scope="col">Petition</th> : null}
          <th scope="col" className="num">
            Signatures
          </th>
          <th scope="col" className="num">
            Counted
          </th>
          <th scope="col" className="num">
            Of those, flagged
          </th>
          <th scope="col" className="num">
            Pending
          </th>
          <th scope="col" className="num">
            Suspect
          </th>
          <th scope="col" className="num">
            Invalidated
          </th>
          <th scope="col">Oldest–newest (UTC)</th>
          <th scope="col">
            <span className="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.kind}-${r.petitionId}-${r.value}`}>
            <td>
              {r.kind === "network" ? <code title={r.value}>{r.label}</code> : r.label}
              {r.kind === "domain" && props.commonDomains.includes(r.value) ? (
                <span className="hint"> (common webmail)</span>
              ) : null}
            </td>
            {showPetition ? (
              <td>
                <Link to={`/moderate/petitions/${r.petitionId}/safety`}>{r.petitionTitle}</Link>
              </td>
            ) : null}
            <td className="num">{formatCount(r.total)}</td>
            <td className="num">{formatCount(r.counted)}</td>
            <td className="num">{formatCount(r.flagged)}</td>
            <td className="num">{formatCount(r.pending)}</td>
            <td className="num">{formatCount(r.suspect)}</td>
            <td className="num">{formatCount(r.invalidated)}</td>
            <td>
              {time(r.oldest)}–{time(r.newest)}
            </td>
            <td>
              <Link to={prepareHref(r)}>Prepare invalidation</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
