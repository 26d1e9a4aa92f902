import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { readForm } from "~/lib/form.server";
import { getSubscriptionState, resumeEmail, unsubscribe, type SubscriptionState } from "~/models/subscription.server";

/**
 * The link at the foot of every update email, and the target of its RFC 8058
 * one-click header (docs/decisions/0011-unsubscribe.md). Opening it only
 * shows a button; a POST unsubscribes at once, whoever sends it: the mail
 * provider's POST has no cookies and no Origin, so the signed token in the
 * address is the only thing trusted. No sign-in, and the answer to a POST is
 * always a page (200), never a redirect, which some providers do not follow.
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
  // The token is in the address: keep it out of other sites' logs.
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const title = translator(requestLocale(request))("unsubscribe.title");
  const state = await getSubscriptionState(context.db, {
    token: params.token ?? "",
    secret: context.config.unsubscribeSecret,
  });
  return data({ title, state }, { status: state ? 200 : 404 });
}

type ActionData = { done: "unsubscribed" | "resumed"; state: SubscriptionState } | { done: null; state: null };

export async function action({ params, context, request }: ActionFunctionArgs) {
  const args = { token: params.token ?? "", secret: context.config.unsubscribeSecret };
  // Providers send "List-Unsubscribe=One-Click" (URL-encoded or multipart); the page's own buttons send an
  // intent. Only "resume" asks for something else: any other body, even one that cannot be read, unsubscribes.
  const intent = await readIntent(request);
  const result = intent === "resume" ? await resumeEmail(context.db, args) : await unsubscribe(context.db, args);
  if (!result) return data<ActionData>({ done: null, state: null }, { status: 404 });
  const { scope, petition, updatesOff, suppressed } = result;
  return data<ActionData>({
    done: intent === "resume" ? "resumed" : "unsubscribed",
    state: { scope, petition, updatesOff, suppressed },
  });
}

async function readIntent(request: Request): Promise<string | null> {
  try {
    return String((await readForm(request)).get("intent") ?? "") || null;
  } catch (err) {
    // Too large is still refused; a body that is not a form is not needed.
    if (err instanceof Response && err.status === 413) throw err;
    return null;
  }
}

export default function Unsubscribe() {
  const { state } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  if (actionData?.done === "unsubscribed") return <Unsubscribed state={actionData.state} />;
  if (actionData?.done === "resumed") return <Resumed state={actionData.state} />;
  if (!state) return <LinkNotValid />;
  if (!state.petition) return <SignatureGone />;
  const title = titleOf(state.petition);

  if (state.scope === "petition") {
    return (
      <section className="notice-page">
        <p className="eyebrow">{t("unsubscribe.petition.eyebrow")}</p>
        <h1>{t("unsubscribe.petition.heading")}</h1>
        {state.updatesOff ? (
          <>
            <p className="lead">
              <Trans i18nKey="unsubscribe.petition.alreadyOff" {...title} />
            </p>
            <ManageLink />
          </>
        ) : (
          <>
            <p className="lead">
              <Trans i18nKey="unsubscribe.petition.lead" {...title} />
            </p>
            <Form method="post">
              <button type="submit" name="intent" value="unsubscribe" className="button">
                {t("unsubscribe.petition.button")}
              </button>
            </Form>
          </>
        )}
      </section>
    );
  }

  return (
    <section className="notice-page">
      <p className="eyebrow">{t("unsubscribe.all.eyebrow")}</p>
      <h1>{t("unsubscribe.all.heading")}</h1>
      {state.suppressed === "unsubscribe_all" ? (
        <>
          <p className="lead">{t("unsubscribe.all.alreadyAll")}</p>
          <ResumeForm />
        </>
      ) : state.suppressed ? (
        <p className="lead">{t("unsubscribe.all.alreadySuppressed")}</p>
      ) : (
        <>
          <p className="lead">
            <Trans i18nKey="unsubscribe.all.lead" {...title} />
          </p>
          <StopAllCovers />
          <Form method="post">
            <button type="submit" name="intent" value="unsubscribe" className="button">
              {t("unsubscribe.all.button")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

/** What a `<Trans>` needs to put the campaign's title, in its own language, into a sentence. */
function titleOf(petition: { title: string; language: string }) {
  return {
    values: { title: petition.title },
    components: { 1: <em lang={petition.language}>{petition.title}</em> },
  };
}

function StopAllCovers() {
  const { t } = useTranslation();
  return <p>{t("unsubscribe.stopAllCovers")}</p>;
}

function Unsubscribed({ state }: { state: SubscriptionState }) {
  const { t } = useTranslation();
  if (!state.petition) return <SignatureGone />;
  const title = titleOf(state.petition);
  if (state.scope === "petition") {
    return (
      <section className="notice-page">
        <h1>{t("unsubscribe.done.petitionHeading")}</h1>
        <p className="lead">
          <Trans i18nKey="unsubscribe.done.petitionLead" {...title} />
        </p>
        <p>{t("unsubscribe.done.changedMind")}</p>
        <ManageLink />
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>{t("unsubscribe.done.allHeading")}</h1>
      <p className="lead">
        <Trans i18nKey="unsubscribe.done.allLead" {...title} />
      </p>
      <StopAllCovers />
      {state.suppressed === "unsubscribe_all" ? <ResumeForm /> : null}
    </section>
  );
}

function ResumeForm() {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("unsubscribe.resume.heading")}</h2>
      <Form method="post">
        <p>{t("unsubscribe.resume.text")}</p>
        <button type="submit" name="intent" value="resume" className="button button--secondary">
          {t("unsubscribe.resume.button")}
        </button>
      </Form>
    </>
  );
}

function Resumed({ state }: { state: SubscriptionState }) {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("unsubscribe.resumed.heading")}</h1>
      <p className="lead">
        {state.suppressed ? t("unsubscribe.resumed.stillSuppressed") : t("unsubscribe.resumed.updatesOff")}
      </p>
      <ManageLink />
    </section>
  );
}

function ManageLink() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to="/signature/request">{t("unsubscribe.manageLink")}</Link>
    </p>
  );
}

function SignatureGone() {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("unsubscribe.gone.heading")}</h1>
      <p className="lead">{t("unsubscribe.gone.lead")}</p>
      <p>{t("unsubscribe.gone.other")}</p>
      <ManageLink />
    </section>
  );
}

function LinkNotValid() {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("unsubscribe.notValid.heading")}</h1>
      <p className="lead">{t("unsubscribe.notValid.lead")}</p>
      <p>{t("unsubscribe.notValid.other")}</p>
      <p>
        <Link to="/signature/request" className="button">
          {t("unsubscribe.notValid.button")}
        </Link>
      </p>
    </section>
  );
}
