import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/services/session.server";
import { DecisionMakers } from "~/components/decision-makers";
import { Checkbox, ErrorSummary, Field, Fieldset, summaryOf } from "~/components/field";
import { StatusTag } from "~/components/status";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatDate } from "~/lib/time";
import { approvePetition, hidePetition, rejectPetition } from "~/models/moderation.server";
import { decideCoverImage } from "~/models/image.server";
import { getPetitionForOrganizer } from "~/models/organize.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { listAudit } from "~/models/audit.server";
import { COVER_IMAGE } from "~/schemas/cover-image";
import { ModerationForm, REJECTION_REASONS } from "~/schemas/petition.server";

export const meta: MetaFunction = () => [{ title: "Review a petition | Undersigned" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const id = Number(params.id);
  const p = Number.isSafeInteger(id) ? await getPetitionForOrganizer(context.db, id, moderator) : undefined;
  if (!p || p.status === "draft") throw new Response("Not found", { status: 404 });
  return {
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
    reasons: Object.entries(REJECTION_REASONS).map(([value, label]) => ({ value, label })),
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
  const input = parsed.data;
  if (input.intent === "approve-image" || input.intent === "decline-image") {
    if (!(await decideCoverImage(context.db, { ...decision, approve: input.intent === "approve-image" })))
      throw new Response("No new image is waiting: someone else may have decided first.", { status: 409 });
    throw redirect(`/moderate?image=${id}`);
  }
  const done =
    input.intent === "approve"
      ? await approvePetition(context.db, decision)
      : input.intent === "reject"
        ? await rejectPetition(context.db, { ...decision, reason: input.reason, note: input.note, hide: input.hide })
        : await hidePetition(context.db, { ...decision, note: input.note });
  if (!done)
    throw new Response("That decision no longer applies: someone else may have decided first.", { status: 409 });
  throw redirect(`/moderate?decided=${id}`);
}

export default function ReviewPetition() {
  const p = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  // The reject and take-down forms both have a note: each shows only its own answer's errors and values.
  const errorsFor = (intent: string): Record<string, string> => (a?.intent === intent ? a.errors : {});
  const valuesFor = (intent: string): Record<string, string> => (a?.intent === intent ? a.values : {});
  const rejectErrors = errorsFor("reject");
  const hideErrors = errorsFor("hide");
  return (
    <section>
      <p>
        <Link to="/moderate">← Moderation queue</Link> ·{" "}
        <Link to={`/moderate/petitions/${p.id}/safety`}>Signatures and fraud</Link>
      </p>
      <p className="eyebrow">
        <StatusTag status={p.status} /> {p.submittedAt ? `Submitted ${formatDate(p.submittedAt)}` : null}
      </p>
      <h1>{p.title}</h1>
      <DecisionMakers makers={p.decisionMakers} />
      <p className="lead">{p.summary}</p>
      {p.pendingImage ? (
        <section className="card" id="cover-image" aria-labelledby="new-image-heading">
          <h2 id="new-image-heading">New cover image, waiting for you</h2>
          <p>
            The organizer uploaded it{p.pendingImage.uploadedAt ? ` on ${formatDate(p.pendingImage.uploadedAt)}` : ""}.
            It shows nowhere until you approve it; then it{" "}
            {p.imageUrl ? "replaces the cover below" : "becomes the petition’s cover"}, on the page and in every share.
          </p>
          <img
            className="cover-image"
            src={p.pendingImage.url}
            alt="The new cover the organizer uploaded"
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
          <Form method="post" className="form-actions">
            <button type="submit" name="intent" value="approve-image" className="button">
              Approve the image
            </button>
            <button type="submit" name="intent" value="decline-image" className="button button--danger">
              Decline and delete it
            </button>
          </Form>
        </section>
      ) : null}
      {p.imageUrl ? (
        <figure className="review-cover">
          <img
            className="cover-image"
            src={p.imageUrl}
            alt="The petition’s cover"
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
          <figcaption className="hint">
            {p.status === "in_review"
              ? "The cover image, part of what you approve: it shows on the page and when people share it."
              : "The cover image on the page now."}
          </figcaption>
        </figure>
      ) : (
        <p className="hint">No cover image.</p>
      )}
      <div className="prose card" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
      <p className="hint">
        Goal: {p.goal ?? "automatic"}. Closing date:{" "}
        {p.closesAt ? formatDate(p.closesAt) : "six months after publication"}.
      </p>

      {p.status === "in_review" ? (
        <>
          <section className="card" aria-labelledby="approve-heading">
            <h2 id="approve-heading">Approve</h2>
            <Form method="post">
              <button type="submit" name="intent" value="approve" className="button">
                Approve and publish
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="reject-heading">
            <h2 id="reject-heading">Reject</h2>
            <Form method="post" noValidate>
              <ErrorSummary
                errors={summaryOf(rejectErrors, { reason: `reason-${p.reasons[0].value}`, note: "note", hide: "hide" })}
              />
              <Fieldset id="reason" legend="Reason" error={rejectErrors.reason}>
                {p.reasons.map((r) => (
                  <div className="choice" key={r.value}>
                    <input
                      type="radio"
                      name="reason"
                      id={`reason-${r.value}`}
                      value={r.value}
                      defaultChecked={valuesFor("reject").reason === r.value}
                    />
                    <label htmlFor={`reason-${r.value}`}>{r.label}</label>
                  </div>
                ))}
              </Fieldset>
              <Field
                id="note"
                label="Note to the organizer (optional; shown on the public page unless hidden)"
                error={rejectErrors.note}
              >
                {(aria) => (
                  <textarea {...aria} name="note" rows={3} maxLength={1000} defaultValue={valuesFor("reject").note} />
                )}
              </Field>
              <Checkbox
                id="hide"
                label="Hide it completely (no public page), e.g. for offensive or defamatory text"
                error={rejectErrors.hide}
              >
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
                Reject
              </button>
            </Form>
          </section>
        </>
      ) : null}

      {p.status !== "hidden" ? (
        <section className="card" aria-labelledby="hide-heading">
          <h2 id="hide-heading">Take it down</h2>
          <p>Removes it from the site entirely, whatever its state.</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(hideErrors, { note: "hide-note" })} />
            <Field id="hide-note" label="Why (kept in the audit log and sent to the organizer)" error={hideErrors.note}>
              {(aria) => (
                <textarea {...aria} name="note" rows={2} maxLength={1000} defaultValue={valuesFor("hide").note} />
              )}
            </Field>
            <button type="submit" name="intent" value="hide" className="button button--danger">
              Take it down
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ul>
          {p.history.map((h) => (
            <li key={h.id}>
              {h.created_at.slice(0, 16).replace("T", " ")} UTC: {h.action} by {h.actorEmail ?? "the system"}
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
