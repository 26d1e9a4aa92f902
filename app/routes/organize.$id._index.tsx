import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CountTable, percent } from "~/components/count-table";
import { SignatureChart } from "~/components/signature-chart";
import { StatusTag } from "~/components/status";
import { TranslationsLink } from "~/components/translation-note";
import { countryName } from "~/lib/countries";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { formatCount, formatDate } from "~/lib/time";
import {
  CHART_MAX_DAYS,
  chartRange,
  dailySeries,
  dashboardFigures,
  recentConfirmedSignatures,
} from "~/models/dashboard.server";
import { countryCounts, countsPerDay } from "~/models/counts.server";
import { REJECTION_REASONS, type RejectionReason } from "~/schemas/petition.server";
import { PUBLIC_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Dashboard: ${data.title || "Untitled draft"} | Undersigned` : "Dashboard | Undersigned" },
];

/** What the redirect after each organizer action asks the dashboard to say. */
const NOTICES = {
  submitted:
    "Your petition has been sent for review. A moderator will read it, and we will email you when they have decided.",
  published: "Your petition is published and open for signatures. Share its page to start gathering support.",
  edited: "Your changes are saved. The petition’s page now says that the text was edited, and when.",
  closed: "The petition is closed. It no longer takes signatures, and every signature so far still counts.",
  victory: "Congratulations! The petition’s page now shows that your campaign won.",
} as const;

function noticeFor(url: URL): string | null {
  for (const [flag, message] of Object.entries(NOTICES)) if (url.searchParams.get(flag) === "1") return message;
  return null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p, isOrganizer } = await requirePetitionAccess(request, context, params.id, { moderators: true });
  const figures = await dashboardFigures(context.db, p.id);
  const perDay = await countsPerDay(context.db, p.id);
  const range = chartRange(p, perDay);
  const series = range ? dailySeries(perDay, range) : { points: [], daysLeftOut: 0 };
  const countries = await countryCounts(context.db, p.id);
  const countryTotal = countries.reduce((sum, c) => sum + c.signature_count, 0);
  // Moderators see counts only: the query for signers' details is not even made for them.
  const recent = isOrganizer ? await recentConfirmedSignatures(context.db, p.id) : null;
  return {
    id: p.id,
    title: p.title,
    status: p.status,
    slug: p.slug,
    appUrl: context.config.appUrl,
    isOrganizer,
    isPublic: PUBLIC_STATES.includes(p.status),
    closesAt: p.closes_at,
    closedAt: p.closed_at,
    victoryAt: p.victory_at,
    rejection:
      p.status === "rejected" || p.status === "hidden"
        ? { reason: REJECTION_REASONS[p.rejection_reason as RejectionReason] ?? null, note: p.rejection_note }
        : null,
    notice: noticeFor(new URL(request.url)),
    figures,
    series,
    // Sent with the data: a .server module's constant is not in the browser's bundle.
    chartMaxDays: CHART_MAX_DAYS,
    countries: countries.map((c) => ({
      name: countryName(c.country),
      count: c.signature_count,
      share: countryTotal ? (c.signature_count / countryTotal) * 100 : 0,
    })),
    recent: recent?.map((s) => ({
      id: s.id,
      name: s.name,
      erased: s.anonymised_at !== null,
      country: countryName(s.country),
      postcode: s.postcode,
      email: s.email,
      confirmedAt: s.confirmed_at,
    })),
  };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const published = ["open", "closed", "victory"].includes(d.status);
  return (
    <section className="dashboard">
      <p>{d.isOrganizer ? <Link to="/account">← Your campaigns</Link> : <Link to="/moderate">← Moderation</Link>}</p>
      <p className="eyebrow">Dashboard</p>
      <h1>{d.title || "Untitled draft"}</h1>
      <p>
        <StatusTag status={d.status} />
      </p>

      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}

      {d.isOrganizer ? (
        <NextSteps d={d} published={published} />
      ) : (
        <div className="notice">
          <p>
            You are looking at this dashboard as a moderator. It shows counts only: signers’ names and contact details
            are for the organizers.
          </p>
          <ul className="action-links">
            {d.isPublic ? (
              <li>
                <Link to={`/petitions/${d.slug}`}>The public page</Link>
              </li>
            ) : null}
            {d.status !== "draft" ? (
              <li>
                <Link to={`/moderate/${d.id}`}>The review page</Link>
              </li>
            ) : null}
          </ul>
        </div>
      )}

      {d.status === "draft" || d.status === "in_review" ? (
        <p>Signatures, and the figures about them, appear here once the petition is published.</p>
      ) : (
        <Figures d={d} />
      )}

      {d.isOrganizer && d.status === "open" ? <EmbedSnippet d={d} /> : null}
    </section>
  );
}

/** The widget's code for the organizer's own site (app/routes/embed.$slug.tsx, public/widget.js). */
function EmbedSnippet({ d }: { d: Data }) {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const snippet = [
    `<iframe src="${d.appUrl}/embed/${d.slug}" title="Sign the petition: ${escape(d.title)}"`,
    `  width="100%" height="760" loading="lazy" style="border: 0; max-width: 28rem;"></iframe>`,
    `<script src="${d.appUrl}/widget.js" async></script>`,
  ].join("\n");
  return (
    <section aria-labelledby="embed-heading">
      <h2 id="embed-heading">Put the petition on your own site</h2>
      <p>
        Copy this into a page of your site: it shows the title, the count and the signing form, and people sign there
        without leaving your page. The script line is optional: it makes the frame as tall as what it shows.
      </p>
      <div className="field">
        <label htmlFor="embed-code">Code for your site</label>
        <textarea id="embed-code" readOnly rows={4} value={snippet} className="code" />
      </div>
      <p className="hint">
        <a href={`/embed/${d.slug}`}>See the widget on its own</a>
      </p>
    </section>
  );
}

function Figures({ d }: { d: Data }) {
  const f = d.figures;
  return (
    <>
      <h2 id="figures-heading">Signatures</h2>
      <dl className="figures" aria-labelledby="figures-heading">
        <div className="figure">
          <dt>Confirmed</dt>
          <dd>{formatCount(f.confirmed)}</dd>
        </div>
        <div className="figure">
          <dt>Waiting for confirmation</dt>
          <dd>{f.pending === null ? "Being counted" : formatCount(f.pending)}</dd>
        </div>
        <div className="figure">
          <dt>Confirmation rate</dt>
          <dd>{f.confirmationRate === null ? "–" : percent(f.confirmationRate)}</dd>
        </div>
        <div className="figure">
          <dt>Agreed to updates</dt>
          <dd>{f.subscribers === null ? "Being counted" : formatCount(f.subscribers)}</dd>
        </div>
      </dl>
      {f.asOf || f.pending === null ? (
        <p className="hint">
          The confirmed count is up to the second. For a petition this big the other figures are counted every few
          minutes
          {f.asOf ? (
            <>
              {" "}
              (these at <time dateTime={f.asOf}>{new Date(f.asOf).toISOString().slice(11, 16)} UTC</time>)
            </>
          ) : null}
          .
        </p>
      ) : null}
      <p className="hint">
        A signature counts once the signer follows the link we email them. The confirmation rate is the share of
        everyone who signed that has done so. “Agreed to updates” counts confirmed signers who asked for news of this
        campaign.
      </p>
      {f.held !== null && f.held > 0 ? (
        <p className="hint">
          {formatCount(f.held)} {f.held === 1 ? "signature is" : "signatures are"} held by our checks against fake
          signing and not counted above. A moderator looks at them.
        </p>
      ) : null}

      <h2>Signatures over time</h2>
      {d.series.points.length > 0 && f.confirmed > 0 ? (
        <>
          <SignatureChart points={d.series.points} />
          {d.series.daysLeftOut > 0 ? (
            <p className="hint">
              The chart shows the last {d.chartMaxDays} days; {formatCount(d.series.daysLeftOut)} earlier{" "}
              {d.series.daysLeftOut === 1 ? "day is" : "days are"} left out, but counted in the total.
            </p>
          ) : null}
        </>
      ) : (
        <p>No confirmed signatures yet. The chart appears here once the first signer confirms.</p>
      )}

      <h2 id="countries-heading">Where signatures come from</h2>
      {d.countries.length > 0 ? (
        <div className="table-scroll" role="region" aria-labelledby="countries-heading" tabIndex={0}>
          <CountTable
            by="Country"
            rows={d.countries.map((c) => ({ label: c.name, count: c.count, share: c.share }))}
            share
          />
        </div>
      ) : (
        <p>No confirmed signatures yet.</p>
      )}

      {d.recent ? <RecentSignatures id={d.id} recent={d.recent} /> : null}
    </>
  );
}

function NextSteps({ d, published }: { d: Data; published: boolean }) {
  return (
    <section aria-labelledby="next-heading" className="card next-steps">
      <h2 id="next-heading">Next steps</h2>
      <p>{statusAdvice(d)}</p>
      {d.rejection?.note ? <p className="rejection-note">{d.rejection.note}</p> : null}
      <ul className="action-links">
        {d.status !== "hidden" && d.status !== "rejected" ? (
          <li>
            <Link to={`/organize/${d.id}/edit`}>{d.status === "draft" ? "Edit the draft" : "Edit the text"}</Link>
          </li>
        ) : null}
        <li>
          <Link to={`/organize/${d.id}/manage`}>{manageLabel(d.status)}</Link>
        </li>
        {d.status !== "hidden" && d.status !== "rejected" ? <TranslationsLink id={d.id} /> : null}
        {d.isPublic ? (
          <li>
            <Link to={`/petitions/${d.slug}`}>The public page</Link>
          </li>
        ) : null}
        {d.status !== "hidden" && d.status !== "rejected" ? (
          <li>
            <Link to={`/organize/${d.id}/decision-makers`}>Decision makers: delivery and responses</Link>
          </li>
        ) : null}
        {published ? (
          <>
            <li>
              <Link to={`/organize/${d.id}/updates`}>Updates</Link>
            </li>
            <li>
              <a href={`/organize/${d.id}/export.csv`} download>
                Download the signatures (CSV)
              </a>
            </li>
            <li>
              <Link to={`/organize/${d.id}/deliver`}>Print the petition for delivery</Link>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  );
}

/** What the manage page offers in each state, so the link says where it leads. */
function manageLabel(status: Data["status"]): string {
  if (status === "open") return "Manage: closing date, victory, co-organizers";
  if (status === "closed") return "Manage: victory, co-organizers";
  return "Manage co-organizers";
}

function statusAdvice(d: Data): string {
  switch (d.status) {
    case "draft":
      return "This is a draft, not yet on the site. When it is ready, submit it for review.";
    case "in_review":
      return "A moderator is reviewing your petition. You can edit it again once it is published.";
    case "open":
      return `It is open for signatures${d.closesAt ? ` until ${formatDate(d.closesAt)}` : ""}. Share its page: every new signer makes the next one more likely.`;
    case "closed":
      return `It stopped taking signatures${d.closedAt ? ` on ${formatDate(d.closedAt)}` : ""}. Deliver it to the people it is addressed to: print the names, or download the signatures.`;
    case "victory":
      return `Your campaign won${d.victoryAt ? ` on ${formatDate(d.victoryAt)}` : ""}. Thank the people who signed.`;
    case "rejected":
      return `Our moderators did not publish it${d.rejection?.reason ? `. The reason: ${d.rejection.reason}` : ""}.`;
    case "hidden":
      return "Our moderators took it down, so it is no longer on the site.";
  }
}

function RecentSignatures({ id, recent }: { id: number; recent: NonNullable<Data["recent"]> }) {
  return (
    <section>
      <h2 id="recent-heading">Latest signatures</h2>
      {recent.length === 0 ? (
        <p>No confirmed signatures yet.</p>
      ) : (
        <>
          <p className="hint">
            The latest {formatCount(recent.length)} confirmed signatures. An email address is shown only if the signer
            agreed to receive updates; the others are never shared with organizers.{" "}
            <a href={`/organize/${id}/export.csv`}>Download them all (CSV)</a>.
          </p>
          <p className="hint scroll-hint">Scroll the table sideways for the postcode, email and date.</p>
          <div className="table-scroll" role="region" aria-labelledby="recent-heading" tabIndex={0}>
            <table className="table table--wide recent-signatures">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Country</th>
                  <th scope="col">Postcode</th>
                  <th scope="col">Email</th>
                  <th scope="col">Confirmed</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((s) => (
                  <tr key={s.id}>
                    {/* The signer erased their details (or the campaign's retention period ran out): the signature still counts. */}
                    <td>{s.erased ? <span className="hint">Details erased</span> : s.name}</td>
                    <td>{s.country}</td>
                    <td>{s.postcode || <Missing why={s.erased ? "erased" : "none given"} />}</td>
                    <td className="email">{s.email ?? <Missing why={s.erased ? "erased" : "not shared"} />}</td>
                    <td>{s.confirmedAt ? formatDate(s.confirmedAt) : <Missing why="unknown" />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Missing({ why }: { why: string }) {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{why}</span>
    </>
  );
}
