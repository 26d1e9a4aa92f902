import { Button, renderEmail, Small, type Email, type SiteContext } from "./layout";

export type PetitionDeliveryData = {
  site: SiteContext;
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

const NUMBER = new Intl.NumberFormat("en-GB");
const cell = { padding: "4px 8px", borderBottom: "1px solid #e3e1e8" };

/**
 * The petition, delivered to one of the people it is addressed to: the count by country, the text, the
 * printable copy, and the private link to respond in public.
 */
export function petitionDeliveryEmail(d: PetitionDeliveryData): Email {
  const count = NUMBER.format(d.count);
  const people = d.count === 1 ? "person has" : "people have";
  const subject = `A petition to you, signed by ${count}: ${d.petitionTitle}`;
  const to = d.makerRole ? `${d.makerName}, ${d.makerRole}` : d.makerName;
  const why =
    d.milestone === null
      ? "Its organizers asked us to deliver it to you."
      : `It has passed ${NUMBER.format(d.milestone)} signatures, the point at which its organizers asked us to deliver it to you.`;
  const countries = [
    ...d.countries,
    ...(d.otherCountries > 0 ? [{ name: "Other countries", count: d.otherCountries }] : []),
  ];
  const linkWords =
    "This link is yours: anyone holding it can respond in your name, so please do not forward this email. It works until the petition is archived, and its organizers can revoke it.";
  return renderEmail({
    site: d.site,
    subject,
    preheader: `${count} ${people} signed “${d.petitionTitle}”, addressed to you.`,
    footer: (site) =>
      `You are receiving this because the organizers of this petition on ${site} gave this address for you. If it is not for you, open the link and choose “This is not for me”: it will not be sent here again.`,
    body: (
      <>
        <p style={{ marginTop: 0 }}>To {to},</p>
        <p>
          {count} {people} signed the petition <strong>{d.petitionTitle}</strong>, addressed to you. {why}
        </p>
        <p>
          You can answer them in public: your response is published on the petition’s page, and the signers who asked
          for news are emailed it.
        </p>
        <Button href={d.respondUrl}>Respond to the petition</Button>
        <Small>{linkWords}</Small>
        <h2 style={{ fontSize: 18, margin: "24px 0 8px" }}>Signatures by country</h2>
        <table role="presentation" cellPadding={0} cellSpacing={0} style={{ borderCollapse: "collapse" }}>
          <tbody>
            {countries.map((c) => (
              <tr key={c.name}>
                <td style={cell}>{c.name}</td>
                <td style={{ ...cell, textAlign: "right" }}>{NUMBER.format(c.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2 style={{ fontSize: 18, margin: "24px 0 8px" }}>The petition</h2>
        <p>
          <strong>{d.summary}</strong>
        </p>
        <div dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
        <p>
          <a href={d.printUrl}>The petition to print</a>, with the names of the signers who chose to be named ·{" "}
          <a href={d.publicUrl}>Its public page</a>
        </p>
      </>
    ),
    text: `To ${to},

${count} ${people} signed the petition "${d.petitionTitle}", addressed to you. ${why}

You can answer them in public: your response is published on the petition's page, and the signers who asked for news are emailed it.

Respond to the petition: ${d.respondUrl}

${linkWords}

Signatures by country
${countries.map((c) => `${c.name}: ${NUMBER.format(c.count)}`).join("\n")}

The petition
${d.summary}

${d.bodyText.trim()}

The petition to print, with the names of the signers who chose to be named: ${d.printUrl}
Its public page: ${d.publicUrl}`,
  });
}
