import { Trans } from "react-i18next";
import { renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

/** Stand-ins for each recipient's own links, replaced by the worker as it sends (app/models/update.server.ts). */
export const UPDATE_PLACEHOLDERS = {
  unsubscribePetition: "%%UNSUBSCRIBE_PETITION_URL%%",
  unsubscribeAll: "%%UNSUBSCRIBE_ALL_URL%%",
  manageSignature: "%%MANAGE_SIGNATURE_URL%%",
} as const;

/** Puts one recipient's links into an update email rendered with the placeholders. */
export function fillUpdateLinks(template: string, links: { petition: string; all: string; manage: string }): string {
  return template
    .replaceAll(UPDATE_PLACEHOLDERS.unsubscribePetition, links.petition)
    .replaceAll(UPDATE_PLACEHOLDERS.unsubscribeAll, links.all)
    .replaceAll(UPDATE_PLACEHOLDERS.manageSignature, links.manage);
}

export type UpdateEmailData = {
  site: SiteContext;
  lang: EmailLanguage;
  petitionTitle: string;
  /** The language the campaign (and so its updates) is written in: its words carry it as `lang`. */
  petitionLanguage?: string;
  updateTitle: string;
  /** Sanitized HTML of the update (app/lib/markdown.server.ts). */
  bodyHtml: string;
  bodyText: string;
  updateUrl: string;
  /** Test sends go to the organizer and say so. */
  test?: boolean;
};

/**
 * An update from a campaign's organizers to the signers who asked for them.
 * Rendered once per update and language; every recipient's copy differs only
 * in the unsubscribe links.
 */
export function updateEmail(d: UpdateEmailData): Email {
  const { t } = d.lang;
  const written = d.petitionLanguage ?? "en";
  const names = { title: d.updateTitle, petition: d.petitionTitle };
  const subject = d.test ? t("email.update.subjectTest", names) : t("email.update.subject", names);
  const p = UPDATE_PLACEHOLDERS;
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject,
    preheader: t("email.update.preheader", { petition: d.petitionTitle }),
    footer: (site) => (d.test ? t("email.update.footerTest", { site }) : t("email.update.footer", { site })),
    body: (
      <>
        {d.test ? (
          <p style={{ marginTop: 0, padding: 8, background: "#fff4ce" }}>{t("email.update.testBanner")}</p>
        ) : null}
        <p style={{ marginTop: 0, color: "#55575d" }}>
          <Trans t={t} i18nKey="email.update.intro" components={{ 1: <span lang={written}>{d.petitionTitle}</span> }} />
        </p>
        <h1 lang={written} style={{ fontSize: 22, lineHeight: 1.25, margin: "0 0 12px" }}>
          {d.updateTitle}
        </h1>
        <div lang={written} dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
        <p>
          <a href={d.updateUrl}>{t("email.update.readOnPage")}</a>
        </p>
        <Small>
          {t("email.update.why")} <a href={p.unsubscribePetition}>{t("email.update.stopCampaign")}</a> ·{" "}
          <a href={p.unsubscribeAll}>{t("email.update.stopAll")}</a> ·{" "}
          <a href={p.manageSignature}>{t("email.update.manage")}</a>
        </Small>
      </>
    ),
    text: `${d.test ? `${t("email.update.testBannerText")}\n\n` : ""}${t("email.update.introText", { petition: d.petitionTitle })}

${d.updateTitle}

${d.bodyText.trim()}

${t("email.update.readOnPageText", { url: d.updateUrl })}

${t("email.update.why")}
${t("email.update.stopCampaignText", { url: p.unsubscribePetition })}
${t("email.update.stopAllText", { url: p.unsubscribeAll })}
${t("email.update.manageText", { url: p.manageSignature })}`,
  });
}
