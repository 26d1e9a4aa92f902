import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DecisionMakers } from "~/components/decision-makers";
import { SignatureProgress } from "~/components/progress";
import { publicPageHeaders } from "~/lib/cache-control.server";
import { formatCount, formatDate } from "~/lib/time";
import { publicState, searchPetitions } from "~/models/browse.server";
import { BROWSE_SORTS, type BROWSE_STATES } from "~/lib/browse";
import { readListParams } from "~/services/public-api.server";

/** The same for every visitor with the same address: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction = () => [
  { title: "Browse campaigns | Undersigned" },
  { name: "description", content: "Find a campaign to sign: search open, closed and won campaigns." },
];

const STATE_LABELS: Record<(typeof BROWSE_STATES)[number] | "", string> = {
  "": "All",
  open: "Open",
  closed: "Closed",
  victory: "Won",
};
const SORT_LABELS: Record<(typeof BROWSE_SORTS)[number], string> = {
  relevance: "Best match (most signed first without a search)",
  popular: "Most signed",
  recent: "Newest",
  closing_soon: "Closing soon",
};
const PER_PAGE = 20;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const read = readListParams(search);
  // A hand-edited address with a bad value gets the page with that value left out and a word about it,
  // not an error page: the person is browsing.
  const params = read.ok ? read.params : {};
  const now = new Date();
  const results = await searchPetitions(context.db, {
    q: params.q,
    state: params.state,
    sort: params.sort,
    page: params.page,
    perPage: PER_PAGE,
    now,
  });
  return {
    problem: read.ok ? null : "Some of the choices in this address were not understood, so all campaigns are shown.",
    q: params.q ?? "",
    state: params.state ?? "",
    sort: results.sort,
    // What the order menu shows: "Best match" unless another order was chosen (without words it is most signed).
    sortChosen: params.sort ?? "relevance",
    searched: results.searched,
    page: results.page,
    totalPages: results.totalPages,
    total: results.total,
    petitions: results.petitions.map((p) => ({
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      state: publicState(p, now),
      signatureCount: p.signature_count,
      goal: p.goal,
      closesAt: p.closes_at,
      decisionMakers: p.decisionMakers,
    })),
  };
}

export default function BrowsePetitions() {
  const data = useLoaderData<typeof loader>();
  const pageLink = (page: number) => {
    const query = new URLSearchParams();
    if (data.q) query.set("q", data.q);
    if (data.state) query.set("state", data.state);
    if (data.sort !== (data.searched ? "relevance" : "popular")) query.set("sort", data.sort);
    if (page > 1) query.set("page", String(page));
    const text = query.toString();
    return `/petitions${text ? `?${text}` : ""}`;
  };
  const from = (data.page - 1) * PER_PAGE + 1;
  const to = from + data.petitions.length - 1;
  return (
    <>
      <section className="intro">
        <h1>Browse campaigns</h1>
        <p>
          Search open, closed and won campaigns. Drafts and campaigns our moderators did not publish are not listed.
        </p>
      </section>
      {data.problem ? (
        <p className="notice" role="status">
          {data.problem}
        </p>
      ) : null}
      <Form method="get" className="browse-form" role="search" aria-label="Campaigns">
        <div className="field">
          <label htmlFor="browse-q">Search</label>
          <input id="browse-q" type="search" name="q" defaultValue={data.q} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="browse-state">Show</label>
          <select id="browse-state" name="state" defaultValue={data.state}>
            {Object.entries(STATE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="browse-sort">Order</label>
          <select id="browse-sort" name="sort" defaultValue={data.sortChosen}>
            {BROWSE_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Search
        </button>
      </Form>

      <p className="hint" aria-live="polite">
        {data.total === 0
          ? "No campaigns found."
          : `Showing ${formatCount(from)}–${formatCount(to)} of ${formatCount(data.total)} ${data.total === 1 ? "campaign" : "campaigns"}${data.q && data.searched ? ` matching “${data.q}”` : ""}.`}
      </p>

      {data.petitions.length === 0 ? (
        <div className="notice">
          <h2>Nothing here</h2>
          {data.q ? (
            <p>
              No campaign matches “{data.q}”. Try fewer or other words, or{" "}
              <Link to="/petitions">see every campaign</Link>.
            </p>
          ) : data.total > 0 ? (
            <p>
              This page is past the last one. <Link to={pageLink(1)}>Go to the first page</Link>.
            </p>
          ) : (
            <p>There are no campaigns of this kind yet.</p>
          )}
          <p>
            Can’t find what you care about? <Link to="/start">Start a campaign</Link>.
          </p>
        </div>
      ) : (
        <ul className="petition-list">
          {data.petitions.map((p) => (
            <li key={p.slug} className="petition-card">
              <h2>
                <Link to={`/petitions/${p.slug}`}>{p.title}</Link>
              </h2>
              <p className="eyebrow">
                {p.state === "open"
                  ? p.closesAt
                    ? `Open until ${formatDate(p.closesAt)}`
                    : "Open"
                  : p.state === "victory"
                    ? "Won"
                    : "Closed"}
              </p>
              <DecisionMakers makers={p.decisionMakers} inline />
              <p>{p.summary}</p>
              <SignatureProgress count={p.signatureCount} goal={p.goal} compact showGoal={p.state === "open"} />
            </li>
          ))}
        </ul>
      )}

      {data.totalPages > 1 ? (
        <nav className="pager" aria-label="Pages">
          <ul>
            {data.page > 1 ? (
              <li>
                <Link to={pageLink(data.page - 1)} rel="prev">
                  Previous page
                </Link>
              </li>
            ) : null}
            {pageNumbers(data.page, data.totalPages).map((n, i) =>
              n === null ? (
                <li key={`gap-${i}`} aria-hidden="true">
                  …
                </li>
              ) : (
                <li key={n}>
                  {n === data.page ? (
                    <span aria-current="page">
                      <span className="visually-hidden">Page </span>
                      {n}
                    </span>
                  ) : (
                    <Link to={pageLink(n)}>
                      <span className="visually-hidden">Page </span>
                      {n}
                    </Link>
                  )}
                </li>
              ),
            )}
            {data.page < data.totalPages ? (
              <li>
                <Link to={pageLink(data.page + 1)} rel="next">
                  Next page
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}

/** The first, the last, and the two either side of the current one, with gaps (null) between. */
function pageNumbers(current: number, last: number): (number | null)[] {
  const wanted = new Set([1, last, current - 2, current - 1, current, current + 1, current + 2]);
  const pages = [...wanted].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const [i, n] of pages.entries()) {
    if (i > 0 && n - pages[i - 1] > 1) out.push(null);
    out.push(n);
  }
  return out;
}
