import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ResponseForm } from "~/components/response-form";
import { ResponseArticle, type ResponseItem } from "~/components/responses";
import { readForm } from "~/lib/form.server";
import { formatCount } from "~/lib/time";
import { newToken } from "~/lib/tokens.server";
import { signatureCount } from "~/models/counts.server";
import { findResponseLink, notForMe, openResponseLink } from "~/models/deliveries.server";
import { publicResponses } from "~/models/response-lists.server";
import { intervalInWords, publishDecisionMakerResponse } from "~/models/responses.server";
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

export const meta: MetaFunction = () => [
  { title: "Respond to a petition | Undersigned" },
  { name: "robots", content: "noindex" },
  // The key is in the address: keep it out of other sites' logs. Not "no-referrer": under it a browser
  // sends "Origin: null" with the page's own forms, and the server refuses those as cross-site.
  { name: "referrer", content: "same-origin" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

const notFound = () => data({ state: "not_found" as const }, { status: 404 });

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const link = await findResponseLink(context.db, token);
  if (!link) return notFound();
  const count = await signatureCount(context.db, link.petition.id);
  const petition = { slug: link.petition.slug, title: link.petition.title, summary: link.petition.summary, count };
  const maker = { name: link.maker.name, role: link.maker.role };
  if (!link.openedAt) return { state: "landing" as const, petition, maker };
  const url = new URL(request.url);
  const published = url.searchParams.get("published");
  const to = url.searchParams.get("to");
  const mine = (await publicResponses(context.db, link.petition.id, 100)).filter((r) => r.makerId === link.maker.id);
  return {
    state: "open" as const,
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
          ? `Your response is published on the petition’s page. It was not emailed to the signers: they get at most one response from you in ${intervalInWords(context.config.updateEmailMinIntervalMs)}, and an earlier one was emailed.`
          : `Your response is published on the petition’s page${to && Number(to) > 0 ? `, and it is being emailed to the ${formatCount(Number(to))} ${Number(to) === 1 ? "signer" : "signers"} who asked for updates` : ""}.`
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
            body: "This page already published a response. Your text is kept here: press Preview again to publish it as a new one.",
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
  if (d.state === "not_found" || a?.state === "not_found") return <LinkNotValid />;
  const to = d.maker.role ? `${d.maker.name}, ${d.maker.role}` : d.maker.name;
  const people = `${formatCount(d.petition.count)} ${d.petition.count === 1 ? "person has" : "people have"}`;
  if (d.state === "landing") {
    return (
      <section className="notice-page">
        <p className="eyebrow">A petition addressed to you</p>
        <h1>{d.petition.title}</h1>
        <p className="lead">
          To {to}: {people} signed this petition.
        </p>
        <p>{d.petition.summary}</p>
        <Form method="post">
          <button type="submit" name="intent" value="open" className="button">
            Open the page to read and respond
          </button>
        </Form>
        <p className="hint">
          We ask for a press of the button because email security scanners open every link in an email: this way the
          petition’s organizers know that a person opened it.
        </p>
        <NotForMe />
      </section>
    );
  }
  const form = a?.state === "form" ? a : null;
  return (
    <section className="respond">
      <p className="eyebrow">Respond to a petition</p>
      <h1>{d.petition.title}</h1>
      <p className="lead">
        Addressed to you as {to}. {people} signed it.
      </p>
      <ul className="action-links">
        <li>
          <a href={`/respond/${d.token}/petition`}>The petition, to read or print</a>
        </li>
        <li>
          <a href={`/petitions/${d.petition.slug}`}>Its public page</a>
        </li>
      </ul>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      {d.responses.length > 0 ? (
        <section aria-labelledby="yours-heading">
          <h2 id="yours-heading">Your responses so far</h2>
          {d.responses.map((r) => (
            <ResponseArticle key={r.id} response={r} permalink={`/petitions/${d.petition.slug}/responses/${r.id}`} />
          ))}
        </section>
      ) : null}
      <h2>{d.responses.length > 0 ? "Respond again" : "Write your response"}</h2>
      <p className="form-intro">
        Your response is published on the petition’s page, signed with the name and title you give, and dated today. The{" "}
        {formatCount(d.subscribers)} {d.subscribers === 1 ? "signer" : "signers"} who asked for updates are emailed it.
        Once published it stays; you can publish another response later.
      </p>
      <ResponseForm
        action={`/respond/${d.token}`}
        recorded={false}
        values={form?.values ?? { name: d.maker.name, title: d.maker.role ?? "", body: "" }}
        errors={form?.errors ?? {}}
        formKey={form?.formKey ?? d.formKey}
        preview={form?.preview ?? null}
        publishLabel="Publish the response"
      />
      <p className="hint">
        This page needs no account: the link you were sent is the key to it, so please do not share it. The petition’s
        organizers can revoke it.
      </p>
      <NotForMe />
    </section>
  );
}

function NotForMe() {
  return (
    <Form method="post" className="not-for-me">
      <h2>Not for you?</h2>
      <p>
        If this petition was sent to the wrong address, tell us: it will not be sent here again, the links sent here
        stop working, and its organizers are told.
      </p>
      <button type="submit" name="intent" value="not-for-me" className="button button--secondary">
        This is not for me
      </button>
    </Form>
  );
}

function LinkNotValid() {
  return (
    <section className="notice-page">
      <p className="eyebrow">Respond to a petition</p>
      <h1>This link does not work</h1>
      <p className="lead">
        It may have been mistyped, it may have been revoked by the petition’s organizers, or the petition may no longer
        be on the site.
      </p>
      <p>If you were sent a petition and want to respond, ask its organizers to deliver it to you again.</p>
    </section>
  );
}
