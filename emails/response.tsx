import type { TFunction } from "i18next";
import { Trans } from "react-i18next";
import { renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";
import { UPDATE_PLACEHOLDERS } from "./update";

export type ResponseEmailData = {
  site: SiteContext;
  lang: EmailLanguage;
  petitionTitle: string;
  /** The language the campaign is written in: its title carries it as `lang`. */
  petitionLanguage?: string;
  /** The name and title the response is signed with. */
  name: string;
  title: string | null;
  /** The date it was given, written in the reader's language ("3 March 2027"). */
  respondedOn: string;
  /** Sanitized HTML of the response, and the same as plain text. */
  bodyHtml: string;
  bodyText: string;
  responseUrl: string;
  /** For a response an organizer recorded from elsewhere: where it was published, if anywhere. */
  recorded: { sourceUrl: string | null } | null;
};

/** Who signed a response, as they gave it: "Jane Doe, Home Secretary". */
function signedBy(d: Pick<ResponseEmailData, "name" | "title">): string {
  return `${d.name}${d.title ? `, ${d.title}` : ""}`;
}

/** The subject and heading: "Response from Jane Doe, Home Secretary", in the language of `t`. */
export function responseHeading(d: Pick<ResponseEmailData, "name" | "title">, t: TFunction): string {
  return t("email.response.heading", { who: signedBy(d) });
}

/**
 * A decision maker's response, to each signer who asked for updates: sent through the update queue, so
 * every copy gets its reader's own unsubscribe links in place of the placeholders (emails/update.tsx).
 */
export function responseEmail(d: ResponseEmailData): Email {
  const { t } = d.lang;
  const heading = responseHeading(d, t);
  const date = d.respondedOn;
  const written = d.petitionLanguage ?? "en";
  const p = UPDATE_PLACEHOLDERS;
  const source = d.recorded?.sourceUrl ?? null;
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject: t("email.response.subject", { heading, petition: d.petitionTitle }),
    preheader: t("email.response.preheader", { petition: d.petitionTitle }),
    footer: (site) => t("email.response.footer", { site }),
    body: (
      <>
        <p style={{ marginTop: 0, color: "#55575d" }}>
          <Trans
            t={t}
            i18nKey="email.response.intro"
            components={{ 1: <span lang={written}>{d.petitionTitle}</span> }}
          />
        </p>
        <h1 style={{ fontSize: 22, lineHeight: 1.25, margin: "0 0 4px" }}>
          <Trans
            t={t}
            i18nKey="email.response.headingHtml"
            components={{ 1: <span translate="no">{signedBy(d)}</span> }}
          />
        </h1>
        <p style={{ marginTop: 0, color: "#55575d" }}>{date}</p>
        {d.recorded ? (
          <p style={{ padding: 8, background: "#f6f5f8" }}>
            {source ? (
              <Trans t={t} i18nKey="email.response.recordedSource" components={{ 1: <a href={source} /> }} />
            ) : (
              t("email.response.recorded")
            )}
          </p>
        ) : null}
        <div lang={written} dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
        <p>
          <a href={d.responseUrl}>{t("email.response.readOnPage")}</a>
        </p>
        <Small>
          <a href={p.unsubscribePetition}>{t("email.response.stopCampaign")}</a> ·{" "}
          <a href={p.unsubscribeAll}>{t("email.response.stopAll")}</a> ·{" "}
          <a href={p.manageSignature}>{t("email.response.manage")}</a>
        </Small>
      </>
    ),
    text: `${t("email.response.introText", { petition: d.petitionTitle })}

${heading}
${date}
${d.recorded ? `\n${source ? t("email.response.recordedSourceText", { url: source }) : t("email.response.recorded")}\n` : ""}
${d.bodyText.trim()}

${t("email.response.readOnPageText", { url: d.responseUrl })}

${t("email.response.stopCampaignText", { url: p.unsubscribePetition })}
${t("email.response.stopAllText", { url: p.unsubscribeAll })}
${t("email.response.manageText", { url: p.manageSignature })}`,
  });
}
