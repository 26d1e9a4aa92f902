import { useTranslation } from "react-i18next";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { UpdateForm } from "~/components/update-form";
import { ProgressFigures, updateStatusLabel } from "~/components/update-status";
import { Checkbox, ErrorSummary, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { requireOrganizerUpdate } from "~/services/petition-access.server";
import { formatCount, formatDate } from "~/lib/time";
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
import { UPDATE_FORM_BYTES, UpdateActionForm } from "~/schemas/update.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Update: ${data.update.title} | Undersigned` : "Update | Undersigned" },
];

const NOTICES = {
  saved: "The draft is saved. The previews below show it as it is now.",
  tested: "A test is on its way to your inbox. It is marked [Test], and its links do nothing.",
  published: "The update is published on the campaign’s page.",
  emailed: "The update is published on the campaign’s page, and it is being emailed to the subscribers.",
} as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, petition: p, update: u } = await requireOrganizerUpdate({ request, context, params });
  const url = new URL(request.url);
  const notice = Object.entries(NOTICES).find(([flag]) => url.searchParams.get(flag) === "1")?.[1] ?? null;
  const base = {
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
  const preview = previewUpdateEmail({ appUrl: context.config.appUrl }, u);
  return {
    ...base,
    state: "draft" as const,
    values: { title: u.title, body: u.body_markdown },
    subject: preview.subject,
    emailText: preview.text,
    me: user.email,
    canPublish: PUBLISHED_STATES.includes(p.status),
    subscribers: await countSubscribers(context.db, p.id),
    throttled: next ? throttleMessage(next, interval) : null,
  };
}

type ActionData = { intent: string; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p, update: u } = await requireOrganizerUpdate({ request, context, params });
  const form = await readForm(request, UPDATE_FORM_BYTES);
  const raw = submittedValues(form);
  const parsed = UpdateActionForm.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>(
      { intent: raw.intent ?? "", errors: fieldErrors(parsed.error), values: raw },
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
        throw new Response("This update is published, so it can no longer be changed.", { status: 409 });
      }
      throw redirect(`${here}?saved=1`);
    case "test": {
      const sent = await sendTestUpdate(context.db, { updateId: u.id, userId: user.id, to: user.email, site });
      if (sent === "too_many") {
        const message = `You have sent ${TEST_SENDS_PER_HOUR} tests in the last hour. Please wait a while before sending another.`;
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
        const message = next
          ? throttleMessage(next, interval)
          : "An update was emailed too recently. Please try again.";
        return data<ActionData>({ intent: "publish", errors: { email: message }, values: raw }, { status: 400 });
      }
      if (result === "not_found") throw new Response("This update cannot be published now.", { status: 409 });
      throw redirect(`${here}?${email ? "emailed" : "published"}=1`);
    }
  }
}

