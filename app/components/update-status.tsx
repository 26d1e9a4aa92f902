import { formatCount } from "~/lib/time";

export type UpdateProgressFigures = { queued: number; sent: number; failed: number; cancelled: number };

/** Where an update and its email stand, in words. */
export function updateStatusLabel(u: {
  status: "draft" | "published";
  emailStatus: "none" | "queuing" | "sending" | "stopped";
  progress: UpdateProgressFigures | null;
}): string {
  if (u.status === "draft") return "Draft: not published";
  switch (u.emailStatus) {
    case "none":
      return "Published, not emailed";
    case "queuing":
      return "Published; emailing (adding recipients)";
    case "sending":
      return u.progress && u.progress.queued > 0 ? "Published; emailing" : "Published and emailed";
    case "stopped":
      return "Published; emailing stopped by a moderator";
  }
}

/** Sent, queued, failed and cancelled, as one line. */
export function ProgressFigures({ progress }: { progress: UpdateProgressFigures | null }) {
  if (!progress) return <span className="hint">Not emailed</span>;
  return (
    <span className="update-progress">
      {formatCount(progress.sent)} sent · {formatCount(progress.queued)} queued · {formatCount(progress.failed)} failed
      · {formatCount(progress.cancelled)} cancelled
    </span>
  );
}
