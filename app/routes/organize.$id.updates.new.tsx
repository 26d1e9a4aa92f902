import { useTranslation } from "react-i18next";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { UpdateForm } from "~/components/update-form";
import { requestLocale, translator } from "~/lib/i18n.server";
import { translatedFieldErrors } from "~/lib/form-messages.server";
import { readForm } from "~/lib/form.server";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { createUpdate } from "~/models/update.server";
import { UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "~/schemas/update-fields";
import { UPDATE_FORM_BYTES, UpdateDraftForm, updateLimitValues } from "~/schemas/update.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  return {
    pageTitle: translator(requestLocale(request))("updates.new.pageTitle"),
    id: p.id,
    title: p.title,
    language: p.language,
    canWrite: PUBLISHED_STATES.includes(p.status),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const locale = requestLocale(request);
  const t = translator(locale);
  const form = await readForm(request, UPDATE_FORM_BYTES);
  const values = { title: String(form.get("title") ?? ""), body: String(form.get("body") ?? "") };
  const parsed = UpdateDraftForm.safeParse(values);
  if (!parsed.success) {
    return data({ values, errors: translatedFieldErrors(parsed.error, t, updateLimitValues(locale)) }, { status: 400 });
  }
  const id = await createUpdate(context.db, { petitionId: p.id, userId: user.id, input: parsed.data });
  if (id === null) throw new Response(t("updates.new.notOnSite"), { status: 409 });
  throw redirect(`/organize/${p.id}/updates/${id}?saved=1`);
}

export default function NewUpdate() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}/updates`}>{t("updates.new.back")}</Link>
      </p>
      <p className="eyebrow" lang={d.language}>
        {d.title}
      </p>
      <h1>{t("updates.new.heading")}</h1>
      {d.canWrite ? (
        <>
          <p>{t("updates.new.intro")}</p>
          <UpdateForm
            action={`/organize/${d.id}/updates/new`}
            values={a?.values ?? {}}
            errors={a?.errors ?? {}}
            limits={{ title: UPDATE_TITLE_MAX, body: UPDATE_BODY_MAX }}
          />
        </>
      ) : (
        <p className="notice">{t("updates.new.notOnSite")}</p>
      )}
    </section>
  );
}
