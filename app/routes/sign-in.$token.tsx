import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { safeRedirect, sessionCookie } from "~/services/session.server";
import { readForm } from "~/lib/form.server";
import { requestLocale, translator } from "~/lib/i18n.server";
import { completeSignIn, getSignInLinkState } from "~/models/sign-in.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

/** Opening the link shows a button; only pressing it signs in, so link scanners sign nobody in. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const t = translator(requestLocale(request));
  return { title: t("signIn.title"), state: await getSignInLinkState(context.db, params.token ?? "") };
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
  const { t } = useTranslation();
  if (state === "ready") {
    return (
      <section className="notice-page">
        <h1>{t("signIn.link.heading")}</h1>
        <p className="lead">{t("signIn.link.lead")}</p>
        <Form method="post">
          <button type="submit" className="button">
            {t("signIn.link.submit")}
          </button>
        </Form>
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>{state === "expired" ? t("signIn.link.expired") : t("signIn.link.invalid")}</h1>
      <p className="lead">{t("signIn.link.invalidLead")}</p>
      <p>
        <Link to="/sign-in">{t("signIn.link.askAgain")}</Link>
      </p>
    </section>
  );
}
