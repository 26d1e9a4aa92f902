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
          <progress
            max={target}
            value={Math.min(count, target)}
            aria-label={`${formatCount(count)} of ${formatCount(target)} signatures`}
          />
          <p className="progress-goal">Next goal: {formatCount(target)}</p>
        </>
      ) : null}
    </div>
  );
}
