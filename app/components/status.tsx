import type { PetitionStatus } from "../../db/schema";

export const STATUS_LABELS: Record<PetitionStatus, string> = {
  draft: "Draft",
  in_review: "Waiting for review",
  open: "Open",
  closed: "Closed",
  victory: "Victory",
  rejected: "Rejected",
  hidden: "Taken down",
};

export function StatusTag({ status }: { status: PetitionStatus }) {
  return <span className={`status status--${status}`}>{STATUS_LABELS[status]}</span>;
}
