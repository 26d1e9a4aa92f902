import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export function loader({ request }: LoaderFunctionArgs) {
  return { title: translator(requestLocale(request))("signature.checkEmail.title") };
}

/** Everyone who asks for their manage links lands here, whether or not their address has signed anything. */
export default function ManageLinksCheckEmail() {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("signature.checkEmail.heading")}</h1>
      <p className="lead">{t("signature.checkEmail.lead")}</p>
      <h2>{t("signature.checkEmail.cantFind")}</h2>
      <ul>
        <li>{t("signature.checkEmail.wait")}</li>
        <li>{t("signature.checkEmail.sameAddress")}</li>
        <li>
          <Trans i18nKey="signature.checkEmail.askAgain" components={{ 1: <Link to="/signature/request" /> }} />
        </li>
      </ul>
    </section>
  );
}
