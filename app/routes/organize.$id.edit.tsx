import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { DecisionMakers } from "~/components/decision-makers";
import { CoverImageForm } from "~/components/cover-image-form";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { BodyHint, PetitionForm } from "~/components/petition-form";
import { fieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { similarPetitions } from "~/models/browse.server";
import { handlePetitionForm } from "~/services/petition-editing.server";
import { parseSubmission, valuesFromPetition } from "~/services/petition-editing.server";
import { editPublishedText } from "~/models/organize.server";
import { PETITION_LIMITS } from "~/schemas/petition-fields";
import { addMonths, isoDay, PublishedTextForm } from "~/schemas/petition.server";
import type { action as imageAction } from "./organize.$id.image";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const url = new URL(request.url);
  const values = valuesFromPetition(petition);
  const check = url.searchParams.has("check") ? parseSubmission(values) : null;
  const today = new Date();
  const t = translator(requestLocale(request));
  return {
    pageTitle: t("campaignEdit.pageTitle"),
    language: petition.language,
    id: petition.id,
    status: petition.status,
    slug: petition.slug,
    title: petition.title,
    decisionMakers: petition.decisionMakers,
    values,
    errors: check && !check.ok ? check.errors : {},
    previewHtml: url.searchParams.has("preview") ? petition.body_html : null,
    extraMakerRows: url.searchParams.has("makers") ? 1 : 0,
    savedAt: url.searchParams.has("saved") ? petition.updated_at : null,
    imageUrl: petition.image_id ? `/images/${petition.image_id}` : null,
    pendingImageUrl: petition.pending_image_id ? `/images/${petition.pending_image_id}` : null,
    imageReviewed: context.config.moderation && PUBLISHED_STATES.includes(petition.status),
    imageNotice:
      ({ "1": "saved", pending: "pending", removed: "removed" } as const)[url.searchParams.get("image") ?? ""] ?? null,
    minDate: isoDay(new Date(today.getTime() + 86_400_000)),
    maxDate: isoDay(addMonths(today, PETITION_LIMITS.months.max)),
    // A draft's saved title, checked against what is already there (the form follows the typing with JavaScript).
    similar: petition.status === "draft" && petition.title ? await similarPetitions(context.db, petition.title) : [],
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  if (petition.status === "draft") return handlePetitionForm(request, context, user, petition.id);
  if (!PUBLISHED_STATES.includes(petition.status))
    throw new Response(translator(requestLocale(request))("campaignEdit.cannotEdit"), { status: 409 });

  const form = await readForm(request, 64 * 1024);
  const values = { summary: String(form.get("summary") ?? ""), body: String(form.get("body") ?? "") };
  const parsed = PublishedTextForm.safeParse(values);
  if (!parsed.success) return data({ values, errors: fieldErrors(parsed.error), previewHtml: null }, { status: 400 });
  if (form.get("intent") === "preview") {
    return data({ values, errors: {}, previewHtml: renderMarkdown(parsed.data.body) });
  }
  await editPublishedText(context.db, { petitionId: petition.id, userId: user.id, ...parsed.data });
  throw redirect(`/organize/${petition.id}?edited=1`);
}

export default function EditPetition() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // This page also answers a refused cover image upload (organize.$id.image.tsx), with that action's data.
  const actionData = useActionData<typeof action | typeof imageAction>();
  const imageError = actionData && "imageError" in actionData ? actionData.imageError : undefined;
  const coverImage = (
    <CoverImageForm
      petitionId={d.id}
      imageUrl={d.imageUrl}
      pendingImageUrl={d.pendingImageUrl}
      reviewed={d.imageReviewed}
      error={imageError}
      notice={d.imageNotice}
    />
  );
  const imageErrorSummary = imageError ? (
    <div className="cover-image-summary">
      <ErrorSummary errors={[{ href: "#image", message: imageError }]} />
    </div>
  ) : null;
  if (d.status === "draft") {
    const a = actionData && "extraMakerRows" in actionData ? actionData : null;
    return (
      <section>
        <p>
          <Link to={`/organize/${d.id}`}>{t("campaignEdit.backToDashboard")}</Link>
        </p>
        <h1>{t("campaignEdit.draftHeading")}</h1>
        {imageErrorSummary}
        <PetitionForm
          action={`/organize/${d.id}/edit`}
          values={a?.values ?? d.values}
          errors={a?.errors ?? d.errors}
          previewHtml={a ? a.previewHtml : d.previewHtml}
          extraMakerRows={a?.extraMakerRows ?? d.extraMakerRows}
          savedAt={a?.savedAt ?? d.savedAt}
          minDate={d.minDate}
          maxDate={d.maxDate}
          similar={d.similar}
        />
        {coverImage}
      </section>
    );
  }
  if (!["open", "closed", "victory"].includes(d.status)) {
    return (
      <section className="notice-page">
        <h1>{t("campaignEdit.locked.heading")}</h1>
        <p>{d.status === "in_review" ? t("campaignEdit.locked.inReview") : t("campaignEdit.locked.gone")}</p>
        <p>
          <Link to={`/organize/${d.id}`}>{t("campaignEdit.locked.back")}</Link>
        </p>
      </section>
    );
  }
  const textData = actionData && "values" in actionData ? actionData : undefined;
  const values = textData?.values ?? { summary: d.values.summary, body: d.values.body };
  const errors: Record<string, string> = textData?.errors ?? {};
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}`}>{t("campaignEdit.backToDashboard")}</Link>
      </p>
      <h1>{t("campaignEdit.heading")}</h1>
      {imageErrorSummary}
      <p className="lead">
        <Trans i18nKey="campaignEdit.lead" components={{ 1: <em lang={d.language} /> }} values={{ title: d.title }} />
      </p>
      <DecisionMakers makers={d.decisionMakers} />
      <Form method="post" action={`/organize/${d.id}/edit`} noValidate className="petition-form">
        <ErrorSummary errors={summaryOf(errors, ["summary", "body"])} />
        <Field id="summary" label={t("campaignEdit.summary")} error={errors.summary}>
          {(aria) => (
            <textarea
              {...aria}
              name="summary"
              rows={3}
              maxLength={PETITION_LIMITS.summary.max}
              defaultValue={values.summary}
            />
          )}
        </Field>
        <Field id="body" label={t("campaignEdit.body")} hint={<BodyHint />} error={errors.body}>
          {(aria) => (
            <textarea {...aria} name="body" rows={14} maxLength={PETITION_LIMITS.body.max} defaultValue={values.body} />
          )}
        </Field>
        {textData?.previewHtml ? (
          <section className="preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t("campaignEdit.previewHeading")}</h2>
            <div className="prose" dangerouslySetInnerHTML={{ __html: textData.previewHtml }} />
          </section>
        ) : null}
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className="button">
            {t("campaignEdit.save")}
          </button>
          <button type="submit" name="intent" value="preview" className="button button--secondary">
            {t("campaignEdit.preview")}
          </button>
        </div>
      </Form>
      {coverImage}
    </section>
  );
}
