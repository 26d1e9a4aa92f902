import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { SIGN_IN_TTL_MINUTES } from "~/models/sign-in.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return { title: translator(requestLocale(request))("signIn.checkEmail.title"), ttl: SIGN_IN_TTL_MINUTES };
}

export default function SignInCheckEmail() {
  // From the loader: a .server module's constant is not in the browser's bundle.
  const { ttl } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("signIn.checkEmail.heading")}</h1>
      <p className="lead">
        <Trans i18nKey="signIn.checkEmail.lead" count={ttl} values={{ count: ttl }} components={{ 1: <strong /> }} />
      </p>
      <p>
        <Trans i18nKey="signIn.checkEmail.nothing" components={{ 1: <Link to="/sign-in" /> }} />
      </p>
    </section>
  );
}
