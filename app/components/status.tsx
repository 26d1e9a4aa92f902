import { useTranslation } from "react-i18next";
import type { PetitionStatus } from "../../db/schema";

/** Each status's words: catalog keys under organize.status. */
export const STATUS_LABELS: Record<PetitionStatus, string> = {
  draft: "organize.status.draft",
  in_review: "organize.status.inReview",
  open: "organize.status.open",
  closed: "organize.status.closed",
  victory: "organize.status.victory",
  rejected: "organize.status.rejected",
  hidden: "organize.status.hidden",
};

export function StatusTag({ status }: { status: PetitionStatus }) {
  const { t } = useTranslation();
  return <span className={`status status--${status}`}>{t(STATUS_LABELS[status])}</span>;
}