export default function UpdatePage() {
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.petition.id}/updates`}>← All updates</Link>
      </p>
      <p className="eyebrow">{d.state === "draft" ? "Draft update" : "Published update"}</p>
      <h1>{d.update.title}</h1>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      {d.state === "draft" ? <Draft d={d} /> : <Published d={d} />}
    </section>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Published({ d }: { d: Extract<Data, { state: "published" }> }) {
  const { t } = useTranslation();
  return (
    <>
      <dl className="mail-meta">
        <dt>Published</dt>
        <dd>{d.publishedAt ? formatDate(d.publishedAt) : "–"}</dd>
        <dt>Status</dt>
        <dd>{t(d.statusLabel)}</dd>
        {d.progress ? (
          <>
            <dt>Emailed</dt>
            <dd>
              {d.emailedAt ? `${formatDate(d.emailedAt)}; ` : null}
              {formatCount(d.recipients)} {d.recipients === 1 ? "recipient" : "recipients"} so far
            </dd>
            <dt>Progress</dt>
            <dd>
              <ProgressFigures progress={d.progress} />
            </dd>
          </>
        ) : null}
      </dl>
      {d.petition.isPublic ? (
        <p>
          <Link to={`/petitions/${d.petition.slug}/updates/${d.update.id}`}>See it on the campaign’s page</Link>
        </p>
      ) : null}
      <section className="preview" aria-labelledby="published-heading">
        <h2 id="published-heading">As published</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: d.update.bodyHtml }} />
      </section>
      <p className="hint">Published updates stay as they were sent.</p>
    </>
  );
}

function Draft({ d }: { d: Extract<Data, { state: "draft" }> }) {
  const a = useActionData<typeof action>();
  const errorsFor = (intent: string) => (a?.intent === intent ? a.errors : {});
  const edited = a?.intent === "save" ? a.values : d.values;
  // The saved time in the address makes the frame load again after a save, also when JavaScript keeps the page.
  const frameSrc = `/organize/${d.petition.id}/updates/${d.update.id}/email.html?saved=${encodeURIComponent(d.update.savedAt)}`;
  const canEmail = d.canPublish && !d.throttled && d.subscribers > 0;
  const emailError = errorsFor("publish").email;
  return (
    <>
      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">Edit</h2>
        <UpdateForm
          action={`/organize/${d.petition.id}/updates/${d.update.id}`}
          values={edited}
          errors={errorsFor("save")}
          limits={{ title: UPDATE_TITLE_MAX, body: UPDATE_BODY_MAX }}
        />
      </section>

      <section aria-labelledby="preview-heading">
        <h2 id="preview-heading">Preview</h2>
        <p className="hint">
          The previews, the test and the publication all use the saved draft: save your changes first.
        </p>
        <section className="preview" aria-labelledby="page-preview-heading">
          <h3 id="page-preview-heading">As the page will show it</h3>
          <h4>{d.update.title}</h4>
          <div className="prose" dangerouslySetInnerHTML={{ __html: d.update.bodyHtml }} />
        </section>
        <section aria-labelledby="email-preview-heading">
          <h3 id="email-preview-heading">As the email will look</h3>
          <p>
            <strong>Subject:</strong> {d.subject}
          </p>
          {/* Sandboxed with no permissions: the email's links and anything in it stay inert. */}
          <iframe className="mail-frame" title={`The email “${d.subject}”`} src={frameSrc} sandbox="" />
          <h4>Plain text version</h4>
          <pre className="mail-text">{d.emailText}</pre>
        </section>
        <Form method="post" noValidate>
          {/* Nothing to correct in this form, only a limit: the summary says so, without a link. */}
          <ErrorSummary errors={summaryOf(errorsFor("test"), [])} />
          <button type="submit" name="intent" value="test" className="button button--secondary">
            Send me a test
          </button>{" "}
          <span className="hint">It goes to {d.me} only.</span>
        </Form>
      </section>

      <section aria-labelledby="publish-heading" className="card">
        <h2 id="publish-heading">Publish</h2>
        {d.canPublish ? (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("publish"), ["email"])} />
            <p>It appears on the campaign’s page and in its feed straight away, and cannot be changed afterwards.</p>
            <Checkbox
              id="email"
              label={`Also email it to ${formatCount(d.subscribers)} ${d.subscribers === 1 ? "subscriber" : "subscribers"}`}
              hint={
                d.throttled && !emailError
                  ? `${d.throttled} You can still publish it now without emailing it.`
                  : d.subscribers === 0
                    ? "Nobody has asked for updates yet, so there is no one to email."
                    : "Subscribers are the confirmed signers who asked for updates. Each email has a link to stop them."
              }
              error={emailError}
            >
              {(aria) => <input {...aria} type="checkbox" name="email" value="yes" disabled={!canEmail} />}
            </Checkbox>
            <button type="submit" name="intent" value="publish" className="button">
              Publish
            </button>
          </Form>
        ) : (
          <p>This petition is no longer on the site, so the update cannot be published.</p>
        )}
      </section>
    </>
  );
}
