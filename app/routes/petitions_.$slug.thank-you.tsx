import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { SignatureProgress } from "~/components/progress";
import { getPublicPetitionBySlug } from "~/models/petition.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? [{ title: data.pageTitle }] : []),
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition) throw new Response("Not found", { status: 404 });
  const url = `${context.config.appUrl}/petitions/${petition.slug}`;
  const t = translator(requestLocale(request));
  const text = t("sign.thankYou.shareText", { title: petition.title });
  const e = encodeURIComponent;
  return {
    pageTitle: t("sign.thankYou.title"),
    // The confirmation sends a signature that a quiet check held here with ?held=1: it is confirmed, but not
    // in the count below until a moderator has looked at it.
    held: new URL(request.url).searchParams.has("held"),
    petition: {
      slug: petition.slug,
      title: petition.title,
      language: petition.language,
      signatureCount: petition.signature_count,
      goal: petition.goal,
    },
    url,
    share: [
      {
        label: t("sign.thankYou.shareEmail"),
        href: `mailto:?subject=${e(petition.title)}&body=${e(`${text}\n\n${url}`)}`,
      },
      {
        label: t("sign.thankYou.shareOn", { service: "WhatsApp" }),
        href: `https://wa.me/?text=${e(`${text} ${url}`)}`,
      },
      {
        label: t("sign.thankYou.shareOn", { service: "Facebook" }),
        href: `https://www.facebook.com/sharer/sharer.php?u=${e(url)}`,
      },
      {
        label: t("sign.thankYou.shareOn", { service: "X" }),
        href: `https://x.com/intent/post?text=${e(text)}&url=${e(url)}`,
      },
      {
        label: t("sign.thankYou.shareOn", { service: "Bluesky" }),
        href: `https://bsky.app/intent/compose?text=${e(`${text} ${url}`)}`,
      },
    ],
  };
}

export default function ThankYou() {
  const { held, petition, url, share } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const title = { 1: <em lang={petition.language} /> };
  return (
    <section className="notice-page">
      <p className="eyebrow">{t("sign.thankYou.eyebrow")}</p>
      <h1>{t("sign.thankYou.heading")}</h1>
      {held ? (
        <p className="lead">
          <Trans i18nKey="sign.thankYou.held" values={{ title: petition.title }} components={title} />
        </p>
      ) : (
        <p className="lead">
          <Trans i18nKey="sign.thankYou.counted" values={{ title: petition.title }} components={title} />
        </p>
      )}
      <SignatureProgress count={petition.signatureCount} goal={petition.goal} />
      <h2>{t("sign.thankYou.shareHeading")}</h2>
      <p>{t("sign.thankYou.shareLead")}</p>
      <ul className="share-links">
        {share.map((s) => (
          <li key={s.label}>
            <a href={s.href} rel="noopener noreferrer" target="_blank">
              {s.label}
              <span className="visually-hidden"> {t("sign.newTab")}</span>
            </a>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="share-url">{t("sign.thankYou.copy")}</label>
        <input id="share-url" type="text" readOnly value={url} />
      </div>
      <p>
        <Link to={`/petitions/${petition.slug}`}>{t("sign.back")}</Link>
      </p>
    </section>
  );
}
