import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { FormGuards } from "~/components/form-guards";
import { fieldErrors, type FieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { checkRequestForm, TOO_FAST_MESSAGE } from "~/lib/form-timing.server";
import { MANAGE_LINK_TTL_DAYS } from "~/models/signatures.server";
import { requestManageLinks } from "~/models/manage-signature.server";
import { SIGNATURE_LIMITS } from "~/schemas/signature-fields";
import { ManageLinksRequestForm } from "~/schemas/manage-signature.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const t = translator(requestLocale(request));
  return { title: t("signature.request.title"), ttlDays: MANAGE_LINK_TTL_DAYS, stamp: context.formStamp() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get("email") ?? "");
  const parsed = ManageLinksRequestForm.safeParse({ email });
  if (!parsed.success) {
    return data({ email, errors: fieldErrors(parsed.error), stamp: null as string | null }, { status: 400 });
  }
  const guard = checkRequestForm(form, context.config);
  // A filled-in honeypot is a bot: it is shown what a person is shown, and nothing is sent.
  if (guard.verdict === "bot") throw redirect("/signature/check-email");
  if (guard.verdict === "too-fast") {
    return data({ email, errors: { email: TOO_FAST_MESSAGE } as FieldErrors, stamp: guard.stamp }, { status: 400 });
  }
  // The same answer for every address. The look-up and the email happen after the answer has gone, so that
  // not even the time it takes tells whether the address has signed.
  const { db, config } = context;
  setImmediate(() => {
    requestManageLinks(db, { email: parsed.data.email, site: { appUrl: config.appUrl } }).catch((err) =>
      console.error(`manage links: ${String(err)}`),
    );
  });
  throw redirect("/signature/check-email");
}

export default function RequestManageLinks() {
  const { ttlDays, stamp } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation();
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <section className="notice-page">
      <h1>{t("signature.request.heading")}</h1>
      <p className="lead">{t("signature.request.lead")}</p>
      <Form method="post" noValidate>
        <ErrorSummary errors={summaryOf(errors, { email: "manage-email" })} />
        <Field
          id="manage-email"
          label={t("signature.request.email")}
          hint={t("signature.request.emailHint", { count: ttlDays })}
          error={errors.email}
        >
          {(aria) => (
            <input
              {...aria}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="email"
              spellCheck={false}
              maxLength={SIGNATURE_LIMITS.email}
              defaultValue={actionData?.email}
            />
          )}
        </Field>
        <FormGuards id="manage" stamp={actionData?.stamp ?? stamp} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? t("signature.request.sending") : t("signature.request.submit")}
        </button>
      </Form>
      <p className="hint">
        <Trans i18nKey="signature.request.privacy" components={{ 1: <Link to="/privacy" /> }} />
      </p>
    </section>
  );
}
