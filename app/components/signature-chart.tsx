import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { formatDate, formatNumber, type Locale } from "~/lib/i18n";
import { TableScroll } from "./table-scroll";

export type ChartPoint = { day: string; confirmed: number; total: number };

/** Each day's words: short on the axis and in a bar's title, long in the summary and the table. */
export type ChartDays = Record<string, { short: string; long: string }>;

/** The days' words in a language, made once by the loader for the axis, the bars' titles and the table. */
export function chartDays(points: ChartPoint[], locale: Locale): ChartDays {
  return Object.fromEntries(
    points.map((p) => {
      const midnight = `${p.day}T00:00:00Z`;
      return [p.day, { short: formatDate(midnight, locale, "short"), long: formatDate(midnight, locale) }];
    }),
  );
}

/** The smallest of 1, 2, 5, 10, 20, 50 ... that is at least n, so an axis ends on a round number. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= n) return step * magnitude;
  return 10 * magnitude;
}

/** One sentence that says what the chart shows, for its accessible description. */
export function chartSummary(points: ChartPoint[], days: ChartDays, t: TFunction, locale: Locale): string {
  const longDay = (day: string) => days[day]?.long ?? day;
  if (points.length === 0) return t("insights.chart.none");
  const first = points[0];
  const last = points[points.length - 1];
  const added = points.reduce((sum, p) => sum + p.confirmed, 0);
  const busiest = points.reduce((best, p) => (p.confirmed > best.confirmed ? p : best), first);
  const figures = { count: added, added: formatNumber(added, locale), total: formatNumber(last.total, locale) };
  const parts = [
    points.length === 1
      ? t("insights.chart.summaryOneDay", { ...figures, day: longDay(first.day) })
      : t("insights.chart.summary", { ...figures, from: longDay(first.day), to: longDay(last.day) }),
  ];
  if (busiest.confirmed > 0 && points.length > 1)
    parts.push(
      t("insights.chart.busiest", {
        day: longDay(busiest.day),
        confirmed: formatNumber(busiest.confirmed, locale),
      }),
    );
  return parts.join(" ");
}

// Drawing units: the SVG scales to the width of its box (viewBox), so these are proportions, not pixels.
const W = 340;
const LEFT = 46;
const RIGHT = 6;
const PLOT_W = W - LEFT - RIGHT;
const TOTAL_TOP = 22;
const TOTAL_H = 96;
const DAILY_TOP = 146;
const DAILY_H = 50;
const H = 226;

/**
 * Confirmed signatures per day (bars) and the running total (line), drawn on
 * the server as SVG: it needs no JavaScript, scales to a phone's width, and
 * the numbers behind it are in a table below for anyone who cannot see it.
 */
