import { Button, renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type SignInData = { site: SiteContext; lang: EmailLanguage; signInUrl: string; expiresInMinutes: number };

export function signInEmail(d: SignInData): Email {
  const { t } = d.lang;
  const count = d.expiresInMinutes;
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject: t("email.signIn.subject"),
    preheader: t("email.signIn.preheader", { count }),
    footer: (site) => t("email.signIn.footer", { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>{t("email.signIn.hello")}</p>
        <p>{t("email.signIn.intro")}</p>
        <Button href={d.signInUrl}>{t("email.signIn.button")}</Button>
        <Small>
          {t("email.signIn.small", { count })}{" "}
          <a href={d.signInUrl} translate="no">
            {d.signInUrl}
          </a>
        </Small>
      </>
    ),
    text: `${t("email.signIn.hello")}

${t("email.signIn.introText")}
${d.signInUrl}

${t("email.signIn.smallText", { count })}`,
  });
}
