import { Button, renderEmail, Small, type Email, type SiteContext } from "./layout";

export type ConfirmSignatureData = {
  site: SiteContext;
  signerName: string;
  /** The signer's "manage my signature" page: change how their name shows, withdraw, erase. */
  manageUrl: string;
  petitionTitle: string;
  confirmUrl: string;
  expiresInDays: number;
};

export function confirmSignatureEmail(d: ConfirmSignatureData): Email {
  const subject = `Please confirm your signature: ${d.petitionTitle}`;
  return renderEmail({
    site: d.site,
    subject,
    preheader: "One more step: confirm your signature so that it counts.",
    footer: (site) =>
      `You are receiving this because this address was used to sign a petition on ${site}. If that was not you, ignore this email: nothing is counted unless the link is used.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>Dear {d.signerName},</p>
        <p>
          Thank you for signing <strong>{d.petitionTitle}</strong>. Your signature counts once you confirm it:
        </p>
        <Button href={d.confirmUrl}>Confirm my signature</Button>
        <Small>
          The link opens a page with a button; your signature is confirmed only when you press it. The link works for{" "}
          {d.expiresInDays} days. If the button does not work, copy this address into your browser:{" "}
          <a href={d.confirmUrl}>{d.confirmUrl}</a>
        </Small>
        <Small>
          Changed your mind? <a href={d.manageUrl}>Manage your signature</a>: change how your name is shown, withdraw
          it, or erase your details.
        </Small>
      </>
    ),
    text: `Dear ${d.signerName},

Thank you for signing "${d.petitionTitle}". Your signature counts once you confirm it.

Open this link and press "Confirm my signature":
${d.confirmUrl}

The link works for ${d.expiresInDays} days.

Changed your mind? Manage your signature (change how your name is shown, withdraw it, or erase your details):
${d.manageUrl}`,
  });
}
