import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { readForm } from "~/lib/form.server";
import { formatDate, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { listResponsesForModerators } from "~/models/response-lists.server";
import { hideResponse } from "~/models/responses.server";
import { HideResponseForm } from "~/schemas/response.server";
import { RESPONSE_LIMITS } from "~/schemas/response-fields";
import { requireRole } from "~/services/session.server";
import { fieldErrors } from "~/lib/form-errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/**
 * Decision makers' responses across the site, newest first. A moderator can hide an abusive one, saying
 * why: it leaves the petition's page (a line says a moderator hid it), its emails not yet sent stop, and
 * the organizers and the decision maker are told the reason. Audited as response.hide.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const url = new URL(request.url);
  const rows = await listResponsesForModerators(context.db);
  const t = translator(requestLocale(request));
  return {
    title: t("moderate.responses.title"),
    notice: url.searchParams.has("hidden") ? t("moderate.responses.hiddenNotice") : null,
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
      language: r.language,
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
      { responseId, errors: { reason: "moderate.responses.errors.alreadyHidden" }, reason },
      { status: 409 },
    );
  }
  throw redirect(`/moderate/responses?hidden=${parsed.data.responseId}`);
}

export default function ModerateResponses() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <section>
      <p>
        <Link to="/moderate">{t("moderate.backToQueue")}</Link>
      </p>
      <h1>{t("moderate.responses.heading")}</h1>
      <p>{t("moderate.responses.intro")}</p>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      {a && !d.responses.some((r) => r.id === a.responseId) ? (
        <p className="field-error" role="alert">
          {t(a.errors.responseId ?? a.errors.reason ?? "moderate.responses.errors.choose")}
        </p>
      ) : null}
      {d.responses.length === 0 ? <p>{t("moderate.responses.none")}</p> : null}
      {d.responses.map((r) => {
        const error = a && a.responseId === r.id ? (a.errors.reason ?? a.errors.responseId) : undefined;
        return (
          <article key={r.id} className="card moderated-response" aria-labelledby={`moderated-${r.id}`}>
            <h2 id={`moderated-${r.id}`} translate="no">
              {r.heading}
            </h2>
            <p className="hint">
              <Trans
                i18nKey={
                  r.source === "organizer" ? "moderate.responses.aboutRecorded" : "moderate.responses.aboutPublished"
                }
                values={{ date: formatDate(r.respondedOn, locale), petition: r.petitionTitle, maker: r.makerName }}
                components={{
                  1: <Link to={`/moderate/${r.petitionId}`} lang={r.language} />,
                  2: <span translate="no" />,
                  // Trans puts the catalog's words inside.
                  // eslint-disable-next-line jsx-a11y/anchor-has-content
                  3: <a href={`/petitions/${r.slug}/responses/${r.id}`} />,
                }}
              />
            </p>
            <div className="prose moderated-text" lang={r.language} dangerouslySetInnerHTML={{ __html: r.bodyHtml }} />
            {r.hiddenAt ? (
              <p className="notice">
                <Trans
                  i18nKey={r.hiddenBy ? "moderate.responses.hiddenBy" : "moderate.responses.hidden"}
                  values={{ date: formatDate(r.hiddenAt, locale), by: r.hiddenBy, reason: r.hiddenReason }}
                  components={{ 1: <span translate="no" />, 2: <span translate="no" /> }}
                />
              </p>
            ) : (
              <Form method="post" noValidate>
                <input type="hidden" name="responseId" value={r.id} />
                <div className={error ? "field field--error" : "field"}>
                  <label htmlFor={`reason-${r.id}`}>{t("moderate.responses.why")}</label>
                  <p className="hint" id={`reason-${r.id}-hint`}>
                    {t("moderate.responses.whyHint")}
                  </p>
                  {error ? (
                    <p className="field-error" id={`reason-${r.id}-error`}>
                      <span className="visually-hidden">{t("moderate.errorPrefix")} </span>
                      {t(error)}
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
                  {t("moderate.responses.hide")}
                </button>
              </Form>
            )}
          </article>
        );
      })}
    </section>
  );
}
