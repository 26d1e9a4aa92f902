import { Button, renderEmail, Small, type Email, type SiteContext } from "./layout";

export type OrganizerInvitationData = {
  site: SiteContext;
  petitionTitle: string;
  invitedBy: string;
  acceptUrl: string;
  expiresInDays: number;
};

export function organizerInvitationEmail(d: OrganizerInvitationData): Email {
  const subject = `You are invited to help organize: ${d.petitionTitle}`;
  return renderEmail({
    site: d.site,
    subject,
    preheader: `${d.invitedBy} invited you to organize a petition on Undersigned.`,
    footer: (site) =>
      `You are receiving this because an organizer of a petition on ${site} invited this address to help. If you do not want to, ignore this email: nothing happens unless the link is used.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          {d.invitedBy} invited you to organize the petition <strong>{d.petitionTitle}</strong> with them. As a
          co-organizer you can edit its text, follow and export its signatures, and close it or declare victory.
        </p>
        <Button href={d.acceptUrl}>See the invitation</Button>
        <Small>
          The link works for {d.expiresInDays} days. You will be asked to sign in with this email address first. If you
          do not know {d.invitedBy}, ignore this email.
        </Small>
      </>
    ),
    text: `${d.invitedBy} invited you to organize the petition "${d.petitionTitle}" with them. As a co-organizer you can edit its text, follow and export its signatures, and close it or declare victory.

See the invitation: ${d.acceptUrl}

The link works for ${d.expiresInDays} days. If you do not know ${d.invitedBy}, ignore this email.`,
  });
}
