import { renderEmail, Small, type Email, type SiteContext } from "./layout";

export type ManageLinksData = {
  site: SiteContext;
  /** One per signature, newest first. */
  signatures: { petitionTitle: string; confirmed: boolean; manageUrl: string }[];
  expiresInDays: number;
};

/**
 * The answer to "send me my manage links": one link per signature this
 * mailbox made. It greets nobody by name, since the form was filled in by
 * whoever typed the address, and only the mailbox should learn what it signed.
 */
export function manageLinksEmail(d: ManageLinksData): Email {
  const subject = "Your links to manage your signatures";
  const state = (confirmed: boolean) => (confirmed ? "confirmed" : "not confirmed yet");
  return renderEmail({
    site: d.site,
    subject,
    preheader: "Change how your name is shown, stop updates, withdraw or erase a signature.",
    footer: (site) =>
      `You are receiving this because this address was entered on ${site} to ask for links to manage its signatures. If that was not you, ignore this email: nothing changes unless a link is used.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>Hello,</p>
        <p>
          Someone, probably you, asked for links to manage the signatures made with this address. Each link opens a page
          where you can change how your name is shown, stop or start updates, withdraw the signature, or erase your
          details.
        </p>
        <ul style={{ paddingLeft: 20 }}>
          {d.signatures.map((s) => (
            <li key={s.manageUrl} style={{ marginBottom: 12 }}>
              <strong>{s.petitionTitle}</strong> ({state(s.confirmed)})
              <br />
              <a href={s.manageUrl}>Manage this signature</a>
            </li>
          ))}
        </ul>
        <Small>
          The links work for {d.expiresInDays} days and replace any you were sent before. Anyone with a link can change
          that signature, so do not forward this email. If you did not ask for it, you can ignore it: nothing changes
          unless a link is used.
        </Small>
      </>
    ),
    text: `Hello,

Someone, probably you, asked for links to manage the signatures made with this address. Each link opens a page where you can change how your name is shown, stop or start updates, withdraw the signature, or erase your details.

${d.signatures.map((s) => `"${s.petitionTitle}" (${state(s.confirmed)})\n${s.manageUrl}`).join("\n\n")}

The links work for ${d.expiresInDays} days and replace any you were sent before. Anyone with a link can change that signature, so do not forward this email. If you did not ask for it, you can ignore it: nothing changes unless a link is used.`,
  });
}
