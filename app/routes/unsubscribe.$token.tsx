import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
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

export const meta: MetaFunction = () => [
  { title: "Unsubscribe | Undersigned" },
  { name: "robots", content: "noindex" },
  // The token is in the address: keep it out of other sites' logs.
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const state = await getSubscriptionState(context.db, {
    token: params.token ?? "",
    secret: context.config.unsubscribeSecret,
  });
  return data({ state }, { status: state ? 200 : 404 });
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
  if (actionData?.done === "unsubscribed") return <Unsubscribed state={actionData.state} />;
  if (actionData?.done === "resumed") return <Resumed state={actionData.state} />;
  if (!state) return <LinkNotValid />;
  if (!state.petition) return <SignatureGone />;
  const title = <em>{state.petition.title}</em>;

  if (state.scope === "petition") {
    return (
      <section className="notice-page">
        <p className="eyebrow">Updates</p>
        <h1>Stop updates about this campaign</h1>
        {state.updatesOff ? (
          <>
            <p className="lead">You already get no updates about {title}. There is nothing more to do.</p>
            <ManageLink />
          </>
        ) : (
          <>
            <p className="lead">
              Press the button and you will get no more updates about {title}. Your signature stays as it is, and still
              counts.
            </p>
            <Form method="post">
              <button type="submit" name="intent" value="unsubscribe" className="button">
                Stop updates
              </button>
            </Form>
          </>
        )}
      </section>
    );
  }

  return (
    <section className="notice-page">
      <p className="eyebrow">Email from Undersigned</p>
      <h1>Stop all email from this site</h1>
      {state.suppressed === "unsubscribe_all" ? (
        <>
          <p className="lead">
            You have already asked us to stop all email to this address. There is nothing more to do.
          </p>
          <ResumeForm />
        </>
      ) : state.suppressed ? (
        <p className="lead">
          We already send nothing to this address: an email to it could not be delivered, so we stopped.
        </p>
      ) : (
        <>
          <p className="lead">
            Press the button and we will send nothing more to this address that you have not just asked for: no updates
            from {title} or any other campaign, now or later. Your signatures stay as they are, and still count.
          </p>
          <StopAllCovers />
          <Form method="post">
            <button type="submit" name="intent" value="unsubscribe" className="button">
              Stop all email
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

function StopAllCovers() {
  return (
    <p>
      Emails that answer something you do yourself still come, because you are waiting for them: the link to confirm a
      new signature, a sign-in link, your links to manage your signatures.
    </p>
  );
}

function Unsubscribed({ state }: { state: SubscriptionState }) {
  if (!state.petition) return <SignatureGone />;
  const title = <em>{state.petition.title}</em>;
  if (state.scope === "petition") {
    return (
      <section className="notice-page">
        <h1>You are unsubscribed</h1>
        <p className="lead">
          You will get no more updates about {title}. Your signature stays as it is, and still counts.
        </p>
        <p>Changed your mind? You can turn updates back on from the page that manages your signature.</p>
        <ManageLink />
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>We will send you no more email</h1>
      <p className="lead">
        This address gets no updates from {title} or any other campaign, now or later. Your signatures stay as they are,
        and still count.
      </p>
      <StopAllCovers />
      {state.suppressed === "unsubscribe_all" ? <ResumeForm /> : null}
    </section>
  );
}

function ResumeForm() {
  return (
    <>
      <h2>Pressed it by mistake?</h2>
      <Form method="post">
        <p>
          Email from this site may reach you again. Updates stay off: turn them on for each campaign from the page that
          manages your signature.
        </p>
        <button type="submit" name="intent" value="resume" className="button button--secondary">
          Start receiving email again
        </button>
      </Form>
    </>
  );
}

function Resumed({ state }: { state: SubscriptionState }) {
  return (
    <section className="notice-page">
      <h1>Email from this site can reach you again</h1>
      <p className="lead">
        {state.suppressed
          ? "We still send nothing to this address, because an email to it could not be delivered."
          : "Updates stay off. To get them again from a campaign, turn them on from the page that manages your signature."}
      </p>
      <ManageLink />
    </section>
  );
}

function ManageLink() {
  return (
    <p>
      <Link to="/signature/request">Email me links to manage my signatures</Link>
    </p>
  );
}

function SignatureGone() {
  return (
    <section className="notice-page">
      <h1>There is nothing to unsubscribe from</h1>
      <p className="lead">
        The signature this link was about has been withdrawn or erased, so we send nothing about it and hold no address
        for it.
      </p>
      <p>To stop email about another signature, use the link in an email about it, or ask for your links:</p>
      <ManageLink />
    </section>
  );
}

function LinkNotValid() {
  return (
    <section className="notice-page">
      <h1>This link is not valid</h1>
      <p className="lead">
        We could not read this unsubscribe link, so nothing has changed. If you copied it by hand, check that you have
        all of it.
      </p>
      <p>
        You can also stop updates from the page that manages your signature: we email a link for each signature made
        with your address.
      </p>
      <p>
        <Link to="/signature/request" className="button">
          Manage my signatures
        </Link>
      </p>
    </section>
  );
}
