import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary } from "~/components/field";
import { readForm } from "~/lib/form.server";
import { getConfirmationState, resendConfirmation } from "~/models/signatures.server";
import { confirm } from "~/services/signing.server";

export const meta: MetaFunction = () => [
  { title: "Confirm your signature | Undersigned" },
  { name: "robots", content: "noindex" },
];

/**
 * Opening the link only shows a button: mail scanners that open every link
 * must not be able to confirm on the person's behalf. Only the POST confirms.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const result = await getConfirmationState(context.db, params.token ?? "");
  return result.state === "invalid"
    ? { state: result.state, petition: null }
    : { state: result.state, petition: { slug: result.petition.slug, title: result.petition.title } };
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  if (form.get("intent") === "resend") {
    const petition = await resendConfirmation(context.db, token, { appUrl: context.config.appUrl });
    if (petition) throw redirect(`/petitions/${petition.slug}/check-email`);
    return data({ resendFailed: true }, { status: 400 });
  }
  const result = await confirm(context.db, token);
  if (result.state === "confirmed") {
    // Only a signature in the public count is called counted (a quiet check may have held it).
    throw redirect(`/petitions/${result.petition.slug}/thank-you${result.counted ? "" : "?held=1"}`);
  }
  // The loader shows the reason (expired, used, closed) on the same page.
  return data({ resendFailed: false }, { status: result.state === "invalid" ? 404 : 410 });
}

export default function Confirm() {
  const { state, petition } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();

  if (state === "ready" && petition) {
    return (
      <section className="notice-page">
        <p className="eyebrow">Last step</p>
        <h1>Confirm your signature</h1>
        <p className="lead">
          You are signing <em>{petition.title}</em>. Press the button and your signature will be counted.
        </p>
        <Form method="post">
          <button type="submit" name="intent" value="confirm" className="button">
            Confirm my signature
          </button>
        </Form>
      </section>
    );
  }
  if (state === "expired" && petition) {
    return (
      <section className="notice-page">
        <h1>This link has expired</h1>
        <p className="lead">
          Links to confirm a signature work for 14 days. Your signature to <em>{petition.title}</em> has not been
          counted yet.
        </p>
        <ErrorSummary
          errors={
            actionData?.resendFailed
              ? [{ message: "We could not send another link to this signature. Please sign the petition again." }]
              : []
          }
        />
        <Form method="post">
          <button type="submit" name="intent" value="resend" className="button">
            Email me a fresh link
          </button>
        </Form>
        <p>
          Changed your mind? <Link to="/signature/request">Manage a signature</Link>: withdraw it or erase your details.
        </p>
      </section>
    );
  }
  if (state === "closed" && petition) {
    return (
      <section className="notice-page">
        <h1>This petition has closed</h1>
        <p className="lead">
          <em>{petition.title}</em> no longer takes signatures, so yours could not be counted.
        </p>
        <p>
          <Link to={`/petitions/${petition.slug}`}>See the petition</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>This link has already been used, or is not valid</h1>
      <p className="lead">
        If you pressed the button before, your signature is already counted and there is nothing more to do.
      </p>
      <p>
        If you copied the link by hand, check that you have all of it. Otherwise, sign the petition again and we will
        send a fresh link.
      </p>
      <p>
        To change how your name is shown, withdraw your signature or erase your details,{" "}
        <Link to="/signature/request">ask for a link to manage it</Link>.
      </p>
      <p>
        <Link to="/">See open campaigns</Link>
      </p>
    </section>
  );
}
