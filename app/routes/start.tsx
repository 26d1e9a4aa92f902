import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requireUser } from "~/services/session.server";
import { PetitionForm } from "~/components/petition-form";
import { handlePetitionForm } from "~/services/petition-editing.server";
import { PETITION_LIMITS } from "~/schemas/petition-fields";
import { addMonths, isoDay } from "~/schemas/petition.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const today = new Date();
  const t = translator(requestLocale(request));
  return {
    title: t("start.title"),
    moderation: context.config.moderation,
    minDate: isoDay(new Date(today.getTime() + 86_400_000)),
    maxDate: isoDay(addMonths(today, PETITION_LIMITS.months.max)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  return handlePetitionForm(request, context, user, null);
}

const EMPTY = { title: "", summary: "", body: "", goal: "", closesOn: "", decisionMakers: [] };

export default function Start() {
  const { moderation, minDate, maxDate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t("start.heading")}</h1>
      <p className="lead">{moderation ? t("start.leadModerated") : t("start.lead")}</p>
      <PetitionForm
        action="/start"
        values={actionData?.values ?? EMPTY}
        errors={actionData?.errors}
        minDate={minDate}
        maxDate={maxDate}
      />
    </section>
  );
}
