import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CountTable } from "~/components/count-table";
import { useTranslation } from "react-i18next";
import { DecisionMakers } from "~/components/decision-makers";
import { ResponsesSection, ResponseStatusList } from "~/components/responses";
import { LiveSignatureProgress } from "~/components/live-count";
import { SignatureProgress } from "~/components/progress";
import { SharePanel } from "~/components/share-panel";
import { SignForm } from "~/components/sign-form";
import { cachedRead } from "~/lib/read-cache.server";
import { countryName, defaultCountry } from "~/lib/countries";
import { pauseMessage } from "~/models/settings.server";
import { withoutLeadingHeading } from "~/lib/markdown.server";
import { formatDate, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { countryCounts } from "~/models/counts.server";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { recentPublicSigners } from "~/models/signatures.server";
import { signingFormAction } from "~/services/signing-form.server";
import { listUpdateTitles } from "~/models/update-lists.server";
import { decisionMakerStatuses, publicResponses } from "~/models/response-lists.server";
import { REJECTION_REASONS } from "~/schemas/petition.server";
import { PUBLISHED_STATES, isSignable } from "~/models/petition-lifecycle.server";
import { BODY_HEADING } from "~/schemas/petition-fields";
import { publicPageHeaders } from "~/lib/cache-control.server";
import { approvedTranslations } from "~/models/translations.server";
import { inReadersLanguage } from "~/lib/translations.server";
import { TranslationNote } from "~/components/translation-note";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const { petition, words } = data;
  return [
    { title: words.title },
    { name: "description", content: words.summary },
    { property: "og:title", content: words.ownTitle },
    { property: "og:description", content: words.summary },
    { property: "og:type", content: "website" },
    { property: "og:url", content: data.url },
    { tagName: "link", rel: "canonical", href: data.url },
    // Every campaign has a card made for it, with the cover image in it when there is one. Its words are in
    // the campaign's language; a reader shown the organizers' translation shares the card in that language.
    {
      property: "og:image",
      content: `${data.url}/card.png${petition.translatedFrom ? `?lang=${petition.language}` : ""}`,
    },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { property: "og:image:alt", content: words.ownTitle },
    { property: "og:site_name", content: words.siteName },
    { name: "twitter:card", content: "summary_large_image" },
    ...(data.hasFeed
      ? [
          {
            tagName: "link",
            rel: "alternate",
            type: "application/atom+xml",
            title: words.feedTitle,
            href: `/petitions/${petition.slug}/updates.atom`,
          },
        ]
      : []),
  ];
};

/**
 * What the page shows that is the same for every visitor: read in one go, and
 * shared by the requests of the next PAGE_CACHE_MS (app/lib/read-cache.server.ts).
 */
