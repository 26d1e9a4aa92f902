import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DecisionMakers } from "~/components/decision-makers";
import { SignatureProgress } from "~/components/progress";
import { publicPageHeaders } from "~/lib/cache-control.server";
import { Trans, useTranslation } from "react-i18next";
import { formatDate, formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { publicState, searchPetitions } from "~/models/browse.server";
import { BROWSE_SORTS, type BROWSE_STATES } from "~/lib/browse";
import { readListParams } from "~/services/public-api.server";

/** The same for every visitor with the same address: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "description", content: data?.description },
];

/** Catalog keys of the filter's choices. */
const STATE_LABELS: Record<(typeof BROWSE_STATES)[number] | "", string> = {
  "": "browse.state.all",
  open: "browse.state.open",
  closed: "browse.state.closed",
  victory: "browse.state.victory",
};
const SORT_LABELS: Record<(typeof BROWSE_SORTS)[number], string> = {
  relevance: "browse.sort.relevance",
  popular: "browse.sort.popular",
  recent: "browse.sort.recent",
  closing_soon: "browse.sort.closingSoon",
};
const PER_PAGE = 20;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const t = translator(requestLocale(request));
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
    title: t("browse.title"),
    description: t("browse.description"),
    problem: read.ok ? null : t("browse.problem"),
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
      language: p.language,
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
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
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
        <h1>{t("browse.heading")}</h1>
        <p>{t("browse.lead")}</p>
      </section>
      {data.problem ? (
        <p className="notice" role="status">
          {data.problem}
        </p>
      ) : null}
      <Form method="get" className="browse-form" role="search" aria-label={t("browse.formLabel")}>
        <div className="field">
          <label htmlFor="browse-q">{t("browse.search")}</label>
          <input id="browse-q" type="search" name="q" defaultValue={data.q} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="browse-state">{t("browse.show")}</label>
          <select id="browse-state" name="state" defaultValue={data.state}>
            {Object.entries(STATE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {t(label)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="browse-sort">{t("browse.order")}</label>
          <select id="browse-sort" name="sort" defaultValue={data.sortChosen}>
            {BROWSE_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(SORT_LABELS[s])}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("browse.submit")}
        </button>
      </Form>

      <p className="hint" aria-live="polite">
        {data.total === 0
          ? t("browse.noneFound")
          : t(data.q && data.searched ? "browse.showingMatching" : "browse.showing", {
              count: data.total,
              from: formatNumber(from, locale),
              to: formatNumber(to, locale),
              total: formatNumber(data.total, locale),
              q: data.q,
            })}
      </p>

      {data.petitions.length === 0 ? (
        <div className="notice">
          <h2>{t("browse.nothingHere")}</h2>
          {data.q ? (
            <p>
              <Trans i18nKey="browse.noMatch" values={{ q: data.q }} components={{ 1: <Link to="/petitions" /> }} />
            </p>
          ) : data.total > 0 ? (
            <p>
              <Trans i18nKey="browse.pastLast" components={{ 1: <Link to={pageLink(1)} /> }} />
            </p>
          ) : (
            <p>{t("browse.noneOfKind")}</p>
          )}
          <p>
            <Trans i18nKey="browse.start" components={{ 1: <Link to="/start" /> }} />
          </p>
        </div>
      ) : (
        <ul className="petition-list">
          {data.petitions.map((p) => (
            <li key={p.slug} className="petition-card">
              <h2>
                <Link to={`/petitions/${p.slug}`} lang={p.language}>
                  {p.title}
                </Link>
              </h2>
              <p className="eyebrow">
                {p.state === "open"
                  ? p.closesAt
                    ? t("browse.openUntil", { date: formatDate(p.closesAt, locale) })
                    : t("browse.state.open")
                  : p.state === "victory"
                    ? t("browse.state.victory")
                    : t("browse.state.closed")}
              </p>
              <DecisionMakers makers={p.decisionMakers} inline />
              <p lang={p.language}>{p.summary}</p>
              <SignatureProgress count={p.signatureCount} goal={p.goal} compact showGoal={p.state === "open"} />
            </li>
          ))}
        </ul>
      )}

      {data.totalPages > 1 ? (
        <nav className="pager" aria-label={t("browse.pages")}>
          <ul>
            {data.page > 1 ? (
              <li>
                <Link to={pageLink(data.page - 1)} rel="prev">
                  {t("browse.previous")}
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
                      <span className="visually-hidden">{t("browse.page")} </span>
                      {n}
                    </span>
                  ) : (
                    <Link to={pageLink(n)}>
                      <span className="visually-hidden">{t("browse.page")} </span>
                      {n}
                    </Link>
                  )}
                </li>
              ),
            )}
            {data.page < data.totalPages ? (
              <li>
                <Link to={pageLink(data.page + 1)} rel="next">
                  {t("browse.next")}
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
