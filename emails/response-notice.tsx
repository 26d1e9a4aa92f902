import { Button, renderEmail, type Email, type SiteContext } from "./layout";

/**
 * What organizers and decision makers are told about responses: a response was published, a moderator
 * hid one, or the person at a decision maker's address said the petition is not for them.
 */
export type ResponseNoticeEvent = "responded" | "hidden" | "hidden-to-maker" | "not-for-me";

export type ResponseNoticeData = {
  site: SiteContext;
  event: ResponseNoticeEvent;
  petitionTitle: string;
  /** The decision maker the petition is addressed to, as the organizers named them. */
  makerName: string;
  /** The response's heading ("Response from Jane Doe, Home Secretary") and its date, when there is one. */
  heading?: string;
  respondedOn?: string;
  /** For "responded": how many subscribers it is emailed to, or null when it is not emailed, and why. */
  emailedTo?: number | null;
  notEmailedBecause?: string;
  /** For "hidden": the moderator's reason. */
  reason?: string;
  url: string;
};

const NUMBER = new Intl.NumberFormat("en-GB");

const COPY: Record<
  ResponseNoticeEvent,
  {
    subject: (d: ResponseNoticeData) => string;
    lines: (d: ResponseNoticeData) => string[];
    cta: string;
    footer: (site: string) => string;
  }
> = {
  responded: {
    subject: (d) => `${d.makerName} responded to your petition: ${d.petitionTitle}`,
    lines: (d) => [
      `${d.heading ?? "A response"}, dated ${d.respondedOn ?? "today"}, is now on your petition’s page.`,
      d.emailedTo === null || d.emailedTo === undefined
        ? `It was not emailed to the signers: ${d.notEmailedBecause ?? "there was no reason to"}.`
        : d.emailedTo === 0
          ? "No signer has asked for updates yet, so it was not emailed to anyone."
          : `It is being emailed to the ${NUMBER.format(d.emailedTo)} ${d.emailedTo === 1 ? "signer" : "signers"} who asked for updates.`,
    ],
    cta: "Read the response",
    footer: (site) => `You are receiving this because you organize this petition on ${site}.`,
  },
  hidden: {
    subject: (d) => `A moderator hid a response on your petition: ${d.petitionTitle}`,
    lines: (d) => [
      `${d.heading ?? "A response"}, dated ${d.respondedOn ?? "recently"}, is no longer shown on your petition’s page, and any emails of it not yet sent were stopped.`,
      `The moderator’s reason: ${d.reason ?? "not given"}`,
    ],
    cta: "See your petition’s decision makers",
    footer: (site) => `You are receiving this because you organize this petition on ${site}.`,
  },
  "hidden-to-maker": {
    subject: (d) => `Your response was hidden: ${d.petitionTitle}`,
    lines: (d) => [
      `Your response to the petition “${d.petitionTitle}”, dated ${d.respondedOn ?? "recently"}, is no longer shown on its page. A moderator hid it.`,
      `Their reason: ${d.reason ?? "not given"}`,
      "You can still respond again through the link you were sent with the petition, while it works.",
    ],
    cta: "See the petition",
    footer: (site) => `You are receiving this because you responded to this petition on ${site}.`,
  },
  "not-for-me": {
    subject: (d) => `The address you gave for ${d.makerName} is not theirs: ${d.petitionTitle}`,
    lines: (d) => [
      `The person who received your petition at the address you gave for ${d.makerName} said it is not for them.`,
      "We removed that address and revoked the links sent to it: the petition will not be sent there again. You can give another address on the decision makers page.",
    ],
    cta: "See your petition’s decision makers",
    footer: (site) => `You are receiving this because you organize this petition on ${site}.`,
  },
};

export function responseNoticeEmail(d: ResponseNoticeData): Email {
  const copy = COPY[d.event];
  const subject = copy.subject(d);
  const lines = copy.lines(d);
  return renderEmail({
    site: d.site,
    subject,
    preheader: lines[0],
    footer: copy.footer,
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          About the petition <strong>{d.petitionTitle}</strong>:
        </p>
        {lines.map((l) => (
          <p key={l}>{l}</p>
        ))}
        <Button href={d.url}>{copy.cta}</Button>
      </>
    ),
    text: `About the petition "${d.petitionTitle}":

${lines.join("\n\n")}

${copy.cta}: ${d.url}`,
  });
}
