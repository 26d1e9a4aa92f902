import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { DeliveryDocument } from "~/components/delivery-document";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { deliveryDocument } from "~/models/deliveries.server";
import { requestLocale, translator } from "~/lib/i18n.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

/**
 * The petition as it is handed to the people it is addressed to: the ask,
 * the text, the count, and the names of the signers who chose to be named,
 * as they chose to be named. For organizers only; made to be printed.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const locale = requestLocale(request);
  const document = await deliveryDocument(context.db, p.id, locale);
  return { id: p.id, pageTitle: translator(locale)("delivery.page.title", { title: document.title }), ...document };
}

export default function Deliver() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <DeliveryDocument
      d={d}
      screenOnly={
        <>
          <p>
            <Link to={`/organize/${d.id}`}>{t("delivery.page.back")}</Link>
          </p>
          <p className="notice">{t("delivery.page.notice")}</p>
        </>
      }
      moreNames={
        <>
          {" "}
          <Trans
            i18nKey="delivery.page.moreNames"
            components={{ 1: <a href={`/organize/${d.id}/export.csv`}>CSV</a> }}
          />
        </>
      }
    />
  );
}
