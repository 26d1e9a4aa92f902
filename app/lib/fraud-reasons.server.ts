import type { TFunction } from "i18next";
import { CHALLENGE_REASONS } from "./challenge-puzzle.server";

/*
 * Why a signature was held or flagged is stored in English words (signatures.hold_reason and review_reason,
 * written by the signing service, app/services/signing.server.ts), and kept so: the audit and the exports
 * read them. The moderators' pages show them in their reader's language by recognising each kind of reason
 * the signing service writes. A reason written by an older version in other words is shown as it was stored.
 */

const CHALLENGE_KEYS = Object.fromEntries(
  Object.entries(CHALLENGE_REASONS).map(([kind, text]) => [text, `campaignSafety.reasons.challenge.${kind}`]),
);

/** The signing limits' names, as "over the limit for one <name>" says them. */
const LIMIT_KEYS: Record<string, string> = {
  "address burst on this petition": "addressBurst",
  "address on this petition": "address",
  "network on this petition": "network",
  "email domain on this petition": "domain",
  "address across the site": "addressSiteWide",
};

function describeReason(reason: string, t: TFunction): string {
  const challenge = CHALLENGE_KEYS[reason];
  if (challenge) return t(challenge);
  if (reason === "the form came back without a valid time stamp") return t("campaignSafety.reasons.noStamp");
  const fast = reason.match(/^the form came back after (\d+(?:\.\d+)?) s$/);
  if (fast) return t("campaignSafety.reasons.tooFast", { seconds: fast[1] });
  const limit = reason.match(/^over the limit for one (.+)$/);
  if (limit && LIMIT_KEYS[limit[1]]) return t(`campaignSafety.reasons.overLimit.${LIMIT_KEYS[limit[1]]}`);
  const invalidation = reason.match(/^invalidation (\d+)$/);
  if (invalidation) return t("campaignSafety.reasons.invalidation", { id: invalidation[1] });
  return reason;
}

/** A stored reason (several are joined by "; "), or no reason, as a moderator reads it in the language of `t`. */
export function describeReasons(stored: string | null, t: TFunction): string {
  if (!stored) return t("campaignSafety.reasons.none");
  return stored
    .split("; ")
    .map((r) => describeReason(r, t))
    .join(t("campaignSafety.reasons.separator"));
}
