import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { FormGuards } from "~/components/form-guards";
import { fieldErrors, type FieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { checkRequestForm, TOO_FAST_MESSAGE } from "~/lib/form-timing.server";
import { MANAGE_LINK_TTL_DAYS } from "~/models/signatures.server";
import { requestManageLinks } from "~/models/manage-signature.server";
import { SIGNATURE_LIMITS } from "~/schemas/signature-fields";
import { ManageLinksRequestForm } from "~/schemas/manage-signature.server";

export const meta: MetaFunction = () => [{ title: "Manage a signature | Undersigned" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { ttlDays: MANAGE_LINK_TTL_DAYS, stamp: context.formStamp() };
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
  const errors: FieldErrors = actionData?.errors ?? {};
  return (
    <section className="notice-page">
      <h1>Manage a signature</h1>
      <p className="lead">
        Change how your name is shown, stop updates, withdraw a signature or erase your details. There is no account: we
        email you a link for each signature you made with your address.
      </p>
      <Form method="post" noValidate>
        <ErrorSummary errors={summaryOf(errors, { email: "manage-email" })} />
        <Field
          id="manage-email"
          label="Email address"
          hint={`The address you signed with. The links work for ${ttlDays} days.`}
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
          {busy ? "Sending…" : "Email me my links"}
        </button>
      </Form>
      <p className="hint">
        We never say on this site whether an address has signed anything: only the mailbox finds out. See our{" "}
        <Link to="/privacy">privacy page</Link>.
      </p>
    </section>
  );
}
