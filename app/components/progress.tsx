import { goalFor } from "~/lib/goal";
import { formatCount } from "~/lib/time";

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
  const target = goalFor(count, goal);
  return (
    <div className={compact ? "progress progress--compact" : "progress"}>
      <p className="progress-count">
        <strong>{formatCount(count)}</strong> {count === 1 ? "signature" : "signatures"}
      </p>
      {showGoal ? (
        <>
          <div
            className="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={target}
            aria-valuenow={Math.min(count, target)}
            aria-label={`${formatCount(count)} of ${formatCount(target)} signatures`}
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
            <strong>{formatCount(target - Math.min(count, target))} more</strong> to reach {formatCount(target)}
          </p>
        </>
      ) : null}
    </div>
  );
}
