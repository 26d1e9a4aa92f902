import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "~/lib/form.server";
import { formatDate } from "~/lib/time";
import { listResponsesForModerators } from "~/models/response-lists.server";
import { hideResponse } from "~/models/responses.server";
import { HideResponseForm } from "~/schemas/response.server";
import { RESPONSE_LIMITS } from "~/schemas/response-fields";
import { requireRole } from "~/services/session.server";
import { fieldErrors } from "~/lib/form-errors";

export const meta: MetaFunction = () => [{ title: "Responses | Undersigned" }];

/**
 * Decision makers' responses across the site, newest first. A moderator can hide an abusive one, saying
 * why: it leaves the petition's page (a line says a moderator hid it), its emails not yet sent stop, and
 * the organizers and the decision maker are told the reason. Audited as response.hide.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const url = new URL(request.url);
  const rows = await listResponsesForModerators(context.db);
  return {
    notice: url.searchParams.has("hidden") ? "The response is hidden, and the people concerned are told why." : null,
    responses: rows.map((r) => ({
      id: r.id,
      heading: `${r.name}${r.title ? `, ${r.title}` : ""}`,
      makerName: r.makerName,
      source: r.source,
      respondedOn: r.responded_on,
      bodyHtml: r.body_html,
      hiddenAt: r.hidden_at,
      hiddenReason: r.hidden_reason,
      hiddenBy: r.hiddenBy,
      petitionId: r.petitionId,
      slug: r.slug,
      petitionTitle: r.petitionTitle,
    })),
  };
}

type ActionData = { responseId: number | null; errors: Record<string, string>; reason: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const form = await readForm(request);
  const reason = String(form.get("reason") ?? "");
  const responseId = Number(form.get("responseId")) || null;
  const parsed = HideResponseForm.safeParse({ responseId: form.get("responseId") ?? undefined, reason });
  if (!parsed.success) {
    return data<ActionData>(
      { responseId, errors: fieldErrors(parsed.error, { formKey: "form" }), reason },
      { status: 400 },
    );
  }
  const result = await hideResponse(context.db, {
    responseId: parsed.data.responseId,
    moderatorId: moderator.id,
    reason: parsed.data.reason,
    site: { appUrl: context.config.appUrl },
  });
  if (result === "not_found") throw new Response("Not found", { status: 404 });
  if (result === "already_hidden") {
    return data<ActionData>(
      { responseId, errors: { reason: "Another moderator has already hidden this response." }, reason },
      { status: 409 },
    );
  }
  throw redirect(`/moderate/responses?hidden=${parsed.data.responseId}`);
}

export default function ModerateResponses() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section>
      <p>
        <Link to="/moderate">← Moderation queue</Link>
      </p>
      <h1>Responses</h1>
      <p>
        What decision makers have published through their private links, and what organizers have recorded, the newest
        first. Hide a response that is abusive or not what it claims to be: the organizers and the decision maker are
        emailed your reason.
      </p>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      {a && !d.responses.some((r) => r.id === a.responseId) ? (
        <p className="field-error" role="alert">
          {a.errors.responseId ?? a.errors.reason ?? "Choose a response"}
        </p>
      ) : null}
      {d.responses.length === 0 ? <p>No response has been published yet.</p> : null}
      {d.responses.map((r) => {
        const error = a && a.responseId === r.id ? (a.errors.reason ?? a.errors.responseId) : undefined;
        return (
          <article key={r.id} className="card moderated-response" aria-labelledby={`moderated-${r.id}`}>
            <h2 id={`moderated-${r.id}`}>{r.heading}</h2>
            <p className="hint">
              {formatDate(r.respondedOn)} · to <Link to={`/moderate/${r.petitionId}`}>{r.petitionTitle}</Link>,
              addressed to {r.makerName} ·{" "}
              {r.source === "organizer" ? "recorded by an organizer" : "published through the private link"} ·{" "}
              <a href={`/petitions/${r.slug}/responses/${r.id}`}>its page</a>
            </p>
            <div className="prose moderated-text" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
            {r.hiddenAt ? (
              <p className="notice">
                Hidden on {formatDate(r.hiddenAt)}
                {r.hiddenBy ? ` by ${r.hiddenBy}` : ""}. The reason: {r.hiddenReason}
              </p>
            ) : (
              <Form method="post" noValidate>
                <input type="hidden" name="responseId" value={r.id} />
                <div className={error ? "field field--error" : "field"}>
                  <label htmlFor={`reason-${r.id}`}>Why hide it?</label>
                  <p className="hint" id={`reason-${r.id}-hint`}>
                    The organizers and the decision maker read this.
                  </p>
                  {error ? (
                    <p className="field-error" id={`reason-${r.id}-error`}>
                      <span className="visually-hidden">Error: </span>
                      {error}
                    </p>
                  ) : null}
                  <textarea
                    id={`reason-${r.id}`}
                    name="reason"
                    rows={2}
                    maxLength={RESPONSE_LIMITS.hideReason.max}
                    defaultValue={a && a.responseId === r.id ? a.reason : ""}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={`reason-${r.id}-hint${error ? ` reason-${r.id}-error` : ""}`}
                  />
                </div>
                <button type="submit" className="button button--danger">
                  Hide this response
                </button>
              </Form>
            )}
          </article>
        );
      })}
    </section>
  );
}
