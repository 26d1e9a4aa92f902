import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CountTable } from "~/components/count-table";
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
import { formatDate } from "~/lib/time";
import { countryCounts } from "~/models/counts.server";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { recentPublicSigners } from "~/models/signatures.server";
import { signingFormAction } from "~/services/signing-form.server";
import { listUpdateTitles } from "~/models/update-lists.server";
import { decisionMakerStatuses, publicResponses } from "~/models/response-lists.server";
import { REJECTION_REASONS, type RejectionReason } from "~/schemas/petition.server";
import { PUBLISHED_STATES, isSignable } from "~/models/petition-lifecycle.server";
import { BODY_HEADING } from "~/schemas/petition-fields";
import { publicPageHeaders } from "~/lib/cache-control.server";
import { approvedTranslations } from "~/models/translations.server";
import { inReadersLanguage } from "~/lib/translations.server";
import { TranslationNote } from "~/components/translation-note";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Campaign not found | Undersigned" }];
  const { petition } = data;
  return [
    { title: `${petition.title} | Undersigned` },
    { name: "description", content: petition.summary },
    { property: "og:title", content: petition.title },
    { property: "og:description", content: petition.summary },
    { property: "og:type", content: "website" },
    { property: "og:url", content: data.url },
    { tagName: "link", rel: "canonical", href: data.url },
    // Every campaign has a card made for it, with the cover image in it when there is one.
    { property: "og:image", content: `${data.url}/card.png` },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { property: "og:image:alt", content: petition.title },
    { property: "og:site_name", content: "Undersigned" },
    { name: "twitter:card", content: "summary_large_image" },
    ...(data.hasFeed
      ? [
          {
            tagName: "link",
            rel: "alternate",
            type: "application/atom+xml",
            title: `Updates on ${petition.title}`,
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
async function readPage(db: AppLoadContext["db"], slug: string) {
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
              reason:
                REJECTION_REASONS[petition.rejection_reason as RejectionReason] ?? "It did not meet our standards",
              note: petition.rejection_note,
            }
          : null,
      imageUrl: petition.image_id ? `/images/${petition.image_id}` : null,
      signatureCount: petition.signature_count,
      goal: petition.goal,
      decisionMakers: petition.decisionMakers,
    },
    signers: signers.map((signer) => ({ ...signer, country: countryName(signer.country) })),
    countries: countries.slice(0, 10).map((c) => ({ name: countryName(c.country), count: c.signature_count })),
    hasFeed,
    updates: updates.map((u) => ({ id: u.id, title: u.title, publishedAt: u.published_at })),
    responses,
    makerStatuses,
  };
}

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const slug = params.slug;
  const page = slug
    ? await cachedRead(context.db, `petition:${slug}`, context.config.pageCacheMs, () => readPage(context.db, slug))
    : undefined;
  if (!page) throw new Response("Not found", { status: 404 });
  return {
    url: `${context.config.appUrl}/petitions/${page.petition.slug}`,
    origin: context.config.appUrl,
    // The organizers' translation into the reader's language, if a moderator has let readers see one.
    petition: inReadersLanguage(page.petition, page.translations, request, (html) =>
      withoutLeadingHeading(html, BODY_HEADING),
    ),
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
  if (petition.rejection) return <RejectedPetition petition={petition} rejection={petition.rejection} />;
  return (
    <article className="petition">
      {/* The form comes right after the title and summary: beside them on a wide screen, below them on a phone. */}
      <div className="petition-layout">
        <header className="petition-header">
          <p className="eyebrow">{petition.status === "victory" ? "Victory" : "Petition"}</p>
          <h1 lang={petition.language}>{petition.title}</h1>
          <TranslationNote from={petition.translatedFrom} slug={petition.slug} />
          <DecisionMakers makers={petition.decisionMakers} />
          <ResponseStatusList makers={makerStatuses} />
          <p className="lead" lang={petition.language}>
            {petition.summary}
          </p>
          {petition.status === "victory" ? (
            <section className="notice notice--victory" aria-labelledby="victory-heading">
              <h2 id="victory-heading">This campaign won</h2>
              {petition.victoryMessage ? <p className="victory-message">{petition.victoryMessage}</p> : null}
              <p>Thank you to everyone who signed.</p>
            </section>
          ) : null}
        </header>

        <aside className="petition-aside" aria-label="Signatures and signing">
          {petition.signable ? (
            <LiveSignatureProgress slug={petition.slug} count={petition.signatureCount} goal={petition.goal} showGoal />
          ) : (
            <SignatureProgress count={petition.signatureCount} goal={petition.goal} showGoal={false} />
          )}
          {petition.pausedMessage ? (
            <div className="notice" role="status">
              <h2>Signing is paused</h2>
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
              {petition.closesAt ? <p className="hint">Open until {formatDate(petition.closesAt)}.</p> : null}
            </>
          ) : (
            <div className="notice" role="status">
              <h2>This petition is closed</h2>
              <p>
                {petition.status === "victory"
                  ? "This campaign won. It no longer takes signatures."
                  : `It stopped taking signatures${closedOn(petition) ? ` on ${formatDate(closedOn(petition)!)}` : ""}.`}
              </p>
            </div>
          )}
        </aside>

        <div className="petition-body">
          <ResponsesSection responses={responses} slug={petition.slug} />
          {petition.imageUrl ? (
            <img className="cover-image" src={petition.imageUrl} alt="" width={1200} height={630} />
          ) : null}
          <h2>{BODY_HEADING}</h2>
          <div className="prose" lang={petition.language} dangerouslySetInnerHTML={{ __html: petition.bodyHtml }} />
          <p className="hint">
            {petition.openedAt ? `Published ${formatDate(petition.openedAt)}.` : null}
            {petition.editedAt
              ? ` Edited on ${formatDate(petition.editedAt)}; the title and the people it is addressed to have not changed since it was published.`
              : null}
          </p>

          <SharePanel url={url} title={petition.title} />

          {updates.length > 0 ? (
            <section aria-labelledby="updates-heading">
              <h2 id="updates-heading">Updates</h2>
              <ul className="updates-list">
                {updates.map((u) => (
                  <li key={u.id}>
                    <a href={`/petitions/${petition.slug}/updates/${u.id}`}>{u.title}</a>
                    {u.publishedAt ? <span className="hint"> {formatDate(u.publishedAt)}</span> : null}
                  </li>
                ))}
              </ul>
              <p className="hint">
                <a href={`/petitions/${petition.slug}/updates.atom`}>Follow the updates in a feed reader (Atom)</a>
              </p>
            </section>
          ) : null}

          {signers.length > 0 ? (
            <section aria-labelledby="recent-signers">
              <h2 id="recent-signers">Recent signers</h2>
              <ul className="signers">
                {signers.map((s, i) => (
                  <li key={`${s.confirmedAt}-${i}`}>
                    <span className="signer-name">{s.name}</span> <span className="signer-where">{s.country}</span>
                  </li>
                ))}
              </ul>
              <p className="hint">Only signers who chose to show their name appear here.</p>
            </section>
          ) : null}

          {countries.length > 0 ? (
            <section aria-labelledby="by-country">
              <h2 id="by-country">Where signatures come from</h2>
              <CountTable by="Country" rows={countries.map((c) => ({ label: c.name, count: c.count }))} />
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
  petition: { title: string; summary: string; decisionMakers: { name: string; role: string | null }[] };
  rejection: { reason: string; note: string | null };
}) {
  return (
    <article className="petition">
      <header className="petition-header">
        <p className="eyebrow">Rejected petition</p>
        <h1>{petition.title}</h1>
        <DecisionMakers makers={petition.decisionMakers} />
      </header>
      <section className="notice" aria-labelledby="rejected-heading">
        <h2 id="rejected-heading">This petition was rejected</h2>
        <p>Our moderators did not publish it. The reason: {rejection.reason}.</p>
        {rejection.note ? <p>{rejection.note}</p> : null}
      </section>
      <p className="lead">{petition.summary}</p>
    </article>
  );
}
