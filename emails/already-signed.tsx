import { Button, renderEmail, Small, type Email, type SiteContext } from "./layout";

export type AlreadySignedData = {
  site: SiteContext;
  signerName: string;
  /** The signer's "manage my signature" page: change how their name shows, withdraw, erase. */
  manageUrl: string;
  petitionTitle: string;
  petitionUrl: string;
};

/** Sent instead of a confirmation when a confirmed signer signs again: the page they saw was the same. */
export function alreadySignedEmail(d: AlreadySignedData): Email {
  const subject = `You have already signed: ${d.petitionTitle}`;
  return renderEmail({
    site: d.site,
    subject,
    preheader: "Your signature was already counted; nothing more to do.",
    footer: (site) =>
      `You are receiving this because this address was entered, again, to sign a petition it had already signed on ${site}. Nothing has changed, and there is nothing you need to do.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>Dear {d.signerName},</p>
        <p>
          Someone, probably you, tried to sign <strong>{d.petitionTitle}</strong> again with this address. Your
          signature was already confirmed and counted, so nothing has changed.
        </p>
        <Button href={d.petitionUrl}>See the campaign</Button>
        <Small>Sharing the campaign with friends is the best way to help it now.</Small>
        <Small>
          <a href={d.manageUrl}>Manage your signature</a>: change how your name is shown, stop updates, withdraw it, or
          erase your details.
        </Small>
      </>
    ),
    text: `Dear ${d.signerName},

Someone, probably you, tried to sign "${d.petitionTitle}" again with this address. Your signature was already confirmed and counted, so nothing has changed.

See the campaign: ${d.petitionUrl}

Sharing the campaign with friends is the best way to help it now.

Manage your signature (change how your name is shown, stop updates, withdraw it, or erase your details):
${d.manageUrl}`,
  });
}
