import { renderEmail, Small, type Email, type SiteContext } from "./layout";
import { UPDATE_PLACEHOLDERS } from "./update";

export type ResponseEmailData = {
  site: SiteContext;
  petitionTitle: string;
  /** The name and title the response is signed with. */
  name: string;
  title: string | null;
  /** "3 March 2027". */
  respondedOn: string;
  /** Sanitized HTML of the response, and the same as plain text. */
  bodyHtml: string;
  bodyText: string;
  responseUrl: string;
  /** For a response an organizer recorded from elsewhere: where it was published, if anywhere. */
  recorded: { sourceUrl: string | null } | null;
};

/** The subject and heading: "Response from Jane Doe, Home Secretary". */
export function responseHeading(d: Pick<ResponseEmailData, "name" | "title">): string {
  return `Response from ${d.name}${d.title ? `, ${d.title}` : ""}`;
}

/**
 * A decision maker's response, to each signer who asked for updates: sent through the update queue, so
 * every copy gets its reader's own unsubscribe links in place of the placeholders (emails/update.tsx).
 */
export function responseEmail(d: ResponseEmailData): Email {
  const heading = responseHeading(d);
  const p = UPDATE_PLACEHOLDERS;
  const recordedWords = d.recorded
    ? `The organizers recorded this response, which reached them elsewhere${d.recorded.sourceUrl ? "" : "."}`
    : null;
  return renderEmail({
    site: d.site,
    subject: `${heading} (${d.petitionTitle})`,
    preheader: `A response to the petition you signed: ${d.petitionTitle}`,
    footer: (site) =>
      `You are receiving this because you signed this petition on ${site} and asked for its updates. The links above stop them.`,
    body: (
      <>
        <p style={{ marginTop: 0, color: "#55575d" }}>A response to the petition you signed, {d.petitionTitle}</p>
        <h1 style={{ fontSize: 22, lineHeight: 1.25, margin: "0 0 4px" }}>{heading}</h1>
        <p style={{ marginTop: 0, color: "#55575d" }}>{d.respondedOn}</p>
        {recordedWords ? (
          <p style={{ padding: 8, background: "#f6f5f8" }}>
            {recordedWords}
            {d.recorded?.sourceUrl ? (
              <>
                : <a href={d.recorded.sourceUrl}>the original</a>.
              </>
            ) : null}
          </p>
        ) : null}
        <div dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
        <p>
          <a href={d.responseUrl}>Read it on the campaign’s page</a>
        </p>
        <Small>
          <a href={p.unsubscribePetition}>Stop updates from this campaign</a> ·{" "}
          <a href={p.unsubscribeAll}>Stop all email from this site</a> ·{" "}
          <a href={p.manageSignature}>Manage your signature</a>
        </Small>
      </>
    ),
    text: `A response to the petition you signed, "${d.petitionTitle}"

${heading}
${d.respondedOn}
${recordedWords ? `\n${recordedWords}${d.recorded?.sourceUrl ? `: ${d.recorded.sourceUrl}` : ""}\n` : ""}
${d.bodyText.trim()}

Read it on the campaign's page: ${d.responseUrl}

Stop updates from this campaign: ${p.unsubscribePetition}
Stop all email from this site: ${p.unsubscribeAll}
Manage your signature: ${p.manageSignature}`,
  });
}
