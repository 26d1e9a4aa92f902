import { Trans } from "react-i18next";
import { Button, renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type ConfirmSignatureData = {
  site: SiteContext;
  signerName: string;
  /** The signer's "manage my signature" page: change how their name shows, withdraw, erase. */
  manageUrl: string;
  petitionTitle: string;
  confirmUrl: string;
  expiresInDays: number;
};

export function confirmSignatureEmail(d: ConfirmSignatureData, lang: EmailLanguage): Email {
  const { t } = lang;
  const k = (key: string) => `email.confirmSignature.${key}`;
  const days = { count: d.expiresInDays };
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
            i18nKey={k("thanks")}
            values={{ title: d.petitionTitle }}
            components={{ 1: <strong translate="no" /> }}
          />
        </p>
        <Button href={d.confirmUrl}>{t(k("button"))}</Button>
        <Small>
          {t(k("howItWorks"), days)}{" "}
          <a href={d.confirmUrl} translate="no">
            {d.confirmUrl}
          </a>
        </Small>
        <Small>
          <Trans t={t} i18nKey={k("manage")} components={{ 1: <a href={d.manageUrl} /> }} />
        </Small>
      </>
    ),
    text: [
      t(k("greeting"), { name: d.signerName }),
      t(k("thanksText"), { title: d.petitionTitle }),
      `${t(k("openLink"))}\n${d.confirmUrl}`,
      t(k("ttl"), days),
      `${t(k("manageText"))}\n${d.manageUrl}`,
    ].join("\n\n"),
  });
}
