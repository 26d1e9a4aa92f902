import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
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
import { NAME_DISPLAY_OPTIONS, UPDATES_CONSENT } from "~/schemas/signature-fields";
import { ManageSignatureForm } from "~/schemas/manage-signature.server";

/** The key is in the address: keep it out of other sites' logs and out of caches. */
export const meta: MetaFunction = () => [
  { title: "Manage your signature | Undersigned" },
  { name: "robots", content: "noindex" },
  // Same-origin, not no-referrer: the token stays out of other sites’ logs, and the page’s own forms still send
  // their Origin (with no-referrer a browser sends "Origin: null", which the server refuses).
  { name: "referrer", content: "same-origin" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const SAVED_MESSAGES = {
  "name-display": "Saved. Your name is now shown as you chose.",
  "start-updates": "Saved. You will get updates about this campaign.",
  "stop-updates": "Saved. You will get no more updates about this campaign.",
  "resume-email": "Saved. Email from this site can reach you again.",
} as const;
type Saved = keyof typeof SAVED_MESSAGES;

/** Opening the page never changes anything: every change is a POST from its own button. */
export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const result = await getManagedSignature(context.db, params.token ?? "");
  if (result.state !== "ready") {
    return data(
      { state: result.state, signature: null, saved: null, ttlDays: MANAGE_LINK_TTL_DAYS },
      { status: result.state === "expired" ? 410 : 404 },
    );
  }
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    state: result.state,
    ttlDays: MANAGE_LINK_TTL_DAYS,
    signature: { ...result.signature, countryName: countryName(result.signature.country) },
    saved: saved && Object.hasOwn(SAVED_MESSAGES, saved) ? SAVED_MESSAGES[saved as Saved] : null,
  };
}

type ActionData =
  | {
      done: "withdrawn" | "erased";
      change: Pick<SignerChange, "isPublic" | "wasConfirmed"> & { title: string; slug: string };
    }
  | { done: null; intent: string; errors: FieldErrors; gone?: "expired" | "invalid" };

export async function action({ params, context, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await readForm(request);
  const parsed = ManageSignatureForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    // One form's fields at a time; the union's members each know only their own.
    const { intent: badIntent, ...errors } = fieldErrors(parsed.error, { formKey: "form" });
    if (badIntent) errors.form ??= "That is not something this page can do";
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

  if (actionData?.done) return <SignerDone done={actionData.done} change={actionData.change} />;
  const gone = actionData && !actionData.done ? actionData.gone : undefined;
  if (gone === "expired" || state === "expired") return <ManageLinkExpired ttlDays={ttlDays} />;
  if (gone === "invalid" || !signature) return <ManageLinkNotValid />;

  const errors: FieldErrors = actionData && !actionData.done ? actionData.errors : {};
  const intent = actionData && !actionData.done ? actionData.intent : "";
  const errorsFor = (form: string): FieldErrors => (intent === form ? errors : {});
  const confirmed = signature.status === "confirmed";

  return (
    <section className="notice-page">
      <p className="eyebrow">Your signature</p>
      <h1>Manage your signature</h1>
      <p className="lead">
        On{" "}
        {signature.petition.isPublic ? (
          <Link to={`/petitions/${signature.petition.slug}`}>{signature.petition.title}</Link>
        ) : (
          <em>{signature.petition.title}</em>
        )}
        .
      </p>
      <p className="hint">
        This page opens with the link we emailed you, and anyone with the link can use it: please do not share it.
      </p>
      {saved ? (
        <div className="notice" role="status">
          <p>{saved}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors.form ? [{ message: errors.form }] : []} />

      <h2>What we hold about this signature</h2>
      <table className="table">
        <tbody>
          <tr>
            <th scope="row">Name</th>
            <td>{signature.name}</td>
          </tr>
          <tr>
            <th scope="row">Shown on the petition</th>
            <td>{signature.shownAs ? `As “${signature.shownAs}”` : "Not shown"}</td>
          </tr>
          <tr>
            <th scope="row">Email address</th>
            <td>The one this link was sent to. Never shown on the site.</td>
          </tr>
          <tr>
            <th scope="row">Country</th>
            <td>{signature.countryName}</td>
          </tr>
          <tr>
            <th scope="row">Postcode</th>
            <td>{signature.postcode ?? "None given"}</td>
          </tr>
          <tr>
            <th scope="row">Updates about this campaign</th>
            <td>
              {signature.updates && signature.emailStopped
                ? "Yes, but none reach you: we send this address no email"
                : signature.updates
                  ? "Yes"
                  : "No"}
            </td>
          </tr>
          <tr>
            <th scope="row">Status</th>
            <td>{confirmed ? "Confirmed" : "Pending: not confirmed yet, so not counted"}</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">
        See our <Link to="/privacy">privacy page</Link> for who sees what, and how long we keep it.
      </p>

      <h2>How your name is shown</h2>
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
          legend="Show my name on the petition?"
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
              <label htmlFor={`manage-name-display-${o.value}`}>{o.label}</label>
            </div>
          ))}
        </Fieldset>
        <button type="submit" className="button button--secondary">
          Save how my name is shown
        </button>
      </Form>

      <h2>Updates</h2>
      {signature.emailStopped === "unsubscribe_all" ? (
        <Form method="post" className="notice">
          <p>
            You asked us to stop all email from this site, so no updates reach this address, from this campaign or any
            other, whatever you choose below. Emails you ask for yourself, like this page’s link, still come.
          </p>
          <button type="submit" name="intent" value="resume-email" className="button button--secondary">
            Start receiving email again
          </button>
        </Form>
      ) : signature.emailStopped ? (
        <div className="notice">
          <p>
            We stopped sending email to this address after a message to it could not be delivered or was reported as
            unwanted, so no updates reach it, whatever you choose below.
          </p>
        </div>
      ) : null}
      {signature.updates ? (
        <Form method="post">
          <p>
            You asked for updates about this campaign. The organizers can see your email address so that they can send
            them, through us.
          </p>
          <button type="submit" name="intent" value="stop-updates" className="button button--secondary">
            Stop updates
          </button>
        </Form>
      ) : (
        <Form method="post">
          <p>
            You get no updates about this campaign, and the organizers cannot see your email address. If you would like
            them:
          </p>
          <p>
            <strong>{UPDATES_CONSENT.label}.</strong> {UPDATES_CONSENT.hint}
          </p>
          <button type="submit" name="intent" value="start-updates" className="button button--secondary">
            Yes, email me updates
          </button>
        </Form>
      )}

      <h2>Withdraw your signature</h2>
      <p>
        We delete your signature and everything in it. It no longer counts towards the petition.{" "}
        {signature.petition.signable
          ? "You can sign again later if you change your mind."
          : "The petition has closed, so it cannot be signed again."}
      </p>
      <ConfirmForm
        intent="withdraw"
        label="I want to withdraw my signature"
        button="Withdraw my signature"
        error={errorsFor("withdraw").confirm}
      />

      <h2>Erase your details</h2>
      {confirmed ? (
        <p>
          Your signature stays on the petition, but we overwrite your name, email address and postcode, and everything
          else that could lead back to you, for good. Only your country and the day you confirmed stay, as part of the
          counts. Nobody, not even us, will be able to tell that you signed, so this link stops working and the
          signature can never be withdrawn afterwards.
        </p>
      ) : (
        <p>
          Your signature has not been confirmed, so it has never counted: erasing it deletes it and everything in it.
        </p>
      )}
      <ConfirmForm
        intent="erase"
        label="I understand that this cannot be undone"
        button="Erase my details"
        error={errorsFor("erase").confirm}
      />
    </section>
  );
}
