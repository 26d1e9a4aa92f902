import { Trans } from "react-i18next";
import { emailNumber } from "./numbers";
import { Button, renderEmail, Small, type Email, type EmailLanguage, type SiteContext } from "./layout";

export type PetitionDeliveryData = {
  site: SiteContext;
  /** The campaign's language (`petitions.language`): the email is written in it, as the petition is. */
  lang: EmailLanguage;
  makerName: string;
  makerRole: string | null;
  petitionTitle: string;
  summary: string;
  /** Sanitized HTML of the petition's text, and the same as plain text. */
  bodyHtml: string;
  bodyText: string;
  count: number;
  /** Signatures by country, most first; the rest are summed in `otherCountries`. */
  countries: { name: string; count: number }[];
  otherCountries: number;
  /** The count that triggered this delivery, or null when the organizers sent it. */
  milestone: number | null;
  publicUrl: string;
  printUrl: string;
  respondUrl: string;
};

const cell = { padding: "4px 8px", borderBottom: "1px solid #e3e1e8" };

/**
 * The petition, delivered to one of the people it is addressed to: the count by country, the text, the
 * printable copy, and the private link to respond in public. Written in the petition's own language.
 */
export function petitionDeliveryEmail(d: PetitionDeliveryData): Email {
  const { t } = d.lang;
  const number = (n: number) => emailNumber(n, d.lang);
  const k = (key: string, values: Record<string, unknown> = {}) => t(`email.petitionDelivery.${key}`, values);
  const counted = { count: d.count, number: number(d.count), title: d.petitionTitle };
  const recipient = d.makerRole ? `${d.makerName}, ${d.makerRole}` : d.makerName;
  const why =
    d.milestone === null ? k("whyByHand") : k("whyMilestone", { count: d.milestone, number: number(d.milestone) });
  const countries = [
    ...d.countries.map((c) => ({ ...c, other: false })),
    ...(d.otherCountries > 0 ? [{ name: k("otherCountries"), count: d.otherCountries, other: true }] : []),
  ];
  const lang = d.lang.locale;
  return renderEmail({
    site: d.site,
    lang: d.lang,
    subject: k("subject", counted),
    preheader: k("preheader", counted),
    footer: (site) => k("footer", { site }),
    body: (
      <>
        <p style={{ marginTop: 0 }}>
          <Trans
            t={t}
            i18nKey="email.petitionDelivery.greeting"
            values={{ recipient }}
            components={{ 1: <span translate="no" /> }}
          />
        </p>
        <p>
          <Trans
            t={t}
            i18nKey="email.petitionDelivery.signed"
            count={d.count}
            values={{ number: number(d.count), title: d.petitionTitle }}
            components={{ 1: <strong lang={lang} /> }}
          />{" "}
          {why}
        </p>
        <p>{k("answer")}</p>
        <Button href={d.respondUrl}>{k("respond")}</Button>
        <Small>{k("linkWords")}</Small>
        <h2 style={{ fontSize: 18, margin: "24px 0 8px" }}>{k("byCountry")}</h2>
        <table role="presentation" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse" }}>
          <tbody>
            {countries.map((c) => (
              <tr key={c.name}>
                <td style={cell} translate={c.other ? undefined : "no"}>
                  {c.name}
                </td>
                <td style={{ ...cell, textAlign: "right" }}>{number(c.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 style={{ fontSize: 18, margin: "24px 0 8px" }}>{k("petition")}</h2>
        <div lang={lang}>
          <p>
            <strong>{d.summary}</strong>
          </p>
          <div dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
        </div>
        <p>
          <Trans
            t={t}
            i18nKey="email.petitionDelivery.links"
            components={{ 1: <a href={d.printUrl} />, 2: <a href={d.publicUrl} /> }}
          />
        </p>
      </>
    ),
    text: `${k("greetingText", { recipient })}

${k("signedText", counted)} ${why}

${k("answer")}

${k("respond")}: ${d.respondUrl}

${k("linkWords")}

${k("byCountry")}
${countries.map((c) => k("countryLine", { name: c.name, number: number(c.count) })).join("\n")}

${k("petition")}
${d.summary}

${d.bodyText.trim()}

${k("printText")}: ${d.printUrl}
${k("publicText")}: ${d.publicUrl}`,
  });
}
