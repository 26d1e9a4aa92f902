import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requireUser } from "~/services/session.server";
import { readForm } from "~/lib/form.server";
import { acceptInvitation, getInvitation } from "~/models/organizer-team.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const invitation = await getInvitation(context.db, params.token ?? "");
  return {
    title: translator(requestLocale(request))("invitation.title"),
    invitation: invitation ? { title: invitation.title, language: invitation.language, email: invitation.email } : null,
    userEmail: user.email,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await readForm(request);
  const token = params.token ?? "";
  const invitation = await getInvitation(context.db, token);
  const result = await acceptInvitation(context.db, { token, user });
  if (result === "accepted" && invitation) throw redirect(`/organize/${invitation.petitionId}`);
  return data({ result }, { status: result === "wrong_account" ? 403 : 410 });
}

export default function Invitation() {
  const { invitation, userEmail } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useTranslation();
  if (!invitation || a?.result === "invalid") {
    return (
      <section className="notice-page">
        <h1>{t("invitation.invalid")}</h1>
        <p>{t("invitation.askAgain")}</p>
        <p>
          <Link to="/account">{t("invitation.account")}</Link>
        </p>
      </section>
    );
  }
  const wrongAccount = invitation.email !== userEmail.toLowerCase();
  return (
    <section className="notice-page">
      <h1>{t("invitation.heading")}</h1>
      <p className="lead">
        <Trans i18nKey="invitation.lead" components={{ 1: <em lang={invitation.language}>{invitation.title}</em> }} />
      </p>
      {wrongAccount ? (
        <p className="field-error" role="alert">
          <Trans i18nKey="invitation.wrongAccount" components={{ 1: <span translate="no">{userEmail}</span> }} />
        </p>
      ) : (
        <Form method="post">
          <button type="submit" className="button">
            {t("invitation.accept")}
          </button>
        </Form>
      )}
    </section>
  );
}
