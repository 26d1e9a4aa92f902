import { useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";

export type UpdateProgressFigures = { queued: number; sent: number; failed: number; cancelled: number };

/** Where an update and its email stand: a catalog key (`updateStatus.*`), to be shown with `t`. */
export function updateStatusLabel(u: {
  status: "draft" | "published";
  emailStatus: "none" | "queuing" | "sending" | "stopped";
  progress: UpdateProgressFigures | null;
}): string {
  if (u.status === "draft") return "updateStatus.draft";
  switch (u.emailStatus) {
    case "none":
      return "updateStatus.notEmailed";
    case "queuing":
      return "updateStatus.queuing";
    case "sending":
      return u.progress && u.progress.queued > 0 ? "updateStatus.sending" : "updateStatus.emailed";
    case "stopped":
      return "updateStatus.stopped";
  }
}

/** Sent, queued, failed and cancelled, as one line. */
export function ProgressFigures({ progress }: { progress: UpdateProgressFigures | null }) {
  const { t, i18n } = useTranslation();
  if (!progress) return <span className="hint">{t("updateStatus.noEmail")}</span>;
  const n = (value: number) => formatNumber(value, i18n.language as Locale);
  return (
    <span className="update-progress">
      {t("updateStatus.progress", {
        sent: n(progress.sent),
        queued: n(progress.queued),
        failed: n(progress.failed),
        cancelled: n(progress.cancelled),
      })}
    </span>
  );
}
