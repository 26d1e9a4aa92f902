import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requireRole } from "~/services/session.server";
import { DecisionMakers } from "~/components/decision-makers";
import { Checkbox, ErrorSummary, Field, Fieldset, summaryOf } from "~/components/field";
import { StatusTag } from "~/components/status";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatDate, formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { approvePetition, hidePetition, rejectPetition } from "~/models/moderation.server";
import { decideCoverImage } from "~/models/image.server";
import { getPetitionForOrganizer } from "~/models/organize.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { listAudit } from "~/models/audit.server";
import { COVER_IMAGE } from "~/schemas/cover-image";
import { ModerationForm, REJECTION_REASONS } from "~/schemas/petition.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const id = Number(params.id);
  const p = Number.isSafeInteger(id) ? await getPetitionForOrganizer(context.db, id, moderator) : undefined;
  if (!p || p.status === "draft") throw new Response("Not found", { status: 404 });
  return {
    pageTitle: translator(requestLocale(request))("moderate.review.title"),
    language: p.language,
    id: p.id,
    title: p.title,
    summary: p.summary,
    bodyHtml: p.body_html,
    status: p.status,
    slug: p.slug,
    submittedAt: p.submitted_at,
    goal: p.goal,
    closesAt: p.closes_at,
    decisionMakers: p.decisionMakers,
    imageUrl: p.image_id ? `/images/${p.image_id}` : null,
    // A new cover for a published petition, waiting for a decision; it shows nowhere until approved (ADR 0007).
    pendingImage:
      p.pending_image_id && PUBLISHED_STATES.includes(p.status)
        ? { url: `/images/${p.pending_image_id}`, uploadedAt: p.pending_image_at }
        : null,
    history: await listAudit(context.db, { petitionId: p.id, limit: 20 }),
    reasons: Object.keys(REJECTION_REASONS),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const id = Number(params.id);
  if (!Number.isSafeInteger(id)) throw new Response("Not found", { status: 404 });
  const form = await readForm(request);
  const raw = submittedValues(form);
  const parsed = ModerationForm.safeParse(raw);
  if (!parsed.success) {
    return data({ intent: raw.intent ?? "", errors: fieldErrors(parsed.error), values: raw }, { status: 400 });
  }
  const decision = { petitionId: id, moderatorId: moderator.id, site: { appUrl: context.config.appUrl } };
  const t = translator(requestLocale(request));
  const input = parsed.data;
  if (input.intent === "approve-image" || input.intent === "decline-image") {
    if (!(await decideCoverImage(context.db, { ...decision, approve: input.intent === "approve-image" })))
      throw new Response(t("moderate.review.imageDecided"), { status: 409 });
    throw redirect(`/moderate?image=${id}`);
  }
  const done =
    input.intent === "approve"
      ? await approvePetition(context.db, decision)
      : input.intent === "reject"
        ? await rejectPetition(context.db, { ...decision, reason: input.reason, note: input.note, hide: input.hide })
        : await hidePetition(context.db, { ...decision, note: input.note });
  if (!done) throw new Response(t("moderate.review.decided"), { status: 409 });
  throw redirect(`/moderate?decided=${id}`);
}