async function readPage(db: AppLoadContext["db"], slug: string, locale: Locale) {
  const petition = await getPublicPetitionBySlug(db, slug);
  if (!petition) return undefined;
  const hasFeed = PUBLISHED_STATES.includes(petition.status);
  const [signers, countries, updates, responses, makerStatuses, translations] = await Promise.all([
    recentPublicSigners(db, petition.id),
    countryCounts(db, petition.id),
    hasFeed ? listUpdateTitles(db, petition.id) : [],
    hasFeed ? publicResponses(db, petition.id) : [],
    hasFeed ? decisionMakerStatuses(db, petition.id) : [],
    hasFeed ? approvedTranslations(db, petition.id) : [],
  ]);
  const signable = isSignable(petition);
  return {
    translations,
    petition: {
      slug: petition.slug,
      language: petition.language,
      /** Set when the reader is shown the organizers' translation: the language it was translated from. */
      translatedFrom: null as string | null,
      title: petition.title,
      summary: petition.summary,
      // The page puts the text under its own heading; a text that starts with the same one would show it twice.
      bodyHtml: withoutLeadingHeading(petition.body_html, BODY_HEADING),
      status: petition.status,
      signable,
      pausedMessage: signable ? pauseMessage(petition.site_paused_message, petition) : null,
      // Moderators ask for the proof-of-work challenge on a campaign under attack (ADR 0013).
      challengeRequired: signable && petition.challenge_required_since !== null,
      closesAt: petition.closes_at,
      closedAt: petition.closed_at,
      editedAt: petition.edited_at,
      openedAt: petition.opened_at,
      victoryMessage: petition.victory_message,
      rejection:
        petition.status === "rejected"
          ? {
              // A catalog key's last part (campaign.rejected.reasons.*), translated by the page.
              reason:
                petition.rejection_reason && petition.rejection_reason in REJECTION_REASONS
                  ? petition.rejection_reason
                  : null,
              note: petition.rejection_note,
            }
          : null,
      imageUrl: petition.image_id ? `/images/${petition.image_id}` : null,
      signatureCount: petition.signature_count,
      goal: petition.goal,
      decisionMakers: petition.decisionMakers,
    },
    signers: signers.map((signer) => ({ ...signer, country: countryName(signer.country, locale) })),
    countries: countries.slice(0, 10).map((c) => ({ name: countryName(c.country, locale), count: c.signature_count })),
    hasFeed,
    updates: updates.map((u) => ({ id: u.id, title: u.title, publishedAt: u.published_at })),
    responses,
    makerStatuses,
  };
}

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const slug = params.slug;
  const locale = requestLocale(request);
  // Country names are in the page's language: one read per language.
  const page = slug
    ? await cachedRead(context.db, `petition:${slug}:${locale}`, context.config.pageCacheMs, () =>
        readPage(context.db, slug, locale),
      )
    : undefined;
  if (!page) throw new Response("Not found", { status: 404 });
  const t = translator(locale);
  // The organizers' translation into the reader's language, if a moderator has let readers see one.
  const petition = inReadersLanguage(page.petition, page.translations, request, (html) =>
    withoutLeadingHeading(html, BODY_HEADING),
  );
  const { title, summary } = petition;
  return {
    words: {
      title: t("campaign.meta.title", { title }),
      // The campaign's own words: in the pseudo-language they are marked, like everything else in the head.
      ownTitle: t("campaign.meta.ownWords", { text: title }),
      summary: t("campaign.meta.ownWords", { text: summary }),
      feedTitle: t("campaign.meta.feedTitle", { title }),
      siteName: t("campaign.meta.siteName"),
    },
    url: `${context.config.appUrl}/petitions/${page.petition.slug}`,
    origin: context.config.appUrl,
    petition,
    // The visitor's own (from their languages), never the campaign's; the whole-page cache keys on it.
    defaultCountry: defaultCountry(request.headers.get("accept-language")),
    formStamp: context.formStamp(),
    signers: page.signers,
    countries: page.countries,
    hasFeed: page.hasFeed,
    updates: page.updates,
    responses: page.responses,
    makerStatuses: page.makerStatuses,
  };
}

export const action = (args: ActionFunctionArgs) => signingFormAction(args, (slug) => `/petitions/${slug}/check-email`);

