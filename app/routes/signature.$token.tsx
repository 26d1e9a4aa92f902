import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { ConfirmForm, ManageLinkExpired, ManageLinkNotValid, SignerDone } from "~/components/signer-pages";
import { ErrorSummary, Fieldset, summaryOf } from "~/components/field";
import { countryName } from "~/lib/countries";
import { fieldErrors, type FieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import {
  eraseSignature,
  getManagedSignature,
  resumeEmailFromManagePage,
  setNameDisplay,
  setUpdates,
  withdrawSignature,
  type SignerChange,
} from "~/models/manage-signature.server";
import { MANAGE_LINK_TTL_DAYS } from "~/models/signatures.server";
import { NAME_DISPLAY_OPTIONS } from "~/schemas/signature-fields";
import { ManageSignatureForm } from "~/schemas/manage-signature.server";

/** The key is in the address: keep it out of other sites' logs and out of caches. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
  // Same-origin, not no-referrer: the token stays out of other sites’ logs, and the page’s own forms still send
  // their Origin (with no-referrer a browser sends "Origin: null", which the server refuses).
  { name: "referrer", content: "same-origin" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const SAVED_MESSAGES = {
  "name-display": "signature.manage.saved.nameDisplay",
  "start-updates": "signature.manage.saved.startUpdates",
  "stop-updates": "signature.manage.saved.stopUpdates",
  "resume-email": "signature.manage.saved.resumeEmail",
} as const;
type Saved = keyof typeof SAVED_MESSAGES;

/** Opening the page never changes anything: every change is a POST from its own button. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const t = translator(requestLocale(request));
  const title = t("signature.manage.title");
  const result = await getManagedSignature(context.db, params.token ?? "");
  if (result.state !== "ready") {
    return data(
      { title, state: result.state, signature: null, saved: null, ttlDays: MANAGE_LINK_TTL_DAYS },
      { status: result.state === "expired" ? 410 : 404 },
    );
  }
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    title,
    state: result.state,
    ttlDays: MANAGE_LINK_TTL_DAYS,
    signature: { ...result.signature, countryName: countryName(result.signature.country) },
    saved: saved && Object.hasOwn(SAVED_MESSAGES, saved) ? t(SAVED_MESSAGES[saved as Saved]) : null,
  };
}

type ActionData =
  | {
      done: "withdrawn" | "erased";
      change: Pick<SignerChange, "isPublic" | "wasConfirmed"> & { title: string; slug: string; language: string };
    }
  | { done: null; intent: string; errors: FieldErrors; gone?: "expired" | "invalid" };

export async function action({ params, context, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await readForm(request);
  const parsed = ManageSignatureForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    // One form's fields at a time; the union's members each know only their own.
    const { intent: badIntent, ...errors } = fieldErrors(parsed.error, { formKey: "form" });
    if (badIntent) errors.form ??= "signature.errors.unknownIntent";
    return data<ActionData>({ done: null, intent: String(form.get("intent") ?? ""), errors }, { status: 400 });
  }
  const input = parsed.data;
  let changed: boolean;
  switch (input.intent) {
    case "name-display":
      changed = await setNameDisplay(context.db, { token, nameDisplay: input.nameDisplay });
      break;
    case "start-updates":
    case "stop-updates":
      changed = await setUpdates(context.db, { token, updates: input.intent === "start-updates" });
      break;
    case "resume-email":
      changed = await resumeEmailFromManagePage(context.db, { token });
      break;
    case "withdraw":
    case "erase": {
      const change = await (input.intent === "withdraw" ? withdrawSignature : eraseSignature)(context.db, { token });
      if (!change) return linkNoLongerWorks(context, token);
      return data<ActionData>(
        {
          done: input.intent === "withdraw" ? "withdrawn" : "erased",
          change: {
            title: change.petition.title,
            slug: change.petition.slug,
            language: change.petition.language,
            isPublic: change.isPublic,
            wasConfirmed: change.wasConfirmed,
          },
        },
        // The link no longer opens anything, but this answer is a success.
        { status: 200 },
      );
    }
  }
  if (!changed) return linkNoLongerWorks(context, token);
  throw redirect(`/signature/${token}?saved=${input.intent}`);
}

/** Nothing changed: the page shows why (expired or not valid), as the loader would find it. */
async function linkNoLongerWorks(context: ActionFunctionArgs["context"], token: string) {
  const { state } = await getManagedSignature(context.db, token);
  const gone = state === "expired" ? "expired" : "invalid";
  return data<ActionData>({ done: null, intent: "", errors: {}, gone }, { status: gone === "expired" ? 410 : 404 });
}

/**
 * Every answer of the action that is not a redirect says all the page needs (what was done, what was refused,
 * or that the link no longer works), and the link may no longer open anything: loading the page again after it
 * would only fetch a "not found".
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && typeof actionResult === "object" && "done" in actionResult ? false : defaultShouldRevalidate;

export default function ManageSignature() {
  const { state, signature, saved, ttlDays } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();

  if (actionData?.done) return <SignerDone done={actionData.done} change={actionData.change} />;
  const gone = actionData && !actionData.done ? actionData.gone : undefined;
  if (gone === "expired" || state === "expired") return <ManageLinkExpired ttlDays={ttlDays} />;
  if (gone === "invalid" || !signature) return <ManageLinkNotValid />;

  const errors: FieldErrors = actionData && !actionData.done ? actionData.errors : {};
  const intent = actionData && !actionData.done ? actionData.intent : "";
  const errorsFor = (form: string): FieldErrors => (intent === form ? errors : {});
  const confirmed = signature.status === "confirmed";
  const petition = signature.petition;

  return (
    <section className="notice-page">
      <p className="eyebrow">{t("signature.manage.eyebrow")}</p>
      <h1>{t("signature.manage.heading")}</h1>
      <p className="lead">
        <Trans
          i18nKey="signature.manage.on"
          values={{ title: petition.title }}
          components={{
            1: petition.isPublic ? (
              <Link to={`/petitions/${petition.slug}`} lang={petition.language}>
                {petition.title}
              </Link>
            ) : (
              <em lang={petition.language}>{petition.title}</em>
            ),
          }}
        />
      </p>
      <p className="hint">{t("signature.manage.doNotShare")}</p>
      {saved ? (
        <div className="notice" role="status">
          <p>{saved}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors.form ? [{ message: errors.form }] : []} />

      <h2>{t("signature.manage.heldHeading")}</h2>
      <table className="table">
        <tbody>
          <tr>
            <th scope="row">{t("signature.manage.name")}</th>
            <td translate="no">{signature.name}</td>
          </tr>
          <tr>
            <th scope="row">{t("signature.manage.shown")}</th>
            <td>
              {signature.shownAs ? (
                <Trans
                  i18nKey="signature.manage.shownAs"
                  values={{ name: signature.shownAs }}
                  components={{ 1: <span translate="no">{signature.shownAs}</span> }}
                />
              ) : (
                t("signature.manage.notShown")
              )}
            </td>
          </tr>
          <tr>
            <th scope="row">{t("signature.manage.email")}</th>
            <td>{t("signature.manage.emailValue")}</td>
          </tr>
          <tr>
            <th scope="row">{t("signature.manage.country")}</th>
            <td>{signature.countryName}</td>
          </tr>
          <tr>
            <th scope="row">{t("signature.manage.postcode")}</th>
            <td>
              {signature.postcode ? <span translate="no">{signature.postcode}</span> : t("signature.manage.noPostcode")}
            </td>
          </tr>
          <tr>
            <th scope="row">{t("signature.manage.updates")}</th>
            <td>
              {signature.updates && signature.emailStopped
                ? t("signature.manage.updatesStopped")
                : signature.updates
                  ? t("signature.manage.yes")
                  : t("signature.manage.no")}
            </td>
          </tr>
          <tr>
            <th scope="row">{t("signature.manage.status")}</th>
            <td>{confirmed ? t("signature.manage.confirmed") : t("signature.manage.pending")}</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">
        <Trans i18nKey="signature.manage.privacy" components={{ 1: <Link to="/privacy" /> }} />
      </p>

      <h2>{t("signature.manage.nameHeading")}</h2>
      <Form method="post" noValidate>
        <ErrorSummary
          errors={summaryOf(
            { nameDisplay: errorsFor("name-display").nameDisplay },
            {
              nameDisplay: `manage-name-display-${NAME_DISPLAY_OPTIONS[0].value}`,
            },
          )}
        />
        <input type="hidden" name="intent" value="name-display" />
        <Fieldset
          id="manage-name-display"
          legend={t("signature.manage.nameLegend")}
          error={errorsFor("name-display").nameDisplay}
        >
          {NAME_DISPLAY_OPTIONS.map((o) => (
            <div className="choice" key={o.value}>
              <input
                type="radio"
                name="nameDisplay"
                id={`manage-name-display-${o.value}`}
                value={o.value}
                defaultChecked={signature.nameDisplay === o.value}
              />
              <label htmlFor={`manage-name-display-${o.value}`}>{t(`signature.manage.nameDisplay.${o.value}`)}</label>
            </div>
          ))}
        </Fieldset>
        <button type="submit" className="button button--secondary">
          {t("signature.manage.nameSave")}
        </button>
      </Form>

      <h2>{t("signature.manage.updatesHeading")}</h2>
      {signature.emailStopped === "unsubscribe_all" ? (
        <Form method="post" className="notice">
          <p>{t("signature.manage.unsubscribedAll")}</p>
          <button type="submit" name="intent" value="resume-email" className="button button--secondary">
            {t("signature.manage.resumeEmail")}
          </button>
        </Form>
      ) : signature.emailStopped ? (
        <div className="notice">
          <p>{t("signature.manage.suppressed")}</p>
        </div>
      ) : null}
      {signature.updates ? (
        <Form method="post">
          <p>{t("signature.manage.updatesOn")}</p>
          <button type="submit" name="intent" value="stop-updates" className="button button--secondary">
            {t("signature.manage.stopUpdates")}
          </button>
        </Form>
      ) : (
        <Form method="post">
          <p>{t("signature.manage.updatesOff")}</p>
          <p>
            <strong>{t("signature.manage.consentLabel")}</strong> {t("signature.manage.consentHint")}
          </p>
          <button type="submit" name="intent" value="start-updates" className="button button--secondary">
            {t("signature.manage.startUpdates")}
          </button>
        </Form>
      )}

      <h2>{t("signature.manage.withdrawHeading")}</h2>
      <p>
        {t("signature.manage.withdrawText")}{" "}
        {petition.signable ? t("signature.manage.canSignAgain") : t("signature.manage.closed")}
      </p>
      <ConfirmForm
        intent="withdraw"
        label={t("signature.manage.withdrawConfirm")}
        button={t("signature.manage.withdrawButton")}
        error={errorsFor("withdraw").confirm}
      />

      <h2>{t("signature.manage.eraseHeading")}</h2>
      <p>{confirmed ? t("signature.manage.eraseConfirmed") : t("signature.manage.erasePending")}</p>
      <ConfirmForm
        intent="erase"
        label={t("signature.manage.eraseConfirm")}
        button={t("signature.manage.eraseButton")}
        error={errorsFor("erase").confirm}
      />
    </section>
  );
}
