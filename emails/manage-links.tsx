import { renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type ManageLinksData = {
  site: SiteContext;
  lang: EmailLanguage;
  /** One per signature, newest first; `language` is the campaign's, which its title is written in. */
  signatures: { petitionTitle: string; petitionLanguage?: string; confirmed: boolean; manageUrl: string }[];
  expiresInDays: number;
};

/**
 * The answer to "send me my manage links": one link per signature this
 * mailbox made. It greets nobody by name, since the form was filled in by
 * whoever typed the address, and only the mailbox should learn what it signed.
 */
export function manageLinksEmail(d: ManageLinksData): Email {
  const { t } = d.lang;
  const state = (confirmed: boolean) => t(confirmed ? "email.manageLinks.confirmed" : "email.manageLinks.notConfirmed");
  const small = t("email.manageLinks.small", { count: d.expiresInDays });
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject: t("email.manageLinks.subject"),
    preheader: t("email.manageLinks.preheader"),
    footer: (site) => t("email.manageLinks.footer", { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>{t("email.manageLinks.hello")}</p>
        <p>{t("email.manageLinks.intro")}</p>
        <ul style={{ paddingLeft: 20 }}>
          {d.signatures.map((s) => (
            <li key={s.manageUrl} style={{ marginBottom: 12 }}>
              <strong lang={s.petitionLanguage ?? "en"}>{s.petitionTitle}</strong> ({state(s.confirmed)})
              <br />
              <a href={s.manageUrl}>{t("email.manageLinks.manageThis")}</a>
            </li>
          ))}
        </ul>
        <Small>{small}</Small>
      </>
    ),
    text: `${t("email.manageLinks.hello")}

${t("email.manageLinks.intro")}

${d.signatures.map((s) => `"${s.petitionTitle}" (${state(s.confirmed)})\n${s.manageUrl}`).join("\n\n")}

${small}`,
  });
}
