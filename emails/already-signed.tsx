import { Trans } from "react-i18next";
import { Button, renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type AlreadySignedData = {
  site: SiteContext;
  signerName: string;
  /** The signer's "manage my signature" page: change how their name shows, withdraw, erase. */
  manageUrl: string;
  petitionTitle: string;
  petitionUrl: string;
};

/** Sent instead of a confirmation when a confirmed signer signs again: the page they saw was the same. */
export function alreadySignedEmail(d: AlreadySignedData, lang: EmailLanguage): Email {
  const { t } = lang;
  const k = (key: string) => `email.alreadySigned.${key}`;
  return renderEmail({
    site: d.site,
    lang,
    subject: t(k("subject"), { title: d.petitionTitle }),
    preheader: t(k("preheader")),
    footer: (site) => t(k("footer"), { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>{t(k("greeting"), { name: d.signerName })}</p>
        <p>
          <Trans
            t={t}
            i18nKey={k("again")}
            values={{ title: d.petitionTitle }}
            components={{ 1: <strong translate="no" /> }}
          />
        </p>
        <Button href={d.petitionUrl}>{t(k("button"))}</Button>
        <Small>{t(k("share"))}</Small>
        <Small>
          <Trans t={t} i18nKey={k("manage")} components={{ 1: <a href={d.manageUrl} /> }} />
        </Small>
      </>
    ),
    text: [
      t(k("greeting"), { name: d.signerName }),
      t(k("againText"), { title: d.petitionTitle }),
      `${t(k("button"))}: ${d.petitionUrl}`,
      t(k("share")),
      `${t(k("manageText"))}\n${d.manageUrl}`,
    ].join("\n\n"),
  });
}
