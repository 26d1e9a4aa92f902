import { Trans } from "react-i18next";
import { Button, renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type OrganizerInvitationData = {
  site: SiteContext;
  lang: EmailLanguage;
  petitionTitle: string;
  /** The language the petition is written in (`petitions.language`): its title carries it. */
  petitionLanguage: string;
  invitedBy: string;
  acceptUrl: string;
  expiresInDays: number;
};

export function organizerInvitationEmail(d: OrganizerInvitationData): Email {
  const { t } = d.lang;
  const k = (key: string, values: Record<string, unknown> = {}) =>
    t(`email.organizerInvitation.${key}`, { title: d.petitionTitle, invitedBy: d.invitedBy, ...values });
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject: k("subject"),
    preheader: k("preheader"),
    footer: (site) => k("footer", { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          <Trans
            t={t}
            i18nKey="email.organizerInvitation.body"
            values={{ invitedBy: d.invitedBy, title: d.petitionTitle }}
            components={{ 1: <span translate="no" />, 2: <strong lang={d.petitionLanguage} /> }}
          />
        </p>
        <Button href={d.acceptUrl}>{k("button")}</Button>
        <Small>
          <Trans
            t={t}
            i18nKey="email.organizerInvitation.expires"
            count={d.expiresInDays}
            values={{ invitedBy: d.invitedBy }}
            components={{ 1: <span translate="no" /> }}
          />
        </Small>
      </>
    ),
    text: `${k("bodyText")}

${k("button")}: ${d.acceptUrl}

${k("expiresText", { count: d.expiresInDays })}`,
  });
}
