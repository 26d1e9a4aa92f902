import { Trans, useTranslation } from "react-i18next";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { UpdateForm } from "~/components/update-form";
import { ProgressFigures, updateStatusLabel } from "~/components/update-status";
import { Checkbox, ErrorSummary, summaryOf } from "~/components/field";
import { submittedValues } from "~/lib/form-errors";
import { translatedFieldErrors } from "~/lib/form-messages.server";
import { readForm } from "~/lib/form.server";
import { requireOrganizerUpdate } from "~/services/petition-access.server";
import { formatDate, formatNumber, type Locale } from "~/lib/i18n";
import { emailLanguage, requestLocale, translator } from "~/lib/i18n.server";
import { throttleMessage } from "~/lib/update-throttle";
import {
  countSubscribers,
  editUpdate,
  nextEmailAllowedAt,
  previewUpdateEmail,
  publishUpdate,
  sendTestUpdate,
  TEST_SENDS_PER_HOUR,
  updateProgress,
} from "~/models/update.server";
import { UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "~/schemas/update-fields";
import { UPDATE_FORM_BYTES, UpdateActionForm, updateLimitValues } from "~/schemas/update.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

/** What the redirect after each action asks the page to say (keys under updates.page.notices). */
const NOTICES = ["saved", "tested", "published", "emailed"] as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, petition: p, update: u } = await requireOrganizerUpdate({ request, context, params });
  const locale = requestLocale(request);
  const t = translator(locale);
  const url = new URL(request.url);
  const notice = NOTICES.find((flag) => url.searchParams.get(flag) === "1") ?? null;
  const base = {
    pageTitle: t("updates.page.pageTitle", { title: u.title }),
    language: p.language,
    petition: { id: p.id, title: p.title, slug: p.slug, isPublic: PUBLISHED_STATES.includes(p.status) },
    update: { id: u.id, title: u.title, bodyHtml: u.body_html, savedAt: u.updated_at },
    notice,
  };
  if (u.status === "published") {
    const emailed = u.email_status !== "none";
    const progress = emailed ? await updateProgress(context.db, u.id) : null;
    return {
      ...base,
      state: "published" as const,
      publishedAt: u.published_at,
      emailedAt: u.email_queued_at,
      recipients: u.recipients,
      statusLabel: updateStatusLabel({ status: u.status, emailStatus: u.email_status, progress }),
      progress,
    };
  }
  const interval = context.config.updateEmailMinIntervalMs;
  const next = await nextEmailAllowedAt(context.db, p.id, interval);
  const preview = previewUpdateEmail({ appUrl: context.config.appUrl }, u, emailLanguage(locale));
  return {
    ...base,
    state: "draft" as const,
    values: { title: u.title, body: u.body_markdown },
    subject: preview.subject,
    emailText: preview.text,
    me: user.email,
    canPublish: PUBLISHED_STATES.includes(p.status),
    subscribers: await countSubscribers(context.db, p.id),
    throttled: next ? throttleMessage(next, interval, { t, locale }) : null,
  };
}

type ActionData = { intent: string; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p, update: u } = await requireOrganizerUpdate({ request, context, params });
  const locale = requestLocale(request);
  const t = translator(locale);
  const form = await readForm(request, UPDATE_FORM_BYTES);
  const raw = submittedValues(form);
  const parsed = UpdateActionForm.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>(
      {
        intent: raw.intent ?? "",
        errors: translatedFieldErrors(parsed.error, t, updateLimitValues(locale)),
        values: raw,
      },
      { status: 400 },
    );
  }
  const here = `/organize/${p.id}/updates/${u.id}`;
  const site = { appUrl: context.config.appUrl };
  const input = parsed.data;
  switch (input.intent) {
    case "save":
      if (
        !(await editUpdate(context.db, {
          updateId: u.id,
          userId: user.id,
          input: { title: input.title, body: input.body },
        }))
      ) {
        throw new Response(t("updates.page.alreadyPublished"), { status: 409 });
      }
      throw redirect(`${here}?saved=1`);
    case "test": {
      const sent = await sendTestUpdate(context.db, { updateId: u.id, userId: user.id, to: user.email, site });
      if (sent === "too_many") {
        const message = t("updates.page.tooManyTests", {
          count: TEST_SENDS_PER_HOUR,
          number: formatNumber(TEST_SENDS_PER_HOUR, locale),
        });
        return data<ActionData>({ intent: "test", errors: { test: message }, values: {} }, { status: 429 });
      }
      if (sent === "not_found") throw new Response("Not found", { status: 404 });
      throw redirect(`${here}?tested=1`);
    }
    case "publish": {
      const email = input.email === "yes";
      const interval = context.config.updateEmailMinIntervalMs;
      const result = await publishUpdate(context.db, {
        updateId: u.id,
        userId: user.id,
        email,
        minIntervalMs: interval,
        site,
      });
      if (result === "throttled") {
        const next = await nextEmailAllowedAt(context.db, p.id, interval);
        const message = next ? throttleMessage(next, interval, { t, locale }) : t("updates.page.tooRecent");
        return data<ActionData>({ intent: "publish", errors: { email: message }, values: raw }, { status: 400 });
      }
      if (result === "not_found") throw new Response(t("updates.page.cannotPublish"), { status: 409 });
      throw redirect(`${here}?${email ? "emailed" : "published"}=1`);
    }
  }
}

