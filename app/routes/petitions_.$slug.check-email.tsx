import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { CONFIRMATION_TTL_DAYS } from "~/models/signatures.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? [{ title: data.pageTitle }] : []),
  { name: "robots", content: "noindex" },
];

/**
 * Everyone who submits a valid form lands here, whether their address is new,
 * waiting for confirmation or already counted: the page says nothing about which.
 */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition) throw new Response("Not found", { status: 404 });
  return {
    pageTitle: translator(requestLocale(request))("sign.checkEmail.title"),
    petition: { slug: petition.slug, title: petition.title, language: petition.language },
    ttlDays: CONFIRMATION_TTL_DAYS,
  };
}

export default function CheckEmail() {
  const { petition, ttlDays } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <p className="eyebrow">{t("sign.checkEmail.eyebrow")}</p>
      <h1>{t("sign.checkEmail.heading")}</h1>
      <p className="lead">
        <Trans
          i18nKey="sign.checkEmail.lead"
          values={{ title: petition.title }}
          components={{ 1: <strong />, 2: <em lang={petition.language} /> }}
        />
      </p>
      <h2>{t("sign.checkEmail.cantFind")}</h2>
      <ul>
        <li>{t("sign.checkEmail.wait")}</li>
        <li>{t("sign.checkEmail.ttl", { count: ttlDays })}</li>
        <li>
          <Trans i18nKey="sign.checkEmail.again" components={{ 1: <Link to={`/petitions/${petition.slug}`} /> }} />
        </li>
      </ul>
      <p>
        <Link to={`/petitions/${petition.slug}`}>{t("sign.back")}</Link>
      </p>
    </section>
  );
}
