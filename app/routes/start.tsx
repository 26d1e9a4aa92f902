import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/services/session.server";
import { PetitionForm } from "~/components/petition-form";
import { handlePetitionForm } from "~/services/petition-editing.server";
import { PETITION_LIMITS } from "~/schemas/petition-fields";
import { addMonths, isoDay } from "~/schemas/petition.server";

export const meta: MetaFunction = () => [{ title: "Start a campaign | Undersigned" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  const today = new Date();
  return {
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
  return (
    <section>
      <h1>Start a campaign</h1>
      <p className="lead">
        Say what you want to happen and who can make it happen. Nothing is public until you submit it
        {moderation ? " and a moderator approves it" : ""}. A saved draft waits for you under Your account.
      </p>
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
