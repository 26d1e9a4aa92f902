import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CountTable, percent } from "~/components/count-table";
import { Trans, useTranslation } from "react-i18next";
import { formatDate as formatLocalDate, formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { chartDays, SignatureChart } from "~/components/signature-chart";
import { StatusTag } from "~/components/status";
import { TranslationsLink } from "~/components/translation-note";
import { countryName } from "~/lib/countries";
import { requirePetitionAccess } from "~/services/petition-access.server";
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
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

/** What the redirect after each organizer action asks the dashboard to say (keys under organize.dashboard.notices). */
const NOTICES = ["submitted", "published", "edited", "closed", "victory"] as const;

function noticeFor(url: URL): (typeof NOTICES)[number] | null {
  return NOTICES.find((flag) => url.searchParams.get(flag) === "1") ?? null;
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
  const locale = requestLocale(request);
  const t = translator(locale);
  return {
    pageTitle: p.title ? t("organize.dashboard.pageTitle", { title: p.title }) : t("organize.dashboard.pageTitleDraft"),
    language: p.language,
    id: p.id,
    title: p.title,
    status: p.status,
    slug: p.slug,
    appUrl: context.config.appUrl,
    isOrganizer,
    isPublic: PUBLIC_STATES.includes(p.status),
    closesAt: p.closes_at ? formatLocalDate(p.closes_at, locale) : null,
    closedAt: p.closed_at ? formatLocalDate(p.closed_at, locale) : null,
    victoryAt: p.victory_at ? formatLocalDate(p.victory_at, locale) : null,
    rejection:
      p.status === "rejected" || p.status === "hidden"
        ? { reason: REJECTION_REASONS[p.rejection_reason as RejectionReason] ?? null, note: p.rejection_note }
        : null,
    notice: noticeFor(new URL(request.url)),
    figures,
    series,
    chartDays: chartDays(series.points, locale),
    // Sent with the data: a .server module's constant is not in the browser's bundle.
    chartMaxDays: CHART_MAX_DAYS,
    countries: countries.map((c) => ({
      name: countryName(c.country, locale),
      count: c.signature_count,
      share: countryTotal ? (c.signature_count / countryTotal) * 100 : 0,
    })),
    recent: recent?.map((s) => ({
      id: s.id,
      name: s.name,
      erased: s.anonymised_at !== null,
      country: countryName(s.country, locale),
      postcode: s.postcode,
      email: s.email,
      confirmedAt: s.confirmed_at ? formatLocalDate(s.confirmed_at, locale) : null,
    })),
  };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const published = ["open", "closed", "victory"].includes(d.status);
  return (
    <section className="dashboard">
      <p>
        {d.isOrganizer ? (
          <Link to="/account">{t("organize.dashboard.backOrganizer")}</Link>
        ) : (
          <Link to="/moderate">{t("organize.dashboard.backModerator")}</Link>
        )}
      </p>
      <p className="eyebrow">{t("organize.dashboard.eyebrow")}</p>
      {d.title ? <h1 lang={d.language}>{d.title}</h1> : <h1>{t("organize.dashboard.untitled")}</h1>}
      <p>
        <StatusTag status={d.status} />
      </p>

      {d.notice ? (
        <p className="notice" role="status">
          {t(`organize.dashboard.notices.${d.notice}`)}
        </p>
      ) : null}

      {d.isOrganizer ? (
        <NextSteps d={d} published={published} />
      ) : (
        <div className="notice">
          <p>{t("organize.dashboard.asModerator")}</p>
          <ul className="action-links">
            {d.isPublic ? (
              <li>
                <Link to={`/petitions/${d.slug}`}>{t("organize.dashboard.publicPage")}</Link>
              </li>
            ) : null}
            {d.status !== "draft" ? (
              <li>
                <Link to={`/moderate/${d.id}`}>{t("organize.dashboard.reviewPage")}</Link>
              </li>
            ) : null}
          </ul>
        </div>
      )}

      {d.status === "draft" || d.status === "in_review" ? (
        <p>{t("organize.dashboard.notYetPublished")}</p>
      ) : (
        <Figures d={d} />
      )}

      {d.isOrganizer && d.status === "open" ? <EmbedSnippet d={d} /> : null}
    </section>
  );
}

/** The widget's code for the organizer's own site (app/routes/embed.$slug.tsx, public/widget.js). */
function EmbedSnippet({ d }: { d: Data }) {
  const { t } = useTranslation();
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const snippet = [
    `<iframe src="${d.appUrl}/embed/${d.slug}" title="${escape(t("organize.embed.frameTitle", { title: d.title }))}"`,
    `  width="100%" height="760" loading="lazy" style="border: 0; max-width: 28rem;"></iframe>`,
    `<script src="${d.appUrl}/widget.js" async></script>`,
  ].join("\n");
  return (
    <section aria-labelledby="embed-heading">
      <h2 id="embed-heading">{t("organize.embed.heading")}</h2>
      <p>{t("organize.embed.body")}</p>
      <div className="field">
        <label htmlFor="embed-code">{t("organize.embed.label")}</label>
        <textarea id="embed-code" readOnly rows={4} value={snippet} className="code" />
      </div>
      <p className="hint">
        <a href={`/embed/${d.slug}`}>{t("organize.embed.seeWidget")}</a>
      </p>
    </section>
  );
}

function Figures({ d }: { d: Data }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const count = (n: number) => formatNumber(n, locale);
  const f = d.figures;
  return (
    <>
      <h2 id="figures-heading">{t("organize.dashboard.figures.heading")}</h2>
      <dl className="figures" aria-labelledby="figures-heading">
        <div className="figure">
          <dt>{t("organize.dashboard.figures.confirmed")}</dt>
          <dd>{count(f.confirmed)}</dd>
        </div>
        <div className="figure">
          <dt>{t("organize.dashboard.figures.pending")}</dt>
          <dd>{f.pending === null ? t("organize.dashboard.figures.beingCounted") : count(f.pending)}</dd>
        </div>
        <div className="figure">
          <dt>{t("organize.dashboard.figures.rate")}</dt>
          <dd>{f.confirmationRate === null ? "–" : percent(f.confirmationRate)}</dd>
        </div>
        <div className="figure">
          <dt>{t("organize.dashboard.figures.subscribers")}</dt>
          <dd>{f.subscribers === null ? t("organize.dashboard.figures.beingCounted") : count(f.subscribers)}</dd>
        </div>
      </dl>
      {f.asOf || f.pending === null ? (
        <p className="hint">
          {f.asOf ? (
            <Trans
              i18nKey="organize.dashboard.figures.countedAt"
              values={{ time: new Date(f.asOf).toISOString().slice(11, 16) }}
              components={{ 1: <time dateTime={f.asOf} /> }}
            />
          ) : (
            t("organize.dashboard.figures.counted")
          )}
        </p>
      ) : null}
      <p className="hint">{t("organize.dashboard.figures.explain")}</p>
      {f.held !== null && f.held > 0 ? (
        <p className="hint">{t("organize.dashboard.figures.held", { count: f.held, number: count(f.held) })}</p>
      ) : null}

      <h2>{t("organize.dashboard.chart.heading")}</h2>
      {d.series.points.length > 0 && f.confirmed > 0 ? (
        <>
          <SignatureChart points={d.series.points} days={d.chartDays} />
          {d.series.daysLeftOut > 0 ? (
            <p className="hint">
              {t("organize.dashboard.chart.leftOut", {
                count: d.series.daysLeftOut,
                number: count(d.series.daysLeftOut),
                days: d.chartMaxDays,
              })}
            </p>
          ) : null}
        </>
      ) : (
        <p>{t("organize.dashboard.chart.none")}</p>
      )}

      <h2 id="countries-heading">{t("organize.dashboard.countries.heading")}</h2>
      {d.countries.length > 0 ? (
        <TableScroll labelledBy="countries-heading">
          <CountTable
            by={t("organize.dashboard.countries.country")}
            rows={d.countries.map((c) => ({ label: c.name, count: c.count, share: c.share }))}
            share
          />
        </TableScroll>
      ) : (
        <p>{t("organize.dashboard.none")}</p>
      )}

      {d.recent ? <RecentSignatures id={d.id} recent={d.recent} /> : null}
    </>
  );
}

function NextSteps({ d, published }: { d: Data; published: boolean }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="next-heading" className="card next-steps">
      <h2 id="next-heading">{t("organize.dashboard.next.heading")}</h2>
      <p>
        <StatusAdvice d={d} />
      </p>
      {d.rejection?.note ? <p className="rejection-note">{d.rejection.note}</p> : null}
      <ul className="action-links">
        {d.status !== "hidden" && d.status !== "rejected" ? (
          <li>
            <Link to={`/organize/${d.id}/edit`}>
              {d.status === "draft" ? t("organize.dashboard.next.editDraft") : t("organize.dashboard.next.editText")}
            </Link>
          </li>
        ) : null}
        <li>
          <Link to={`/organize/${d.id}/manage`}>{t(manageLabel(d.status))}</Link>
        </li>
        {d.status !== "hidden" && d.status !== "rejected" ? <TranslationsLink id={d.id} /> : null}
        {d.isPublic ? (
          <li>
            <Link to={`/petitions/${d.slug}`}>{t("organize.dashboard.publicPage")}</Link>
          </li>
        ) : null}
        {d.status !== "hidden" && d.status !== "rejected" ? (
          <li>
            <Link to={`/organize/${d.id}/decision-makers`}>{t("organize.dashboard.next.decisionMakers")}</Link>
          </li>
        ) : null}
        {published ? (
          <>
            <li>
              <Link to={`/organize/${d.id}/updates`}>{t("organize.dashboard.next.updates")}</Link>
            </li>
            <li>
              <a href={`/organize/${d.id}/export.csv`} download>
                {t("organize.dashboard.next.download")}
              </a>
            </li>
            <li>
              <Link to={`/organize/${d.id}/deliver`}>{t("organize.dashboard.next.print")}</Link>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  );
}

/** What the manage page offers in each state, so the link says where it leads. */
function manageLabel(status: Data["status"]): string {
  if (status === "open") return "organize.dashboard.next.manageOpen";
  if (status === "closed") return "organize.dashboard.next.manageClosed";
  return "organize.dashboard.next.manage";
}

function StatusAdvice({ d }: { d: Data }) {
  const { t } = useTranslation();
  const k = "organize.dashboard.advice";
  switch (d.status) {
    case "draft":
      return t(`${k}.draft`);
    case "in_review":
      return t(`${k}.inReview`);
    case "open":
      return d.closesAt ? t(`${k}.openUntil`, { date: d.closesAt }) : t(`${k}.open`);
    case "closed":
      return d.closedAt ? t(`${k}.closedOn`, { date: d.closedAt }) : t(`${k}.closed`);
    case "victory":
      return d.victoryAt ? t(`${k}.victoryOn`, { date: d.victoryAt }) : t(`${k}.victory`);
    case "rejected":
      return d.rejection?.reason ? t(`${k}.rejectedBecause`, { reason: d.rejection.reason }) : t(`${k}.rejected`);
    case "hidden":
      return t(`${k}.hidden`);
  }
}

function RecentSignatures({ id, recent }: { id: number; recent: NonNullable<Data["recent"]> }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const k = "organize.dashboard.recent";
  return (
    <section>
      <h2 id="recent-heading">{t(`${k}.heading`)}</h2>
      {recent.length === 0 ? (
        <p>{t("organize.dashboard.none")}</p>
      ) : (
        <>
          <p className="hint">
            <Trans
              i18nKey={`${k}.explain`}
              count={recent.length}
              values={{ number: formatNumber(recent.length, locale) }}
              // eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans puts the catalog's words inside it
              components={{ 1: <a href={`/organize/${id}/export.csv`} /> }}
            />
          </p>
          <p className="hint scroll-hint">{t(`${k}.scroll`)}</p>
          <TableScroll labelledBy="recent-heading">
            <table className="table table--wide recent-signatures">
              <thead>
                <tr>
                  <th scope="col">{t(`${k}.name`)}</th>
                  <th scope="col">{t(`${k}.country`)}</th>
                  <th scope="col">{t(`${k}.postcode`)}</th>
                  <th scope="col">{t(`${k}.email`)}</th>
                  <th scope="col">{t(`${k}.confirmed`)}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((s) => (
                  <tr key={s.id}>
                    {/* The signer erased their details (or the campaign's retention period ran out): the signature still counts. */}
                    <td>
                      {s.erased ? (
                        <span className="hint">{t(`${k}.erased`)}</span>
                      ) : (
                        <span translate="no">{s.name}</span>
                      )}
                    </td>
                    <td>{s.country}</td>
                    <td>
                      {s.postcode ? (
                        <span translate="no">{s.postcode}</span>
                      ) : (
                        <Missing why={t(s.erased ? `${k}.missingErased` : `${k}.missingNone`)} />
                      )}
                    </td>
                    <td className="email">
                      {s.email ? (
                        <span translate="no">{s.email}</span>
                      ) : (
                        <Missing why={t(s.erased ? `${k}.missingErased` : `${k}.missingNotShared`)} />
                      )}
                    </td>
                    <td>{s.confirmedAt ? s.confirmedAt : <Missing why={t(`${k}.missingUnknown`)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
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
