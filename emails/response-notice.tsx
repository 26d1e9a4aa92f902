import type { TFunction } from "i18next";
import { Trans } from "react-i18next";
import { Button, renderEmail, type Email, type EmailLanguage, type SiteContext } from "./layout";

/**
 * What organizers and decision makers are told about responses: a response was published, a moderator
 * hid one, or the person at a decision maker's address said the petition is not for them.
 */
export type ResponseNoticeEvent = "responded" | "hidden" | "hidden-to-maker" | "not-for-me";

export type ResponseNoticeData = {
  site: SiteContext;
  lang: EmailLanguage;
  event: ResponseNoticeEvent;
  petitionTitle: string;
  /** The language the campaign is written in: its title carries it as `lang`. */
  petitionLanguage?: string;
  /** The decision maker the petition is addressed to, as the organizers named them. */
  makerName: string;
  /** The response's heading and its date, written in the reader's language ("Response from …", "3 March 2027"). */
  heading?: string;
  respondedOn?: string;
  /** For "responded": how many subscribers it is emailed to, or null when it is not emailed. */
  emailedTo?: number | null;
  /** For "responded" and not emailed because one from the same decision maker was: when (written in the reader's
   * language), and the interval. */
  lastEmailed?: { on: string; intervalMs: number };
  /** For "hidden": the moderator's reason. */
  reason?: string;
  url: string;
};

/** "3 days", "1 hour", in the reader's language: the largest unit the interval is a whole number of. */
function interval(ms: number, t: TFunction): string {
  const units: [number, string][] = [
    [86_400_000, "days"],
    [3_600_000, "hours"],
    [60_000, "minutes"],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) return t(`email.responseNotice.interval.${unit}`, { count: ms / size });
  }
  return t("email.responseNotice.interval.minutes", { count: Math.ceil(ms / 60_000) });
}

type Copy = { key: string; subject: string; lines: string[]; footer: "footerOrganizer" | "footerMaker" };

function copyFor(d: ResponseNoticeData): Copy {
  const { t } = d.lang;
  const number = new Intl.NumberFormat(d.lang.locale === "en" ? "en-GB" : d.lang.locale);
  const n = "email.responseNotice";
  const heading = d.heading ?? t(`${n}.aResponse`);
  const date = (fallback: string) => d.respondedOn ?? t(`${n}.${fallback}`);
  const reason = d.reason ?? t(`${n}.notGiven`);
  const names = { petition: d.petitionTitle, maker: d.makerName };
  switch (d.event) {
    case "responded":
      return {
        key: `${n}.responded`,
        subject: t(`${n}.responded.subject`, names),
        lines: [
          t(`${n}.responded.line`, { heading, date: date("today") }),
          d.emailedTo === null || d.emailedTo === undefined
            ? d.lastEmailed
              ? t(`${n}.responded.notEmailedRecently`, {
                  date: d.lastEmailed.on,
                  interval: interval(d.lastEmailed.intervalMs, t),
                })
              : t(`${n}.responded.notEmailed`)
            : d.emailedTo === 0
              ? t(`${n}.responded.noSubscribers`)
              : t(`${n}.responded.emailing`, { count: d.emailedTo, n: number.format(d.emailedTo) }),
        ],
        footer: "footerOrganizer",
      };
    case "hidden":
      return {
        key: `${n}.hidden`,
        subject: t(`${n}.hidden.subject`, names),
        lines: [t(`${n}.hidden.line`, { heading, date: date("recently") }), t(`${n}.hidden.reason`, { reason })],
        footer: "footerOrganizer",
      };
    case "hidden-to-maker":
      return {
        key: `${n}.hiddenToMaker`,
        subject: t(`${n}.hiddenToMaker.subject`, names),
        lines: [
          t(`${n}.hiddenToMaker.line`, { petition: d.petitionTitle, date: date("recently") }),
          t(`${n}.hiddenToMaker.reason`, { reason }),
          t(`${n}.hiddenToMaker.again`),
        ],
        footer: "footerMaker",
      };
    case "not-for-me":
      return {
        key: `${n}.notForMe`,
        subject: t(`${n}.notForMe.subject`, names),
        lines: [t(`${n}.notForMe.line`, names), t(`${n}.notForMe.removed`)],
        footer: "footerOrganizer",
      };
  }
}

export function responseNoticeEmail(d: ResponseNoticeData): Email {
  const { t } = d.lang;
  const copy = copyFor(d);
  const cta = t(`${copy.key}.cta`);
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject: copy.subject,
    preheader: copy.lines[0],
    footer: (site) => t(`email.responseNotice.${copy.footer}`, { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          <Trans
            t={t}
            i18nKey="email.responseNotice.about"
            components={{ 1: <strong lang={d.petitionLanguage ?? "en"}>{d.petitionTitle}</strong> }}
          />
        </p>
        {copy.lines.map((l) => (
          <p key={l}>{l}</p>
        ))}
        <Button href={d.url}>{cta}</Button>
      </>
    ),
    text: `${t("email.responseNotice.aboutText", { petition: d.petitionTitle })}

${copy.lines.join("\n\n")}

${t("email.responseNotice.ctaText", { cta, url: d.url })}`,
  });
}
