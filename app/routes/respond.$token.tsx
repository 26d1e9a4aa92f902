import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { TFunction } from "i18next";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ResponseForm } from "~/components/response-form";
import { ResponseArticle, type ResponseItem } from "~/components/responses";
import { readForm } from "~/lib/form.server";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { newToken } from "~/lib/tokens.server";
import { signatureCount } from "~/models/counts.server";
import { findResponseLink, notForMe, openResponseLink } from "~/models/deliveries.server";
import { publicResponses } from "~/models/response-lists.server";
import { publishDecisionMakerResponse } from "~/models/responses.server";
import { countSubscribers } from "~/models/update.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { DecisionMakerResponseForm, RESPONSE_FORM_BYTES } from "~/schemas/response.server";
import { fieldErrors } from "~/lib/form-errors";

/**
 * The private link a decision maker is sent with the petition (docs/decisions/0029-decision-maker-responses.md).
 * Opening it shows a page with a button: mail scanners open links, and only a person's press counts as
 * "opened". After that the page shows the response form. A link that is unknown, revoked or whose petition
 * is archived or taken down answers the same 404, so holding one tells nothing.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
  // The key is in the address: keep it out of other sites' logs. Not "no-referrer": under it a browser
  // sends "Origin: null" with the page's own forms, and the server refuses those as cross-site.
  { name: "referrer", content: "same-origin" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

const notFound = () => data({ state: "not_found" as const }, { status: 404 });

/** The interval between a decision maker's emailed responses, in words: "1 day", "12 hours", "30 minutes". */
function intervalInWords(ms: number, t: TFunction): string {
  const units = [
    [86_400_000, "respond.interval.days"],
    [3_600_000, "respond.interval.hours"],
    [60_000, "respond.interval.minutes"],
  ] as const;
  for (const [size, key] of units) {
    if (ms >= size && ms % size === 0) return t(key, { count: ms / size });
  }
  return t("respond.interval.minutes", { count: Math.ceil(ms / 60_000) });
}

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const locale = requestLocale(request);
  const t = translator(locale);
  const title = t("respond.title");
  const token = params.token ?? "";
  const link = await findResponseLink(context.db, token);
  if (!link) return data({ state: "not_found" as const, title }, { status: 404 });
  const count = await signatureCount(context.db, link.petition.id);
  const petition = {
    slug: link.petition.slug,
    title: link.petition.title,
    summary: link.petition.summary,
    language: link.petition.language,
    count,
  };
  const maker = { name: link.maker.name, role: link.maker.role };
  if (!link.openedAt) return { state: "landing" as const, title, petition, maker };
  const url = new URL(request.url);
  const published = url.searchParams.get("published");
  const to = url.searchParams.get("to");
  const mine = (await publicResponses(context.db, link.petition.id, 100)).filter((r) => r.makerId === link.maker.id);
  return {
    state: "open" as const,
    title,
    // Already in the address bar; the page's links and forms need it too.
    token,
    petition,
    maker,
    responses: mine,
    subscribers: await countSubscribers(context.db, link.petition.id),
    formKey: newToken().token,
    notice:
      published === "1"
        ? to === "none"
          ? t("respond.notice.notEmailed", { interval: intervalInWords(context.config.updateEmailMinIntervalMs, t) })
          : to && Number(to) > 0
            ? t("respond.notice.emailing", { count: Number(to), number: formatNumber(Number(to), locale) })
            : t("respond.notice.published")
        : null,
  };
}

type Values = { name: string; title: string; body: string };
type ActionData =
  | { state: "not_found" }
  | { state: "form"; values: Values; errors: Record<string, string>; formKey: string; preview: ResponseItem | null };

