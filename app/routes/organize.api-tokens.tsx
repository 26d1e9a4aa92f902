import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatDate } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { createApiToken, listApiTokens, MAX_LIVE_TOKENS, revokeApiToken } from "~/models/api-tokens.server";
import { API_TOKEN_NAME_MAX } from "~/schemas/api-token-fields";
import { ApiTokenForm } from "~/schemas/api-token.server";
import { requireUser } from "~/services/session.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const tokens = await listApiTokens(context.db, user.id);
  const locale = requestLocale(request);
  const t = translator(locale);
  return {
    pageTitle: t("apiTokens.pageTitle"),
    tokens: tokens.map((token) => ({
      id: token.id,
      name: token.name,
      made: formatDate(token.created_at, locale),
      lastUsed: token.last_used_at ? formatDate(token.last_used_at, locale) : null,
      revokedOn: token.revoked_at ? formatDate(token.revoked_at, locale) : null,
    })),
    apiUrl: `${context.config.appUrl}/api/osdi/v1`,
  };
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
        errors: { name: translator(requestLocale(request))("apiTokens.errors.tooMany", { count: MAX_LIVE_TOKENS }) },
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
  const { t } = useTranslation();
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
        {t("apiTokens.copy")}
      </button>
      <span role="status">{copied ? ` ${t("apiTokens.copied")}` : ""}</span>
    </>
  );
}

export default function ApiTokens() {
  const { tokens, apiUrl } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors = a?.errors ?? {};
  const { t } = useTranslation();
  return (
    <section className="manage">
      <p>
        <Link to="/account">{t("apiTokens.back")}</Link>
      </p>
      <h1>{t("apiTokens.heading")}</h1>
      <p>
        <Trans i18nKey="apiTokens.lead" components={{ 1: <code translate="no" /> }} values={{ apiUrl }} />
      </p>

      {a?.created ? (
        <section aria-labelledby="new-token-heading" className="card notice" role="status">
          <h2 id="new-token-heading">
            <Trans
              i18nKey="apiTokens.created.heading"
              components={{ 1: <span translate="no" /> }}
              values={{ name: a.created.name }}
            />
          </h2>
          <p>{t("apiTokens.created.lead")}</p>
          <Field id="new-token" label={t("apiTokens.created.label")} hint={t("apiTokens.created.hint")}>
            {(aria) => <input {...aria} type="text" readOnly value={a.created!.token} className="input--code" />}
          </Field>
          <CopyButton target="new-token" />
        </section>
      ) : null}
      {a?.revoked ? (
        <p className="notice" role="status">
          {t("apiTokens.revoked")}
        </p>
      ) : null}

      <section aria-labelledby="create-heading" className="card">
        <h2 id="create-heading">{t("apiTokens.create.heading")}</h2>
        {/* A new key once a token is made: the form starts empty again for the next one. */}
        <Form method="post" noValidate key={a?.created ? "after-create" : "create"}>
          <ErrorSummary errors={summaryOf(errors, ["name"])} />
          <Field id="name" label={t("apiTokens.create.label")} hint={t("apiTokens.create.hint")} error={errors.name}>
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
            {t("apiTokens.create.submit")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t("apiTokens.list.heading")}</h2>
        {tokens.length === 0 ? (
          <p>{t("apiTokens.list.none")}</p>
        ) : (
          <TableScroll labelledBy="tokens-heading">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("apiTokens.list.name")}</th>
                  <th scope="col">{t("apiTokens.list.made")}</th>
                  <th scope="col">{t("apiTokens.list.lastUsed")}</th>
                  <th scope="col">{t("apiTokens.list.state")}</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td translate="no">{token.name}</td>
                    <td>{token.made}</td>
                    <td>{token.lastUsed ?? t("apiTokens.list.neverUsed")}</td>
                    <td>
                      {token.revokedOn ? (
                        t("apiTokens.list.revokedOn", { date: token.revokedOn })
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="tokenId" value={token.id} />
                          <button
                            type="submit"
                            name="intent"
                            value="revoke"
                            className="button button--danger"
                            aria-label={t("apiTokens.list.revokeLabel", { name: token.name })}
                          >
                            {t("apiTokens.list.revoke")}
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </section>
  );
}
