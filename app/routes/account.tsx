import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser, sessionCookie } from "~/services/session.server";
import { StatusTag } from "~/components/status";
import { readForm } from "~/lib/form.server";
import { Trans, useTranslation } from "react-i18next";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { endAllSessions } from "~/models/sign-in.server";
import { listOrganizedPetitions } from "~/models/organize.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const petitions = await listOrganizedPetitions(context.db, user.id);
  const t = translator(requestLocale(request));
  return {
    title: t("account.title"),
    email: user.email,
    roles: user.roles,
    petitions: petitions.map((p) => ({
      id: p.id,
      // An untitled draft is named in the reader's language; a title is in the campaign's.
      title: p.title || t("account.untitled"),
      language: p.title ? p.language : undefined,
      status: p.status,
      count: p.signature_count,
      role: p.role,
    })),
  };
}

/** "Sign out everywhere": ends every session of this account, on every device. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await readForm(request);
  if (form.get("intent") !== "sign-out-everywhere") throw new Response("Unknown action", { status: 400 });
  await endAllSessions(context.db, user.id);
  throw redirect("/", { headers: { "Set-Cookie": await sessionCookie(context.config).serialize("", { maxAge: 0 }) } });
}

export default function Account() {
  const { email, roles, petitions } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <section>
      <h1>{t("account.heading")}</h1>
      <p>
        <Trans
          i18nKey={roles.length ? "account.signedInAsWithRoles" : "account.signedInAs"}
          values={{ email, roles: roles.map((role) => t(`account.roles.${role}`)).join(", ") }}
          components={{ 1: <strong translate="no">{email}</strong> }}
        />
      </p>
      <h2>{t("account.campaigns")}</h2>
      {petitions.length === 0 ? (
        <p>{t("account.noCampaigns")}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("account.table.campaign")}</th>
              <th scope="col">{t("account.table.status")}</th>
              <th scope="col" className="num">
                {t("account.table.signatures")}
              </th>
            </tr>
          </thead>
          <tbody>
            {petitions.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/organize/${p.id}`} lang={p.language}>
                    {p.title}
                  </Link>
                  {p.role === "co_organizer" ? <span className="hint"> {t("account.coOrganizer")}</span> : null}
                </td>
                <td>
                  <StatusTag status={p.status} />
                </td>
                <td className="num">{formatNumber(p.count, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/start" className="button button--secondary">
          {t("account.start")}
        </Link>
      </p>
      <h2>{t("account.tools")}</h2>
      <p>
        <Trans i18nKey="account.tokens" components={{ 1: <Link to="/organize/api-tokens" /> }} />
      </p>
      <h2>{t("account.signingOut")}</h2>
      <div className="form-actions">
        <Form method="post" action="/sign-out">
          <button type="submit" className="button button--secondary">
            {t("account.signOut")}
          </button>
        </Form>
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere" className="button button--secondary">
            {t("account.signOutEverywhere")}
          </button>
        </Form>
      </div>
      <p className="hint">{t("account.everywhereHint")}</p>
    </section>
  );
}