export async function action({ params, context, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await readForm(request, RESPONSE_FORM_BYTES);
  const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  const site = { appUrl: context.config.appUrl };
  if (raw.intent === "open") {
    if (!(await openResponseLink(context.db, token))) return notFound();
    throw redirect(`/respond/${token}`);
  }
  if (raw.intent === "not-for-me") {
    if (!(await notForMe(context.db, { token, site }))) return notFound();
    // A page of its own: this link no longer opens anything, so its own page would answer 404.
    throw redirect("/respond/not-for-me");
  }
  // Writing counts as opening the link, as a press of its button does.
  const link = (await openResponseLink(context.db, token)) ? await findResponseLink(context.db, token) : null;
  if (!link) return notFound();
  const values: Values = { name: raw.name ?? "", title: raw.title ?? "", body: raw.body ?? "" };
  const formKey = /^[A-Za-z0-9_-]{43}$/.test(raw.formKey ?? "") ? raw.formKey : newToken().token;
  const parsed = DecisionMakerResponseForm.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>(
      { state: "form", values, errors: fieldErrors(parsed.error, { formKey: "form" }), formKey, preview: null },
      { status: 400 },
    );
  }
  const input = parsed.data;
  const clean: Values = { name: input.name, title: input.title, body: input.body };
  if (input.intent === "preview") {
    return data<ActionData>({
      state: "form",
      values: clean,
      errors: {},
      formKey,
      preview: {
        id: 0,
        name: input.name,
        title: input.title || null,
        source: "decision_maker",
        sourceUrl: null,
        respondedOn: new Date().toISOString().slice(0, 10),
        bodyHtml: renderMarkdown(input.body),
        hidden: false,
        makerName: link.maker.name,
        makerRole: link.maker.role,
      },
    });
  }
  const result = await publishDecisionMakerResponse(context.db, {
    token,
    text: { ...clean, formKey: input.formKey },
    site,
    minIntervalMs: context.config.updateEmailMinIntervalMs,
  });
  switch (result.kind) {
    case "not_found":
      return notFound();
    case "form_used":
      return data<ActionData>(
        {
          state: "form",
          values: clean,
          errors: {
            body: "respond.errors.formUsed",
          },
          formKey: newToken().token,
          preview: null,
        },
        { status: 400 },
      );
    case "duplicate":
      throw redirect(`/respond/${token}?published=1`);
    case "published":
      throw redirect(`/respond/${token}?published=1&to=${result.emailedTo === null ? "none" : result.emailedTo}`);
  }
}

export default function Respond() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  if (d.state === "not_found" || a?.state === "not_found") return <LinkNotValid />;
  // The name and title the organizers gave, as they wrote them.
  const to = { to: d.maker.role ? `${d.maker.name}, ${d.maker.role}` : d.maker.name };
  const signed = { count: d.petition.count, number: formatNumber(d.petition.count, i18n.language as Locale) };
  const asWritten = { 1: <span translate="no" /> };
  if (d.state === "landing") {
    return (
      <section className="notice-page">
        <p className="eyebrow">{t("respond.landing.eyebrow")}</p>
        <h1 lang={d.petition.language}>{d.petition.title}</h1>
        <p className="lead">
          <Trans
            i18nKey="respond.landing.lead"
            values={{ ...to, ...signed }}
            count={signed.count}
            components={asWritten}
          />
        </p>
        <p lang={d.petition.language}>{d.petition.summary}</p>
        <Form method="post">
          <button type="submit" name="intent" value="open" className="button">
            {t("respond.landing.open")}
          </button>
        </Form>
        <p className="hint">{t("respond.landing.why")}</p>
        <NotForMe />
      </section>
    );
  }
  const form = a?.state === "form" ? a : null;
  return (
    <section className="respond">
      <p className="eyebrow">{t("respond.eyebrow")}</p>
      <h1 lang={d.petition.language}>{d.petition.title}</h1>
      <p className="lead">
        <Trans i18nKey="respond.open.lead" values={{ ...to, ...signed }} count={signed.count} components={asWritten} />
      </p>
      <ul className="action-links">
        <li>
          <a href={`/respond/${d.token}/petition`}>{t("respond.open.petitionLink")}</a>
        </li>
        <li>
          <a href={`/petitions/${d.petition.slug}`}>{t("respond.open.publicLink")}</a>
        </li>
      </ul>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      {d.responses.length > 0 ? (
        <section aria-labelledby="yours-heading">
          <h2 id="yours-heading">{t("respond.open.yours")}</h2>
          {d.responses.map((r) => (
            <ResponseArticle key={r.id} response={r} permalink={`/petitions/${d.petition.slug}/responses/${r.id}`} />
          ))}
        </section>
      ) : null}
      <h2>{d.responses.length > 0 ? t("respond.open.again") : t("respond.open.write")}</h2>
      <p className="form-intro">
        {t("respond.open.intro", {
          count: d.subscribers,
          number: formatNumber(d.subscribers, i18n.language as Locale),
        })}
      </p>
      <ResponseForm
        action={`/respond/${d.token}`}
        recorded={false}
        values={form?.values ?? { name: d.maker.name, title: d.maker.role ?? "", body: "" }}
        errors={form?.errors ?? {}}
        formKey={form?.formKey ?? d.formKey}
        preview={form?.preview ?? null}
        publishLabel={t("respond.open.publish")}
      />
      <p className="hint">{t("respond.open.keyHint")}</p>
      <NotForMe />
    </section>
  );
}

function NotForMe() {
  const { t } = useTranslation();
  return (
    <Form method="post" className="not-for-me">
      <h2>{t("respond.notForMe.heading")}</h2>
      <p>{t("respond.notForMe.body")}</p>
      <button type="submit" name="intent" value="not-for-me" className="button button--secondary">
        {t("respond.notForMe.button")}
      </button>
    </Form>
  );
}

function LinkNotValid() {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <p className="eyebrow">{t("respond.eyebrow")}</p>
      <h1>{t("respond.notValid.heading")}</h1>
      <p className="lead">{t("respond.notValid.lead")}</p>
      <p>{t("respond.notValid.body")}</p>
    </section>
  );
}
