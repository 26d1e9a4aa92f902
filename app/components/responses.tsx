import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { formatDate, type Locale } from "~/lib/i18n";

/** A response as the public reads it (app/models/response-lists.server.ts publicResponses). */
export type ResponseItem = {
  id: number;
  name: string;
  title: string | null;
  source: "decision_maker" | "organizer";
  sourceUrl: string | null;
  respondedOn: string;
  /** Null when a moderator hid it. */
  bodyHtml: string | null;
  hidden: boolean;
  makerName: string;
  makerRole: string | null;
};

/** Each decision maker the petition was delivered to, or who responded, with where they stand. */
export type MakerStatus = {
  id: number;
  name: string;
  role: string | null;
  deliveredAt: string | null;
  respondedOn: string | null;
};

export function responseHeading(r: Pick<ResponseItem, "name" | "title">, t: TFunction): string {
  return r.title
    ? t("campaign.responses.headingWithTitle", { name: r.name, title: r.title })
    : t("campaign.responses.heading", { name: r.name });
}

/**
 * Where the petition stands with the people it is addressed to, at a glance: "responded on 3 March" or
 * "waiting for a response since 1 March", per decision maker. Nothing for those it was never sent to.
 */
export function ResponseStatusList({ makers }: { makers: MakerStatus[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const shown = makers.filter((m) => m.respondedOn || m.deliveredAt);
  if (shown.length === 0) return null;
  return (
    <ul className="response-status" aria-label={t("campaign.responses.statusLabel")}>
      {shown.map((m) => (
        <li key={m.id} className={m.respondedOn ? "response-status--responded" : "response-status--waiting"}>
          {m.respondedOn ? (
            <Trans
              i18nKey="campaign.responses.responded"
              values={{ name: m.name, date: formatDate(m.respondedOn, locale) }}
              // eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans puts the catalog's words inside
              components={{ 1: <strong translate="no" />, 2: <a href="#responses" /> }}
            />
          ) : (
            <Trans
              i18nKey="campaign.responses.waiting"
              values={{ name: m.name, date: formatDate(m.deliveredAt!, locale) }}
              components={{ 1: <strong translate="no" /> }}
            />
          )}
        </li>
      ))}
    </ul>
  );
}

/** One response: who it is from, when, how it reached the site, and its text (or why it is not shown). */
export function ResponseArticle({
  response: r,
  headingLevel = 3,
  permalink,
}: {
  response: ResponseItem;
  headingLevel?: 1 | 2 | 3;
  permalink?: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const Heading = (["h1", "h2", "h3"] as const)[headingLevel - 1];
  if (r.hidden) {
    return (
      <article className="response response--hidden" id={`response-${r.id}`}>
        <p>{t("campaign.responses.hidden", { name: r.name, date: formatDate(r.respondedOn, locale) })}</p>
      </article>
    );
  }
  const differentName = r.source === "decision_maker" && r.name.toLowerCase() !== r.makerName.toLowerCase();
  return (
    <article className="response" id={`response-${r.id}`} aria-labelledby={`response-${r.id}-heading`}>
      <Heading id={`response-${r.id}-heading`}>{responseHeading(r, t)}</Heading>
      <p className="response-meta">
        <time dateTime={r.respondedOn}>{formatDate(r.respondedOn, locale)}</time>
        {r.source === "organizer" ? (
          <>
            {" "}
            ·{" "}
            {r.sourceUrl ? (
              <Trans
                i18nKey="campaign.responses.recordedWithOriginal"
                // eslint-disable-next-line jsx-a11y/anchor-has-content -- Trans puts the catalog's words inside
                components={{ 1: <a href={r.sourceUrl} rel="nofollow noopener noreferrer ugc" /> }}
              />
            ) : (
              t("campaign.responses.recorded")
            )}
          </>
        ) : (
          <>
            {" "}
            ·{" "}
            {differentName ? t("campaign.responses.viaLinkTo", { name: r.makerName }) : t("campaign.responses.viaLink")}
          </>
        )}
      </p>
      {/* The decision maker's own words, in the language they wrote them in. */}
      <div className="prose" translate="no" dangerouslySetInnerHTML={{ __html: r.bodyHtml ?? "" }} />
      {permalink ? (
        <p className="hint">
          <a href={permalink}>{t("campaign.responses.permalink")}</a>
        </p>
      ) : null}
    </article>
  );
}

/** The campaign page's responses, newest first. */
export function ResponsesSection({ responses, slug }: { responses: ResponseItem[]; slug: string }) {
  const { t } = useTranslation();
  if (responses.length === 0) return null;
  return (
    <section className="responses" id="responses" aria-labelledby="responses-heading">
      <h2 id="responses-heading">
        {responses.length === 1 ? t("campaign.responses.one") : t("campaign.responses.several")}
      </h2>
      {responses.map((r) => (
        <ResponseArticle key={r.id} response={r} permalink={`/petitions/${slug}/responses/${r.id}`} />
      ))}
    </section>
  );
}
