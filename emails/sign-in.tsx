import { Button, renderEmail, Small, type Email, type SiteContext } from "./layout";

export type SignInData = { site: SiteContext; signInUrl: string; expiresInMinutes: number };

export function signInEmail(d: SignInData): Email {
  const subject = "Your sign-in link for Undersigned";
  return renderEmail({
    site: d.site,
    subject,
    preheader: `Sign in to Undersigned. The link works for ${d.expiresInMinutes} minutes.`,
    footer: (site) =>
      `You are receiving this because this address was entered on ${site} to sign in. If that was not you, ignore this email: nobody can sign in without the link.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>Hello,</p>
        <p>
          Someone, probably you, asked to sign in to Undersigned with this address. Open the link and press “Sign in”:
        </p>
        <Button href={d.signInUrl}>Sign in to Undersigned</Button>
        <Small>
          The link works once, for {d.expiresInMinutes} minutes. If you did not ask for it, ignore this email: nobody
          can sign in without it. If the button does not work, copy this address into your browser:{" "}
          <a href={d.signInUrl}>{d.signInUrl}</a>
        </Small>
      </>
    ),
    text: `Hello,

Someone, probably you, asked to sign in to Undersigned with this address. Open this link and press "Sign in":
${d.signInUrl}

The link works once, for ${d.expiresInMinutes} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.`,
  });
}
