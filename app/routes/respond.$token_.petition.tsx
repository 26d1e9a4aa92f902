import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DeliveryDocument } from "~/components/delivery-document";
import { requestLocale, translator } from "~/lib/i18n.server";
import { deliveryDocument, findResponseLink } from "~/models/deliveries.server";

/**
 * The printed petition, for the decision maker it was delivered to: the same document its organizers print,
 * opened with the private link. Reading it changes nothing (it does not count as "opened").
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.pageTitle },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const link = await findResponseLink(context.db, token);
  if (!link) throw new Response("Not found", { status: 404 });
  const locale = requestLocale(request);
  const document = await deliveryDocument(context.db, link.petition.id, locale);
  const pageTitle = translator(locale)("respond.petition.title", { title: document.title });
  return { token, pageTitle, ...document };
}

export default function PetitionForDecisionMaker() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <DeliveryDocument
      d={d}
      screenOnly={
        <>
          <p>
            <Link to={`/respond/${d.token}`}>{t("respond.petition.back")}</Link>
          </p>
          <p className="notice">{t("respond.petition.notice")}</p>
        </>
      }
      moreNames=""
    />
  );
}
