import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getCurrentUser, safeRedirect } from "~/services/session.server";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { FormGuards } from "~/components/form-guards";
import { fieldErrors, submittedValues, type FieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { checkRequestForm, TOO_FAST_MESSAGE } from "~/lib/form-timing.server";
import { requestSignIn, SIGN_IN_TTL_MINUTES } from "~/models/sign-in.server";
import { requestLocale, translator } from "~/lib/i18n.server";
import { SignInForm } from "~/schemas/account.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getCurrentUser(request, context)) throw redirect(redirectTo);
  const t = translator(requestLocale(request));
  return { title: t("signIn.title"), redirectTo, stamp: context.formStamp(), ttlMinutes: SIGN_IN_TTL_MINUTES };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = { email: String(form.get("email") ?? "") };
  const parsed = SignInForm.safeParse(submittedValues(form));
  if (!parsed.success) {
    return data({ values, errors: fieldErrors(parsed.error), stamp: null as string | null }, { status: 400 });
  }
  const guard = checkRequestForm(form, context.config);
  // A filled-in honeypot is a bot: it is shown what a person is shown, and nothing is sent.
  if (guard.verdict === "bot") throw redirect("/sign-in/check-email");
  if (guard.verdict === "too-fast") {
    return data(
      { values: { email: parsed.data.email }, errors: { email: TOO_FAST_MESSAGE } as FieldErrors, stamp: guard.stamp },
      { status: 400 },
    );
  }
  await requestSignIn(context.db, {
    email: parsed.data.email,
    redirectTo: safeRedirect(parsed.data.redirectTo),
    site: { appUrl: context.config.appUrl },
    locale: requestLocale(request),
  });
  // The same page whether the address has an account, is new, or has asked too often.
  throw redirect("/sign-in/check-email");
}

export default function SignIn() {
  // The link's lifetime comes from the loader: a .server module's constant is not in the browser's bundle.
  const { redirectTo, stamp, ttlMinutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <section className="notice-page">
      <h1>{t("signIn.heading")}</h1>
      <p className="lead">{t("signIn.lead", { count: ttlMinutes })}</p>
      <p className="hint">{t("signIn.noAccountNeeded")}</p>
      <Form method="post" noValidate>
        <ErrorSummary errors={summaryOf(errors, { email: "sign-in-email" })} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field id="sign-in-email" label={t("signIn.email")} error={errors.email}>
          {(aria) => (
            <input
              {...aria}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="email"
              spellCheck={false}
              maxLength={254}
              defaultValue={actionData?.values.email}
            />
          )}
        </Field>
        <FormGuards id="sign-in" stamp={actionData?.stamp ?? stamp} />
        <button type="submit" className="button">
          {t("signIn.submit")}
        </button>
      </Form>
    </section>
  );
}
