import { describe, expect, it } from "vitest";
import { CHALLENGE_REASONS } from "../../app/lib/challenge-puzzle.server";
import { describeReasons } from "../../app/lib/fraud-reasons.server";
import { translator } from "../../app/lib/i18n.server";

/*
 * Why a signature was held is stored in the signing service's English words; a moderator reads it in their
 * language. Each kind of reason the service writes must be recognised, or a Welsh moderator reads English.
 */
const STORED = [
  ...Object.values(CHALLENGE_REASONS),
  "the form came back without a valid time stamp",
  "the form came back after 1.4 s",
  "over the limit for one address burst on this petition",
  "over the limit for one address on this petition",
  "over the limit for one network on this petition",
  "over the limit for one email domain on this petition",
  "over the limit for one address across the site",
  "invalidation 12",
];

describe("a moderator reading why signatures were held", () => {
  it("reads every reason the signing service stores in English exactly as it was stored", () => {
    for (const reason of STORED) expect(describeReasons(reason, translator("en"))).toBe(reason);
  });

  it.each(["cy", "es"] as const)("reads every one of them in their own language (%s)", (language) => {
    const t = translator(language);
    for (const reason of STORED) expect(describeReasons(reason, t), reason).not.toBe(reason);
    expect(describeReasons("the form came back after 1.4 s", t)).toContain("1.4");
    // Two reasons at once, as a flagged signature's are stored.
    const both = describeReasons(
      "over the limit for one network on this petition; the form came back after 2.0 s",
      t,
    ).split("; ");
    expect(both).toHaveLength(2);
    expect(both.every((r) => !/over the limit|came back/.test(r))).toBe(true);
  });

  it("reads a reason written in other words as it was stored, and no reason as none", () => {
    expect(describeReasons("held by hand in 2025", translator("cy"))).toBe("held by hand in 2025");
    expect(describeReasons(null, translator("es"))).toBe("no se registró ningún motivo");
  });
});
