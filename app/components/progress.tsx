import { goalFor } from "~/lib/goal";
import { formatCount } from "~/lib/time";

/** The count and how far it has come towards the goal. */
export function SignatureProgress({ count, goal, compact = false }: { count: number; goal: number | null; compact?: boolean }) {
  const target = goalFor(count, goal);
  return (
    <div className={compact ? "progress progress--compact" : "progress"}>
      <p className="progress-count">
        <strong>{formatCount(count)}</strong> {count === 1 ? "signature" : "signatures"}
      </p>
      <progress max={target} value={Math.min(count, target)} aria-label={`${formatCount(count)} of ${formatCount(target)} signatures`} />
      <p className="progress-goal">Next goal: {formatCount(target)}</p>
    </div>
  );
}