export function SignatureChart({
  points,
  days,
  id = "signature-chart",
}: {
  points: ChartPoint[];
  /** The days' words, from chartDays in the loader. */
  days: ChartDays;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const shortDay = (day: string) => days[day]?.short ?? day;
  const longDay = (day: string) => days[day]?.long ?? day;
  const formatCount = (value: number) => formatNumber(value, locale);
  const n = points.length;
  if (n === 0) return null;
  const maxTotal = niceCeiling(Math.max(...points.map((p) => p.total)));
  const maxDaily = niceCeiling(Math.max(...points.map((p) => p.confirmed)));
  const slot = PLOT_W / n;
  const gap = slot >= 4 ? slot * 0.2 : 0;
  const x = (i: number) => LEFT + i * slot;
  const totalY = (v: number) => TOTAL_TOP + TOTAL_H - (v / maxTotal) * TOTAL_H;
  const dailyH = (v: number) => (v / maxDaily) * DAILY_H;

  // The total as a line through the middle of each day, closed into an area underneath.
  const line = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${(x(i) + slot / 2).toFixed(2)},${totalY(p.total).toFixed(2)}`)
    .join(" ");
  const area = `${line} L${(x(n - 1) + slot / 2).toFixed(2)},${TOTAL_TOP + TOTAL_H} L${(x(0) + slot / 2).toFixed(2)},${TOTAL_TOP + TOTAL_H} Z`;

  const ticks = n >= 3 ? [0, Math.floor((n - 1) / 2), n - 1] : n === 2 ? [0, 1] : [0];
  const anchor = (i: number) => (i === 0 ? "start" : i === n - 1 ? "end" : "middle");
  const tickX = (i: number) => (i === 0 ? x(0) : i === n - 1 ? x(n - 1) + slot : x(i) + slot / 2);

  return (
    <figure className="chart">
      <figcaption id={`${id}-caption`} className="chart-caption">
        {t("insights.chart.caption")}
      </figcaption>
      <svg
        className="chart-svg"
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{t("insights.chart.title")}</title>
        <desc id={`${id}-desc`}>{chartSummary(points, days, t, locale)}</desc>

        <text x={LEFT} y={TOTAL_TOP - 8} className="chart-heading">
          {t("insights.chart.total")}
        </text>
        <text x={LEFT - 4} y={TOTAL_TOP + 4} className="chart-label" textAnchor="end">
          {formatCount(maxTotal)}
        </text>
        <text x={LEFT - 4} y={TOTAL_TOP + TOTAL_H} className="chart-label" textAnchor="end">
          0
        </text>
        <line x1={LEFT} x2={W - RIGHT} y1={TOTAL_TOP} y2={TOTAL_TOP} className="chart-grid" />
        <line x1={LEFT} x2={W - RIGHT} y1={TOTAL_TOP + TOTAL_H} y2={TOTAL_TOP + TOTAL_H} className="chart-axis" />
        {n > 1 ? (
          <>
            <path d={area} className="chart-area" />
            <path d={line} className="chart-line" />
          </>
        ) : (
          <circle cx={x(0) + slot / 2} cy={totalY(points[0].total)} r={4} className="chart-dot" />
        )}

        <text x={LEFT} y={DAILY_TOP - 8} className="chart-heading">
          {t("insights.chart.newEachDay")}
        </text>
        <text x={LEFT - 4} y={DAILY_TOP + 4} className="chart-label" textAnchor="end">
          {formatCount(maxDaily)}
        </text>
        <text x={LEFT - 4} y={DAILY_TOP + DAILY_H} className="chart-label" textAnchor="end">
          0
        </text>
        <line x1={LEFT} x2={W - RIGHT} y1={DAILY_TOP} y2={DAILY_TOP} className="chart-grid" />
        {points.map((p, i) =>
          p.confirmed > 0 ? (
            <rect
              key={p.day}
              x={(x(i) + gap / 2).toFixed(2)}
              y={(DAILY_TOP + DAILY_H - dailyH(p.confirmed)).toFixed(2)}
              width={Math.max(slot - gap, 0.5).toFixed(2)}
              height={Math.max(dailyH(p.confirmed), 0.5).toFixed(2)}
              className="chart-bar"
            >
              <title>
                {t("insights.chart.bar", {
                  day: shortDay(p.day),
                  confirmed: formatCount(p.confirmed),
                  total: formatCount(p.total),
                })}
              </title>
            </rect>
          ) : null,
        )}
        <line x1={LEFT} x2={W - RIGHT} y1={DAILY_TOP + DAILY_H} y2={DAILY_TOP + DAILY_H} className="chart-axis" />

        {ticks.map((i) => (
          <text key={i} x={tickX(i)} y={H - 6} className="chart-label" textAnchor={anchor(i)}>
            {shortDay(points[i].day)}
          </text>
        ))}
      </svg>
      <details className="chart-data">
        <summary>{t("insights.chart.dataSummary")}</summary>
        <TableScroll labelledBy={`${id}-table-caption`}>
          <table className="table">
            <caption id={`${id}-table-caption`} className="visually-hidden">
              {t("insights.chart.tableCaption")}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("insights.chart.day")}</th>
                <th scope="col" className="num">
                  {t("insights.chart.new")}
                </th>
                <th scope="col" className="num">
                  {t("insights.chart.total")}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.day}>
                  <th scope="row">{longDay(p.day)}</th>
                  <td className="num">{formatCount(p.confirmed)}</td>
                  <td className="num">{formatCount(p.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
