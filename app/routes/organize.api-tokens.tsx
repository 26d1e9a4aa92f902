import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatDate } from "~/lib/time";
import { createApiToken, listApiTokens, MAX_LIVE_TOKENS, revokeApiToken } from "~/models/api-tokens.server";
import { API_TOKEN_NAME_MAX } from "~/schemas/api-token-fields";
import { ApiTokenForm } from "~/schemas/api-token.server";
import { requireUser } from "~/services/session.server";

export const meta: MetaFunction = () => [{ title: "API tokens | Undersigned" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const tokens = await listApiTokens(context.db, user.id);
  return { tokens, apiUrl: `${context.config.appUrl}/api/osdi/v1` };
}

type ActionData = {
  errors: Record<string, string>;
  values: Record<string, string>;
  /** The new token, in this one response and never again. */
  created?: { name: string; token: string };
  revoked?: boolean;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await readForm(request);
  const raw = submittedValues(form);
  const parsed = ApiTokenForm.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>({ errors: fieldErrors(parsed.error), values: raw }, { status: 400 });
  }
  const input = parsed.data;
  if (input.intent === "revoke") {
    const revoked = await revokeApiToken(context.db, user.id, input.tokenId);
    if (!revoked) throw new Response("Not found", { status: 404 });
    return data<ActionData>({ errors: {}, values: {}, revoked: true });
  }
  const result = await createApiToken(context.db, user.id, input.name);
  if (result.kind === "too-many") {
    return data<ActionData>(
      {
        errors: { name: `You have ${MAX_LIVE_TOKENS} tokens already: revoke one you no longer use first` },
        values: raw,
      },
      { status: 400 },
    );
  }
  // Never stored by a browser or a proxy: the page is the token's one appearance.
  return data<ActionData>(
    { errors: {}, values: {}, created: { name: input.name, token: result.token } },
    { headers: { "Cache-Control": "no-store" } },
  );
}

/** Copies the new token; only shown once the page's script runs, since the button does nothing without it. */
function CopyButton({ target }: { target: string }) {
  const [ready, setReady] = useState(false);
  const [copied, setCopied] = useState(false);
  useEffect(() => setReady(typeof navigator !== "undefined" && !!navigator.clipboard), []);
  if (!ready) return null;
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => {
          const input = document.getElementById(target) as HTMLInputElement | null;
          if (!input) return;
          navigator.clipboard.writeText(input.value).then(
            () => setCopied(true),
            () => input.select(),
          );
        }}
      >
        Copy the token
      </button>
      <span role="status">{copied ? " Copied." : ""}</span>
    </>
  );
}

export default function ApiTokens() {
  const { tokens, apiUrl } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors = a?.errors ?? {};
  return (
    <section className="manage">
      <p>
        <Link to="/account">← Back to your account</Link>
      </p>
      <h1>API tokens</h1>
      <p>
        A token lets a tool such as your CRM read the confirmed signatures on the campaigns you organize and send us
        signatures through the OSDI API at <code>{apiUrl}</code>. Each signature sent that way still needs its signer to
        confirm it from the email we send them before it counts. Email addresses come only from signers who agreed to
        updates, and a name only if its signer let it be shown.
      </p>

      {a?.created ? (
        <section aria-labelledby="new-token-heading" className="card notice" role="status">
          <h2 id="new-token-heading">Your new token “{a.created.name}”</h2>
          <p>Copy it now: it is shown only this once. We keep only a fingerprint of it, so we cannot show it again.</p>
          <Field id="new-token" label="Token" hint="Send it in the OSDI-API-Token header.">
            {(aria) => <input {...aria} type="text" readOnly value={a.created!.token} className="input--code" />}
          </Field>
          <CopyButton target="new-token" />
        </section>
      ) : null}
      {a?.revoked ? (
        <p className="notice" role="status">
          The token was revoked. Requests that use it are refused from now on.
        </p>
      ) : null}

      <section aria-labelledby="create-heading" className="card">
        <h2 id="create-heading">Make a token</h2>
        {/* A new key once a token is made: the form starts empty again for the next one. */}
        <Form method="post" noValidate key={a?.created ? "after-create" : "create"}>
          <ErrorSummary errors={summaryOf(errors, ["name"])} />
          <Field
            id="name"
            label="Name"
            hint="Say what will use it, so you know which one to revoke later."
            error={errors.name}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                name="name"
                maxLength={API_TOKEN_NAME_MAX}
                autoComplete="off"
                defaultValue={a?.values.name}
              />
            )}
          </Field>
          <button type="submit" name="intent" value="create" className="button">
            Make a token
          </button>
        </Form>
      </section>

      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Your tokens</h2>
        {tokens.length === 0 ? (
          <p>You have no tokens.</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="tokens-heading" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Made</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>{formatDate(t.created_at)}</td>
                    <td>{t.last_used_at ? formatDate(t.last_used_at) : "Never"}</td>
                    <td>
                      {t.revoked_at ? (
                        `Revoked on ${formatDate(t.revoked_at)}`
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="tokenId" value={t.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="revoke"
                            className="button button--danger"
                            aria-label={`Revoke the token “${t.name}”`}
                          >
                            Revoke
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
