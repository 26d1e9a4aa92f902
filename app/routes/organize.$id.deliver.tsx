import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DecisionMakers } from "~/components/decision-makers";
import { countryName } from "~/lib/countries";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { formatCount, formatDate } from "~/lib/time";
import { countryCounts } from "~/models/counts.server";
import { deliveryList, DELIVERY_MAX_NAMES } from "~/models/dashboard.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `${data.title}: the petition for delivery | Undersigned` : "The petition for delivery | Undersigned",
  },
];

/**
 * The petition as it is handed to the people it is addressed to: the ask,
 * the text, the count, and the names of the signers who chose to be named,
 * as they chose to be named. For organizers only; made to be printed.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const list = await deliveryList(context.db, p.id);
  const countries = await countryCounts(context.db, p.id);
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "en");
  return {
    id: p.id,
    title: p.title,
    summary: p.summary,
    bodyHtml: p.body_html,
    decisionMakers: p.decisionMakers,
    openedAt: p.opened_at,
    closedAt: p.closed_at,
    asOf: new Date().toISOString(),
    confirmed: list.confirmed,
    hidden: list.hidden,
    notListed: list.notListed,
    countries: countries.map((c) => ({ name: countryName(c.country), count: c.signature_count })),
    names: list.countries.map((c) => ({ name: countryName(c.code), names: c.names })).sort(byName),
    // Sent with the data: a .server module's constant is not in the browser's bundle.
    maxNames: DELIVERY_MAX_NAMES,
  };
}

export default function Deliver() {
  const d = useLoaderData<typeof loader>();
  return (
    <article className="delivery">
      <div className="screen-only">
        <p>
          <Link to={`/organize/${d.id}`}>← Back to the dashboard</Link>
        </p>
        <p className="notice">
          This page is made to be printed and handed over. Use your browser’s Print command (Ctrl+P, or ⌘P on a Mac) to
          print it or save it as a PDF. Only signers who chose to show their name are listed, as they chose.
        </p>
      </div>

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
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col" className="num">
                  Signatures
                </th>
              </tr>
            </thead>
            <tbody>
              {d.countries.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td className="num">{formatCount(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
            {d.notListed === 1 ? "is" : "are"} in the <a href={`/organize/${d.id}/export.csv`}>CSV download</a>.
          </p>
        ) : null}
        {d.notListed === null ? (
          <p className="delivery-others">
            This page lists the first {formatCount(d.maxNames)} named signers; the others, and how many asked not to be
            named, are in the <a href={`/organize/${d.id}/export.csv`}>CSV download</a>.
          </p>
        ) : null}
      </section>
    </article>
  );
}
