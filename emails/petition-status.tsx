import { Button, renderEmail, Small, type Email, type SiteContext } from "./layout";

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
  event: PetitionStatusEvent;
  petitionTitle: string;
  dashboardUrl: string;
  publicUrl: string;
  /** For rejections: the reason's wording, and the moderator's note if any. */
  reason?: string | null;
  note?: string | null;
  /** For milestones: the count just reached, and the goal the page shows next. */
  count?: number;
  nextGoal?: number;
};

const NUMBER = new Intl.NumberFormat("en-GB");

const COPY: Record<
  PetitionStatusEvent,
  {
    subject: (t: string, d: PetitionStatusData) => string;
    lines: (d: PetitionStatusData) => string[];
    cta: "dashboard" | "public";
  }
> = {
  submitted: {
    subject: (t) => `We have your petition: ${t}`,
    lines: () => [
      "Thank you for submitting your petition. A moderator will check it against our standards, usually within a few days, and we will email you as soon as they have.",
      "You can still read it on your dashboard while you wait.",
    ],
    cta: "dashboard",
  },
  published: {
    subject: (t) => `Your petition is live: ${t}`,
    lines: () => [
      "Your petition has been published and is taking signatures now.",
      "Share it with people who care about the cause: most signatures come from people who hear about a petition from someone they know.",
    ],
    cta: "public",
  },
  rejected: {
    subject: (t) => `Your petition was not published: ${t}`,
    lines: (d) => [
      `A moderator decided not to publish your petition. The reason: ${d.reason ?? "not given"}.`,
      ...(d.note ? [`Their note: ${d.note}`] : []),
      "You are welcome to start a new petition that meets our standards.",
    ],
    cta: "dashboard",
  },
  hidden: {
    subject: (t) => `Your petition has been taken down: ${t}`,
    lines: (d) => [
      "A moderator has taken your petition off the site. It no longer appears anywhere publicly.",
      ...(d.note ? [`Their note: ${d.note}`] : []),
    ],
    cta: "dashboard",
  },
  closed: {
    subject: (t) => `Your petition has closed: ${t}`,
    lines: () => [
      "Your petition has closed and no longer takes signatures. You can still export the signatures to deliver them.",
    ],
    cta: "dashboard",
  },
  victory: {
    subject: (t) => `Victory declared: ${t}`,
    lines: () => ["Congratulations. Your petition now shows that it won."],
    cta: "public",
  },
  reopened: {
    subject: (t) => `Your petition is open again: ${t}`,
    lines: () => ["A moderator has put your petition back on the site."],
    cta: "public",
  },
  "image-approved": {
    subject: (t) => `Your new cover image is on your petition: ${t}`,
    lines: () => [
      "A moderator has looked at the new cover image and approved it. It now shows at the top of your petition and as the picture when people share its link.",
    ],
    cta: "public",
  },
  "image-declined": {
    subject: (t) => `Your new cover image was not approved: ${t}`,
    lines: () => [
      "A moderator has looked at the new cover image and did not approve it, so it has been deleted. Your petition's page is as it was.",
      "You can upload a different picture from the page where you edit the petition.",
    ],
    cta: "dashboard",
  },
  milestone: {
    subject: (t, d) => `Your petition reached ${NUMBER.format(d.count ?? 0)} signatures: ${t}`,
    lines: (d) => [
      `Your petition reached ${NUMBER.format(d.count ?? 0)} signatures. Thank you, and thank everyone who signed.`,
      ...(d.nextGoal ? [`Its page now shows the next goal: ${NUMBER.format(d.nextGoal)} signatures.`] : []),
      "Now is a good moment to share it again, or to post an update to the signers who asked for news.",
    ],
    cta: "dashboard",
  },
};

/** The email organizers get at each step of their petition's life. */
export function petitionStatusEmail(d: PetitionStatusData): Email {
  const copy = COPY[d.event];
  const subject = copy.subject(d.petitionTitle, d);
  const lines = copy.lines(d);
  const url = copy.cta === "public" ? d.publicUrl : d.dashboardUrl;
  const label = copy.cta === "public" ? "See your petition" : "Open your dashboard";
  return renderEmail({
    site: d.site,
    subject,
    preheader: lines[0],
    footer: (site) => `You are receiving this because you organize this petition on ${site}.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          About your petition <strong>{d.petitionTitle}</strong>:
        </p>
        {lines.map((l) => (
          <p key={l}>{l}</p>
        ))}
        <Button href={url}>{label}</Button>
        <Small>You get these emails because you organize this petition.</Small>
      </>
    ),
    text: `About your petition "${d.petitionTitle}":

${lines.join("\n\n")}

${label}: ${url}`,
  });
}