export default function PetitionPage() {
  const {
    petition,
    url,
    defaultCountry,
    signers,
    countries,
    updates,
    responses,
    makerStatuses,
    formStamp: stamp,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const closed = closedOn(petition);
  if (petition.rejection) return <RejectedPetition petition={petition} rejection={petition.rejection} />;
  return (
    <article className="petition">
      {/* The form comes right after the title and summary: beside them on a wide screen, below them on a phone. */}
      <div className="petition-layout">
        <header className="petition-header">
          <p className="eyebrow">
            {petition.status === "victory" ? t("campaign.eyebrow.victory") : t("campaign.eyebrow.petition")}
          </p>
          <h1 lang={petition.language}>{petition.title}</h1>
          <TranslationNote from={petition.translatedFrom} slug={petition.slug} />
          <DecisionMakers makers={petition.decisionMakers} />
          <ResponseStatusList makers={makerStatuses} />
          <p className="lead" lang={petition.language}>
            {petition.summary}
          </p>
          {petition.status === "victory" ? (
            <section className="notice notice--victory" aria-labelledby="victory-heading">
              <h2 id="victory-heading">{t("campaign.victory.heading")}</h2>
              {petition.victoryMessage ? (
                <p className="victory-message" lang={petition.language}>
                  {petition.victoryMessage}
                </p>
              ) : null}
              <p>{t("campaign.victory.thanks")}</p>
            </section>
          ) : null}
        </header>

        <aside className="petition-aside" aria-label={t("campaign.asideLabel")}>
          {petition.signable ? (
            <LiveSignatureProgress slug={petition.slug} count={petition.signatureCount} goal={petition.goal} showGoal />
          ) : (
            <SignatureProgress count={petition.signatureCount} goal={petition.goal} showGoal={false} />
          )}
          {petition.pausedMessage ? (
            <div className="notice" role="status">
              <h2>{t("campaign.paused")}</h2>
              <p>{petition.pausedMessage}</p>
            </div>
          ) : petition.signable && !actionData?.closed ? (
            <>
              <SignForm
                defaultCountry={defaultCountry}
                formStamp={stamp}
                challengeUrl={petition.challengeRequired ? `/petitions/${petition.slug}/challenge` : undefined}
                values={actionData?.values}
                errors={actionData?.errors}
              />
              {petition.closesAt ? (
                <p className="hint">{t("campaign.openUntil", { date: formatDate(petition.closesAt, locale) })}</p>
              ) : null}
            </>
          ) : (
            <div className="notice" role="status">
              <h2>{t("campaign.closed.heading")}</h2>
              <p>
                {petition.status === "victory"
                  ? t("campaign.closed.won")
                  : closed
                    ? t("campaign.closed.stoppedOn", { date: formatDate(closed, locale) })
                    : t("campaign.closed.stopped")}
              </p>
            </div>
          )}
        </aside>

        <div className="petition-body">
          <ResponsesSection responses={responses} slug={petition.slug} />
          {petition.imageUrl ? (
            <img className="cover-image" src={petition.imageUrl} alt="" width={1200} height={630} />
          ) : null}
          <h2>{t("campaign.bodyHeading")}</h2>
          <div className="prose" lang={petition.language} dangerouslySetInnerHTML={{ __html: petition.bodyHtml }} />
          <p className="hint">
            {petition.openedAt ? t("campaign.published", { date: formatDate(petition.openedAt, locale) }) : null}
            {petition.editedAt ? ` ${t("campaign.edited", { date: formatDate(petition.editedAt, locale) })}` : null}
          </p>

          <SharePanel url={url} title={petition.title} />

          {updates.length > 0 ? (
            <section aria-labelledby="updates-heading">
              <h2 id="updates-heading">{t("campaign.updates.heading")}</h2>
              <ul className="updates-list">
                {updates.map((u) => (
                  <li key={u.id}>
                    <a href={`/petitions/${petition.slug}/updates/${u.id}`} lang={petition.language}>
                      {u.title}
                    </a>
                    {u.publishedAt ? <span className="hint"> {formatDate(u.publishedAt, locale)}</span> : null}
                  </li>
                ))}
              </ul>
              <p className="hint">
                <a href={`/petitions/${petition.slug}/updates.atom`}>{t("campaign.updates.feed")}</a>
              </p>
            </section>
          ) : null}

          {signers.length > 0 ? (
            <section aria-labelledby="recent-signers">
              <h2 id="recent-signers">{t("campaign.signers.heading")}</h2>
              <ul className="signers">
                {signers.map((s, i) => (
                  <li key={`${s.confirmedAt}-${i}`}>
                    <span className="signer-name" translate="no">
                      {s.name}
                    </span>{" "}
                    <span className="signer-where">{s.country}</span>
                  </li>
                ))}
              </ul>
              <p className="hint">{t("campaign.signers.hint")}</p>
            </section>
          ) : null}

          {countries.length > 0 ? (
            <section aria-labelledby="by-country">
              <h2 id="by-country">{t("campaign.countries.heading")}</h2>
              <CountTable
                by={t("campaign.countries.country")}
                rows={countries.map((c) => ({ label: c.name, count: c.count }))}
              />
            </section>
          ) : null}
        </div>
      </div>
    </article>
  );
}

function closedOn(p: { closedAt: string | null; closesAt: string | null }): string | null {
  return p.closedAt ?? p.closesAt;
}

function RejectedPetition({
  petition,
  rejection,
}: {
  petition: {
    title: string;
    summary: string;
    language: string;
    decisionMakers: { name: string; role: string | null }[];
  };
  rejection: { reason: string | null; note: string | null };
}) {
  const { t } = useTranslation();
  return (
    <article className="petition">
      <header className="petition-header">
        <p className="eyebrow">{t("campaign.eyebrow.rejected")}</p>
        <h1 lang={petition.language}>{petition.title}</h1>
        <DecisionMakers makers={petition.decisionMakers} />
      </header>
      <section className="notice" aria-labelledby="rejected-heading">
        <h2 id="rejected-heading">{t("campaign.rejected.heading")}</h2>
        <p>
          {t("campaign.rejected.reason", {
            reason: t(`campaign.rejected.reasons.${rejection.reason ?? "unknown"}`),
          })}
        </p>
        {/* A moderator's own words, written for the campaign's organizers, in its language. */}
        {rejection.note ? <p lang={petition.language}>{rejection.note}</p> : null}
      </section>
      <p className="lead" lang={petition.language}>
        {petition.summary}
      </p>
    </article>
  );
}
