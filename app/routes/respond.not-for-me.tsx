import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export function loader({ request }: LoaderFunctionArgs) {
  return { title: translator(requestLocale(request))("respond.notForMeDone.title") };
}

/** Where a decision maker's "This is not for me" leads: the link they pressed no longer opens anything. */
export default function NotForMeDone() {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <p className="eyebrow">{t("respond.eyebrow")}</p>
      <h1>{t("respond.notForMeDone.heading")}</h1>
      <p className="lead">{t("respond.notForMeDone.lead")}</p>
    </section>
  );
}
