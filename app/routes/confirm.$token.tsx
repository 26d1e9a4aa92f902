import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { ErrorSummary } from "~/components/field";
import { readForm } from "~/lib/form.server";
import { CONFIRMATION_TTL_DAYS, getConfirmationState, resendConfirmation } from "~/models/signatures.server";
import { confirm } from "~/services/signing.server";
import { keepingLanguage } from "~/services/signing-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? [{ title: data.pageTitle }] : []),
  { name: "robots", content: "noindex" },
];

/**
 * Opening the link only shows a button: mail scanners that open every link
 * must not be able to confirm on the person's behalf. Only the POST confirms.
 */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const result = await getConfirmationState(context.db, params.token ?? "");
  const pageTitle = translator(requestLocale(request))("sign.confirm.title");
  // The days a link lasts come from the loader: the component runs in the browser too, which has no models.
  return result.state === "invalid"
    ? { pageTitle, ttlDays: CONFIRMATION_TTL_DAYS, state: result.state, petition: null }
    : {
        pageTitle,
        ttlDays: CONFIRMATION_TTL_DAYS,
        state: result.state,
        petition: { slug: result.petition.slug, title: result.petition.title, language: result.petition.language },
      };
}

export async function action({ params, context, request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  if (form.get("intent") === "resend") {
    const petition = await resendConfirmation(context.db, token, { appUrl: context.config.appUrl });
    if (petition) throw redirect(keepingLanguage(`/petitions/${petition.slug}/check-email`, request));
    return data({ resendFailed: true }, { status: 400 });
  }
  const result = await confirm(context.db, token);
  if (result.state === "confirmed") {
    // Only a signature in the public count is called counted (a quiet check may have held it).
    throw redirect(
      keepingLanguage(`/petitions/${result.petition.slug}/thank-you${result.counted ? "" : "?held=1"}`, request),
    );
  }
  // The loader shows the reason (expired, used, closed) on the same page.
  return data({ resendFailed: false }, { status: result.state === "invalid" ? 404 : 410 });
}

export default function Confirm() {
  const { state, petition, ttlDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const title = { 1: <em lang={petition?.language} /> };

  if (state === "ready" && petition) {
    return (
      <section className="notice-page">
        <p className="eyebrow">{t("sign.confirm.eyebrow")}</p>
        <h1>{t("sign.confirm.heading")}</h1>
        <p className="lead">
          <Trans i18nKey="sign.confirm.lead" values={{ title: petition.title }} components={title} />
        </p>
        <Form method="post">
          <button type="submit" name="intent" value="confirm" className="button">
            {t("sign.confirm.button")}
          </button>
        </Form>
      </section>
    );
  }
  if (state === "expired" && petition) {
    return (
      <section className="notice-page">
        <h1>{t("sign.confirm.expired.heading")}</h1>
        <p className="lead">
          <Trans
            i18nKey="sign.confirm.expired.lead"
            count={ttlDays}
            values={{ title: petition.title }}
            components={title}
          />
        </p>
        <ErrorSummary errors={actionData?.resendFailed ? [{ message: "sign.confirm.expired.resendFailed" }] : []} />
        <Form method="post">
          <button type="submit" name="intent" value="resend" className="button">
            {t("sign.confirm.expired.resend")}
          </button>
        </Form>
        <p>
          <Trans i18nKey="sign.confirm.expired.manage" components={{ 1: <Link to="/signature/request" /> }} />
        </p>
      </section>
    );
  }
  if (state === "closed" && petition) {
    return (
      <section className="notice-page">
        <h1>{t("sign.confirm.closed.heading")}</h1>
        <p className="lead">
          <Trans i18nKey="sign.confirm.closed.lead" values={{ title: petition.title }} components={title} />
        </p>
        <p>
          <Link to={`/petitions/${petition.slug}`}>{t("sign.confirm.closed.link")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>{t("sign.confirm.invalid.heading")}</h1>
      <p className="lead">{t("sign.confirm.invalid.lead")}</p>
      <p>{t("sign.confirm.invalid.copied")}</p>
      <p>
        <Trans i18nKey="sign.confirm.invalid.manage" components={{ 1: <Link to="/signature/request" /> }} />
      </p>
      <p>
        <Link to="/">{t("sign.confirm.invalid.home")}</Link>
      </p>
    </section>
  );
}
