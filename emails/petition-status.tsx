import { Trans } from "react-i18next";
import { emailNumber } from "./numbers";
import { Button, renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type PetitionStatusEvent =
  | "submitted"
  | "published"
  | "rejected"
  | "hidden"
  | "closed"
  | "victory"
  | "reopened"
  | "milestone"
  | "image-approved"
  | "image-declined";

export type PetitionStatusData = {
  site: SiteContext;
  lang: EmailLanguage;
  event: PetitionStatusEvent;
  petitionTitle: string;
  /** The language the petition is written in (`petitions.language`): its title carries it. */
  petitionLanguage: string;
  dashboardUrl: string;
  publicUrl: string;
  /** For rejections: the reason's wording, and the moderator's note if any. */
  reason?: string | null;
  note?: string | null;
  /** For milestones: the count just reached, and the goal the page shows next. */
  count?: number;
  nextGoal?: number;
};

/** Catalog keys under email.petitionStatus.<event>, and where the button goes. */
const COPY: Record<PetitionStatusEvent, { key: string; lines: (d: PetitionStatusData) => string[]; cta: "dashboard" | "public" }> = {
  submitted: { key: "submitted", lines: () => ["line1", "line2"], cta: "dashboard" },
  published: { key: "published", lines: () => ["line1", "line2"], cta: "public" },
  rejected: {
    key: "rejected",
    lines: (d) => [d.reason ? "line1" : "line1NoReason", ...(d.note ? ["note"] : []), "line2"],
    cta: "dashboard",
  },
  hidden: { key: "hidden", lines: (d) => ["line1", ...(d.note ? ["note"] : [])], cta: "dashboard" },
  closed: { key: "closed", lines: () => ["line1"], cta: "dashboard" },
  victory: { key: "victory", lines: () => ["line1"], cta: "public" },
  reopened: { key: "reopened", lines: () => ["line1"], cta: "public" },
  "image-approved": { key: "imageApproved", lines: () => ["line1"], cta: "public" },
  "image-declined": { key: "imageDeclined", lines: () => ["line1", "line2"], cta: "dashboard" },
  milestone: {
    key: "milestone",
    lines: (d) => ["line1", ...(d.nextGoal ? ["line2"] : []), "line3"],
    cta: "dashboard",
  },
}; // prettier-ignore

/** The email organizers get at each step of their petition's life, in the organizer's language. */
export function petitionStatusEmail(d: PetitionStatusData): Email {
  const { t } = d.lang;
  const copy = COPY[d.event];
  const values = {
    title: d.petitionTitle,
    reason: d.reason ?? "",
    note: d.note ?? "",
    number: emailNumber(d.count ?? 0, d.lang),
    nextGoal: emailNumber(d.nextGoal ?? 0, d.lang),
    // Only the milestone's words are counted (their plural forms follow the count).
    ...(d.event === "milestone" ? { count: d.count ?? 0 } : {}),
  };
  const subject = t(`email.petitionStatus.${copy.key}.subject`, values);
  const lines = copy.lines(d).map((line) => t(`email.petitionStatus.${copy.key}.${line}`, values));
  const url = copy.cta === "public" ? d.publicUrl : d.dashboardUrl;
  const label = t(copy.cta === "public" ? "email.petitionStatus.seePetition" : "email.petitionStatus.openDashboard");
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject,
    preheader: lines[0],
    footer: (site) => t("email.petitionStatus.footer", { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          <Trans
            t={t}
            i18nKey="email.petitionStatus.about"
            values={{ title: d.petitionTitle }}
            components={{ 1: <strong lang={d.petitionLanguage} /> }}
          />
        </p>
        {lines.map((l) => (
          <p key={l}>{l}</p>
        ))}
        <Button href={url}>{label}</Button>
        <Small>{t("email.petitionStatus.why")}</Small>
      </>
    ),
    text: `${t("email.petitionStatus.aboutText", { title: d.petitionTitle })}

${lines.join("\n\n")}

${label}: ${url}`,
  });
}
