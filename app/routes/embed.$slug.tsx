import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { SignatureProgress } from "~/components/progress";
import { SignForm } from "~/components/sign-form";
import { useReportHeight } from "~/components/embed-height";
import { publicPageHeaders } from "~/lib/cache-control.server";
import { defaultCountry } from "~/lib/countries";
import { isSignable, PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { approvedTranslations } from "~/models/translations.server";
import { inReadersLanguage } from "~/lib/translations.server";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { pauseMessage } from "~/models/settings.server";
import { signingFormAction } from "~/services/signing-form.server";
import type { EmbedHandle } from "~/root";

/**
 * The campaign's widget, shown in a frame on another site (docs/decisions/0030-widget-and-cards.md): its
 * title, count and progress, and the signing form. It signs exactly as the campaign page does, through the
 * same service with the same checks and limits, and needs no cookie: the form's time stamp is a hidden field.
 */
export const handle: EmbedHandle = { embed: true };

/** The same for every visitor, as the campaign page. */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? [{ title: data.pageTitle }] : []),
  // A copy of the campaign page: search engines should find the page itself.
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition || petition.status === "rejected") throw new Response("Not found", { status: 404 });
  const signable = isSignable(petition);
  const translations = PUBLISHED_STATES.includes(petition.status)
    ? await approvedTranslations(context.db, petition.id)
    : [];
  // The organizers' translation of the title into the reader's language, if a moderator has let readers see one.
  const shown = inReadersLanguage(
    {
      slug: petition.slug,
      language: petition.language,
      translatedFrom: null as string | null,
      title: petition.title,
      signable,
      pausedMessage: signable ? pauseMessage(petition.site_paused_message, petition) : null,
      challengeRequired: signable && petition.challenge_required_since !== null,
      signatureCount: petition.signature_count,
      goal: petition.goal,
    },
    translations,
    request,
  );
  return {
    pageTitle: translator(requestLocale(request))("embed.title", { title: shown.title }),
    petition: shown,
    url: `${context.config.appUrl}/petitions/${petition.slug}`,
    defaultCountry: defaultCountry(request.headers.get("accept-language")),
    formStamp: context.formStamp(),
  };
}

// Inside the widget, the signer is told to check their email there.
export const action = (args: ActionFunctionArgs) => signingFormAction(args, (slug) => `/embed/${slug}/sent`);

export default function Widget() {
  const { petition, url, defaultCountry: country, formStamp } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  useReportHeight();
  return (
    <article className="widget" aria-labelledby="widget-title">
      <p className="eyebrow">{t("embed.eyebrow")}</p>
      <h1 id="widget-title" className="widget-title">
        <a href={url} target="_blank" rel="noopener">
          <span lang={petition.language}>{petition.title}</span>
          <span className="visually-hidden"> {t("embed.newTab")}</span>
        </a>
      </h1>
      <SignatureProgress count={petition.signatureCount} goal={petition.goal} showGoal={petition.signable} />
      {petition.pausedMessage ? (
        <p className="notice" role="status">
          {t("embed.paused")} {petition.pausedMessage}
        </p>
      ) : petition.signable && !actionData?.closed ? (
        <SignForm
          defaultCountry={country}
          formStamp={formStamp}
          challengeUrl={petition.challengeRequired ? `/petitions/${petition.slug}/challenge` : undefined}
          values={actionData?.values}
          errors={actionData?.errors}
          linkTarget="_blank"
        />
      ) : (
        <p className="notice" role="status">
          {t("embed.closed")}
        </p>
      )}
      <p className="widget-footer">
        <a href={url} target="_blank" rel="noopener">
          {t("embed.readAll")}
          <span className="visually-hidden"> {t("embed.newTab")}</span>
        </a>{" "}
        · {t("embed.siteName")}
      </p>
    </article>
  );
}
