import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { safeRedirect, sessionCookie } from "~/services/session.server";
import { readForm } from "~/lib/form.server";
import { requestLocale } from "~/lib/i18n.server";
import { completeSignIn, getSignInLinkState } from "~/models/sign-in.server";

export const meta: MetaFunction = () => [{ title: "Sign in | Undersigned" }, { name: "robots", content: "noindex" }];

/** Opening the link shows a button; only pressing it signs in, so link scanners sign nobody in. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  return { state: await getSignInLinkState(context.db, params.token ?? "") };
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  await readForm(request);
  const result = await completeSignIn(context.db, {
    token: params.token ?? "",
    adminEmails: context.config.adminEmails,
    locale: requestLocale(request),
  });
  if (!result) return data({ failed: true }, { status: 410 });
  throw redirect(safeRedirect(result.redirectTo), {
    headers: { "Set-Cookie": await sessionCookie(context.config).serialize(result.sessionToken) },
  });
}

export default function SignInWithLink() {
  const { state } = useLoaderData<typeof loader>();
  if (state === "ready") {
    return (
      <section className="notice-page">
        <h1>Sign in to Undersigned</h1>
        <p className="lead">Press the button to finish signing in on this device.</p>
        <Form method="post">
          <button type="submit" className="button">
            Sign in
          </button>
        </Form>
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>
        {state === "expired" ? "This sign-in link has expired" : "This sign-in link has been used or is not valid"}
      </h1>
      <p className="lead">Sign-in links work once, for a short time. Ask for a new one and use it straight away.</p>
      <p>
        <Link to="/sign-in">Ask for a new sign-in link</Link>
      </p>
    </section>
  );
}
