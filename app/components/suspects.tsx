import { Form } from "@remix-run/react";
import { formatCount } from "~/lib/time";
import { ErrorSummary, summaryOf } from "./field";

export type SuspectRow = {
  id: number;
  createdAt: string;
  status: string;
  country: string;
  domain: string | null;
  network: string | null;
  reason: string | null;
};

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

/**
 * A petition's suspect signatures: why they were held, "Release all", and the
 * newest ones to release by hand. No names or addresses are shown.
 */
export function SuspectsSection(props: {
  figures: { suspect: number };
  reasons: { reason: string; count: number }[];
  suspects: SuspectRow[];
  error?: string;
}) {
  const { figures, reasons, suspects } = props;
  return (
    <section aria-labelledby="suspects-heading">
      <h2 id="suspects-heading">Suspect signatures</h2>
      <p>
        Signatures over a signing limit are kept but do not count; the signers saw the usual pages. Release them if they
        are real: the confirmed ones count at once.
      </p>
      {figures.suspect === 0 ? (
        <p>None.</p>
      ) : (
        <>
          <ul>
            {reasons.map((r) => (
              <li key={r.reason}>
                {formatCount(r.count)}: {r.reason}
              </li>
            ))}
          </ul>
          <Form method="post">
            <input type="hidden" name="scope" value="all" />
            <button type="submit" name="intent" value="release" className="button button--secondary">
              Release all {formatCount(figures.suspect)} suspect signatures
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="scope" value="selected" />
            <ErrorSummary errors={summaryOf({ ids: props.error }, { ids: `suspect-${suspects[0]?.id}` })} />
            {props.error ? (
              <p className="field-error" id="ids-error">
                {props.error}
              </p>
            ) : null}
            <table className="table table--wide">
              <caption className="hint">The newest {suspects.length}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Release</span>
                  </th>
                  <th scope="col">Signed (UTC)</th>
                  <th scope="col">State</th>
                  <th scope="col">Country</th>
                  <th scope="col">Domain</th>
                  <th scope="col">Network</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {suspects.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <input
                        type="checkbox"
                        name="id"
                        value={s.id}
                        id={`suspect-${s.id}`}
                        aria-label={`Release suspect ${s.id}`}
                      />
                    </td>
                    <td>{when(s.createdAt)}</td>
                    <td>{s.status}</td>
                    <td>{s.country}</td>
                    <td>{s.domain ?? ""}</td>
                    <td>{s.network ? <code>{s.network}</code> : ""}</td>
                    <td>{s.reason ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="submit" name="intent" value="release" className="button button--secondary">
              Release the ticked signatures
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
