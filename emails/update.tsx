import { renderEmail, Small, type Email, type SiteContext } from "./layout";

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
  petitionTitle: string;
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
 * Rendered once per update; every recipient's copy differs only in the
 * unsubscribe links.
 */
export function updateEmail(d: UpdateEmailData): Email {
  const subject = `${d.test ? "[Test] " : ""}${d.updateTitle} (${d.petitionTitle})`;
  const p = UPDATE_PLACEHOLDERS;
  return renderEmail({
    site: d.site,
    subject,
    preheader: `An update on ${d.petitionTitle}`,
    footer: (site) =>
      d.test
        ? `This test went only to you, an organizer of this petition on ${site}.`
        : `You are receiving this because you signed this petition on ${site} and asked for its updates. The links above stop them.`,
    body: (
      <>
        {d.test ? (
          <p style={{ marginTop: 0, padding: 8, background: "#fff4ce" }}>
            This is a test. Only you received it; the links below do nothing.
          </p>
        ) : null}
        <p style={{ marginTop: 0, color: "#55575d" }}>An update on {d.petitionTitle}</p>
        <h1 style={{ fontSize: 22, lineHeight: 1.25, margin: "0 0 12px" }}>{d.updateTitle}</h1>
        <div dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
        <p>
          <a href={d.updateUrl}>Read it on the campaign’s page</a>
        </p>
        <Small>
          You get updates because you signed this petition and asked for them.{" "}
          <a href={p.unsubscribePetition}>Stop updates from this campaign</a> ·{" "}
          <a href={p.unsubscribeAll}>Stop all email from this site</a> ·{" "}
          <a href={p.manageSignature}>Manage your signature</a>
        </Small>
      </>
    ),
    text: `${d.test ? "[This is a test. Only you received it.]\n\n" : ""}An update on "${d.petitionTitle}"

${d.updateTitle}

${d.bodyText.trim()}

Read it on the campaign's page: ${d.updateUrl}

You get updates because you signed this petition and asked for them.
Stop updates from this campaign: ${p.unsubscribePetition}
Stop all email from this site: ${p.unsubscribeAll}
Manage your signature: ${p.manageSignature}`,
  });
}