export default function ReviewPetition() {
  const p = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  // The reject and take-down forms both have a note: each shows only its own answer's errors and values.
  const errorsFor = (intent: string): Record<string, string> => (a?.intent === intent ? a.errors : {});
  const valuesFor = (intent: string): Record<string, string> => (a?.intent === intent ? a.values : {});
  const { t, i18n } = useTranslation();
  const date = (iso: string) => formatDate(iso, i18n.language as Locale);
  const rejectErrors = errorsFor("reject");
  const hideErrors = errorsFor("hide");
  return (
    <section>
      <p>
        <Link to="/moderate">{t("moderate.backToQueue")}</Link> ·{" "}
        <Link to={`/moderate/petitions/${p.id}/safety`}>{t("moderate.review.safetyLink")}</Link>
      </p>
      <p className="eyebrow">
        <StatusTag status={p.status} />{" "}
        {p.submittedAt ? t("moderate.review.submitted", { date: date(p.submittedAt) }) : null}
      </p>
      <h1 lang={p.language}>{p.title}</h1>
      <DecisionMakers makers={p.decisionMakers} />
      <p className="lead" lang={p.language}>
        {p.summary}
      </p>
      {p.pendingImage ? (
        <section className="card" id="cover-image" aria-labelledby="new-image-heading">
          <h2 id="new-image-heading">{t("moderate.review.newImageHeading")}</h2>
          <p>
            {p.pendingImage.uploadedAt
              ? t("moderate.review.uploadedOn", { date: date(p.pendingImage.uploadedAt) })
              : t("moderate.review.uploaded")}{" "}
            {p.imageUrl ? t("moderate.review.replacesCover") : t("moderate.review.becomesCover")}
          </p>
          <img
            className="cover-image"
            src={p.pendingImage.url}
            alt={t("moderate.review.newImageAlt")}
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
          <Form method="post" className="form-actions">
            <button type="submit" name="intent" value="approve-image" className="button">
              {t("moderate.review.approveImage")}
            </button>
            <button type="submit" name="intent" value="decline-image" className="button button--danger">
              {t("moderate.review.declineImage")}
            </button>
          </Form>
        </section>
      ) : null}
      {p.imageUrl ? (
        <figure className="review-cover">
          <img
            className="cover-image"
            src={p.imageUrl}
            alt={t("moderate.review.coverAlt")}
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
          <figcaption className="hint">
            {p.status === "in_review" ? t("moderate.review.coverInReview") : t("moderate.review.coverNow")}
          </figcaption>
        </figure>
      ) : (
        <p className="hint">{t("moderate.review.noCover")}</p>
      )}
      <div className="prose card" lang={p.language} dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
      <p className="hint">
        {t("moderate.review.goalAndClosing", {
          goal: p.goal === null ? t("moderate.review.goalAutomatic") : formatNumber(p.goal, i18n.language as Locale),
          closing: p.closesAt ? date(p.closesAt) : t("moderate.review.closingDefault"),
        })}
      </p>

      {p.status === "in_review" ? (
        <>
          <section className="card" aria-labelledby="approve-heading">
            <h2 id="approve-heading">{t("moderate.review.approveHeading")}</h2>
            <Form method="post">
              <button type="submit" name="intent" value="approve" className="button">
                {t("moderate.review.approve")}
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="reject-heading">
            <h2 id="reject-heading">{t("moderate.review.rejectHeading")}</h2>
            <Form method="post" noValidate>
              <ErrorSummary
                errors={summaryOf(rejectErrors, { reason: `reason-${p.reasons[0]}`, note: "note", hide: "hide" })}
              />
              <Fieldset id="reason" legend={t("moderate.review.reason")} error={rejectErrors.reason}>
                {p.reasons.map((r) => (
                  <div className="choice" key={r}>
                    <input
                      type="radio"
                      name="reason"
                      id={`reason-${r}`}
                      value={r}
                      defaultChecked={valuesFor("reject").reason === r}
                    />
                    <label htmlFor={`reason-${r}`}>{t(`moderate.review.reasons.${r}`)}</label>
                  </div>
                ))}
              </Fieldset>
              <Field id="note" label={t("moderate.review.note")} error={rejectErrors.note}>
                {(aria) => (
                  <textarea {...aria} name="note" rows={3} maxLength={1000} defaultValue={valuesFor("reject").note} />
                )}
              </Field>
              <Checkbox id="hide" label={t("moderate.review.hideCompletely")} error={rejectErrors.hide}>
                {(aria) => (
                  <input
                    {...aria}
                    type="checkbox"
                    name="hide"
                    value="yes"
                    defaultChecked={valuesFor("reject").hide === "yes"}
                  />
                )}
              </Checkbox>
              <button type="submit" name="intent" value="reject" className="button button--danger">
                {t("moderate.review.reject")}
              </button>
            </Form>
          </section>
        </>
      ) : null}

      {p.status !== "hidden" ? (
        <section className="card" aria-labelledby="hide-heading">
          <h2 id="hide-heading">{t("moderate.review.takeDownHeading")}</h2>
          <p>{t("moderate.review.takeDownIntro")}</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(hideErrors, { note: "hide-note" })} />
            <Field id="hide-note" label={t("moderate.review.takeDownWhy")} error={hideErrors.note}>
              {(aria) => (
                <textarea {...aria} name="note" rows={2} maxLength={1000} defaultValue={valuesFor("hide").note} />
              )}
            </Field>
            <button type="submit" name="intent" value="hide" className="button button--danger">
              {t("moderate.review.takeDown")}
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t("moderate.review.history")}</h2>
        <ul>
          {p.history.map((h) => (
            <li key={h.id}>
              <Trans
                i18nKey={h.actorEmail ? "moderate.review.historyEntry" : "moderate.review.historyEntrySystem"}
                values={{ when: h.created_at.slice(0, 16).replace("T", " "), action: h.action, who: h.actorEmail }}
                components={{ 1: <span translate="no" />, 2: <span translate="no" /> }}
              />
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