export default function UpdatePage() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.petition.id}/updates`}>{t("updates.page.back")}</Link>
      </p>
      <p className="eyebrow">{d.state === "draft" ? t("updates.page.draft") : t("updates.page.published")}</p>
      <h1 lang={d.language}>{d.update.title}</h1>
      {d.notice ? (
        <p className="notice" role="status">
          {t(`updates.page.notices.${d.notice}`)}
        </p>
      ) : null}
      {d.state === "draft" ? <Draft d={d} /> : <Published d={d} />}
    </section>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Published({ d }: { d: Extract<Data, { state: "published" }> }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const recipients = { count: d.recipients, number: formatNumber(d.recipients, locale) };
  return (
    <>
      <dl className="mail-meta">
        <dt>{t("updates.page.publishedOn")}</dt>
        <dd>{d.publishedAt ? formatDate(d.publishedAt, locale) : "–"}</dd>
        <dt>{t("updates.page.status")}</dt>
        <dd>{t(d.statusLabel)}</dd>
        {d.progress ? (
          <>
            <dt>{t("updates.page.emailed")}</dt>
            <dd>
              {d.emailedAt
                ? t("updates.page.emailedOn", { ...recipients, date: formatDate(d.emailedAt, locale) })
                : t("updates.page.recipients", recipients)}
            </dd>
            <dt>{t("updates.page.progress")}</dt>
            <dd>
              <ProgressFigures progress={d.progress} />
            </dd>
          </>
        ) : null}
      </dl>
      {d.petition.isPublic ? (
        <p>
          <Link to={`/petitions/${d.petition.slug}/updates/${d.update.id}`}>{t("updates.page.seeIt")}</Link>
        </p>
      ) : null}
      <section className="preview" aria-labelledby="published-heading">
        <h2 id="published-heading">{t("updates.page.asPublished")}</h2>
        <div className="prose" lang={d.language} dangerouslySetInnerHTML={{ __html: d.update.bodyHtml }} />
      </section>
      <p className="hint">{t("updates.page.stayAsSent")}</p>
    </>
  );
}

function Draft({ d }: { d: Extract<Data, { state: "draft" }> }) {
  const { t, i18n } = useTranslation();
  const a = useActionData<typeof action>();
  const errorsFor = (intent: string) => (a?.intent === intent ? a.errors : {});
  const edited = a?.intent === "save" ? a.values : d.values;
  // The saved time in the address makes the frame load again after a save, also when JavaScript keeps the page;
  // the language, so that it is the page's also when only the page's address chose it.
  const frameSrc = `/organize/${d.petition.id}/updates/${d.update.id}/email.html?saved=${encodeURIComponent(d.update.savedAt)}&lang=${encodeURIComponent(i18n.language)}`;
  const canEmail = d.canPublish && !d.throttled && d.subscribers > 0;
  const emailError = errorsFor("publish").email;
  return (
    <>
      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">{t("updates.page.edit")}</h2>
        <UpdateForm
          action={`/organize/${d.petition.id}/updates/${d.update.id}`}
          values={edited}
          errors={errorsFor("save")}
          limits={{ title: UPDATE_TITLE_MAX, body: UPDATE_BODY_MAX }}
        />
      </section>

      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">{t("updates.page.preview")}</h2>
        <p className="hint">{t("updates.page.previewHint")}</p>
        <section className="preview" aria-labelledby="page-preview-heading">
          <h3 id="page-preview-heading">{t("updates.page.asPage")}</h3>
          <h4 lang={d.language}>{d.update.title}</h4>
          <div className="prose" lang={d.language} dangerouslySetInnerHTML={{ __html: d.update.bodyHtml }} />
        </section>
        <section aria-labelledby="email-preview-heading">
          <h3 id="email-preview-heading">{t("updates.page.asEmail")}</h3>
          <p>
            <strong>{t("updates.page.subject")}</strong> <span lang={d.language}>{d.subject}</span>
          </p>
          {/* Sandboxed with no permissions: the email's links and anything in it stay inert. */}
          <iframe
            className="mail-frame"
            title={t("updates.page.frameTitle", { subject: d.subject })}
            src={frameSrc}
            sandbox=""
          />
          <h4>{t("updates.page.plainText")}</h4>
          <pre className="mail-text">{d.emailText}</pre>
        </section>
        <Form method="post" noValidate>
          {/* Nothing to correct in this form, only a limit: the summary says so, without a link. */}
          <ErrorSummary errors={summaryOf(errorsFor("test"), [])} />
          <button type="submit" name="intent" value="test" className="button button--secondary">
            {t("updates.page.sendTest")}
          </button>{" "}
          <span className="hint">
            <Trans i18nKey="updates.page.testTo" values={{ email: d.me }} components={{ 1: <span translate="no" /> }} />
          </span>
        </Form>
      </section>

      <section aria-labelledby="publish-heading" className="card">
        <h2 id="publish-heading">{t("updates.page.publish")}</h2>
        {d.canPublish ? (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("publish"), ["email"])} />
            <p>{t("updates.page.publishIntro")}</p>
            <Checkbox
              id="email"
              label={t("updates.page.alsoEmail", {
                count: d.subscribers,
                number: formatNumber(d.subscribers, i18n.language as Locale),
              })}
              hint={
                d.throttled && !emailError
                  ? t("updates.page.throttledHint", { reason: d.throttled })
                  : d.subscribers === 0
                    ? t("updates.page.noSubscribers")
                    : t("updates.page.subscribersHint")
              }
              error={emailError}
            >
              {(aria) => <input {...aria} type="checkbox" name="email" value="yes" disabled={!canEmail} />}
            </Checkbox>
            <button type="submit" name="intent" value="publish" className="button">
              {t("updates.page.publish")}
            </button>
          </Form>
        ) : (
          <p>{t("updates.page.notOnSite")}</p>
        )}
      </section>
    </>
  );
}
