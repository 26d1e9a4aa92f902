import { Trans, useTranslation } from "react-i18next";
import { goalFor } from "~/lib/goal";
import { formatNumber, type Locale } from "~/lib/i18n";

/** The count and how far it has come towards the goal. */
export function SignatureProgress({
  count,
  goal,
  compact = false,
  showGoal = true,
}: {
  count: number;
  goal: number | null;
  compact?: boolean;
  /** A petition that no longer takes signatures has no next goal to show. */
  showGoal?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language as Locale);
  const target = goalFor(count, goal);
  return (
    <div className={compact ? "progress progress--compact" : "progress"}>
      <p className="progress-count">
        <Trans
          i18nKey="campaign.progress.count"
          count={count}
          values={{ number: n(count) }}
          components={{ 1: <strong /> }}
        />
      </p>
      {showGoal ? (
        <>
          <div
            className="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={target}
            aria-valuenow={Math.min(count, target)}
            aria-label={t("campaign.progress.bar", { number: n(count), target: n(target) })}
          >
            {/* An SVG's width attribute, not a style: the CSP allows no inline styles. A sliver always shows. */}
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect
                className="progress-fill"
                width={Math.max(2, (100 * Math.min(count, target)) / target)}
                height="10"
              />
            </svg>
          </div>
          <p className="progress-goal">
            <Trans
              i18nKey="campaign.progress.more"
              values={{ more: n(target - Math.min(count, target)), target: n(target) }}
              components={{ 1: <strong /> }}
            />
          </p>
        </>
      ) : null}
    </div>
  );
}
