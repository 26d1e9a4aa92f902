import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { CHALLENGE_TTL_MS } from "~/lib/challenge-puzzle.server";
import { SESSION_TTL_DAYS } from "~/models/sign-in.server";
import { SENT_MAIL_KEEP_DAYS, UNCONFIRMED_KEEP_DAYS } from "~/models/retention.server";
import { CONFIRMATION_TTL_DAYS, MANAGE_LINK_TTL_DAYS } from "~/models/signatures.server";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "description", content: data?.description },
];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const t = translator(requestLocale(request));
  return {
    title: t("privacy.title"),
    description: t("privacy.description"),
    retentionMonths: context.config.retentionMonths,
    confirmationDays: CONFIRMATION_TTL_DAYS,
    unconfirmedDays: UNCONFIRMED_KEEP_DAYS,
    manageDays: MANAGE_LINK_TTL_DAYS,
    mailDays: SENT_MAIL_KEEP_DAYS,
    sessionDays: SESSION_TTL_DAYS,
    challengeMinutes: CHALLENGE_TTL_MS / 60_000,
  };
}

const KEPT = ["name", "email", "country", "postcode", "choices", "confirmed", "codes", "links", "copies"] as const;

export default function Privacy() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const strong = { 1: <strong /> };
  return (
    <article className="notice-page">
      <h1>{t("privacy.heading")}</h1>
      <p className="lead">{t("privacy.lead")}</p>

      <h2>{t("privacy.promises.heading")}</h2>
      <ul>
        {(["reveal", "name", "ip", "withdraw"] as const).map((k) => (
          <li key={k}>
            <Trans i18nKey={`privacy.promises.${k}`} components={strong} />
          </li>
        ))}
      </ul>

      <h2>{t("privacy.kept.heading")}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("privacy.kept.what")}</th>
            <th scope="col">{t("privacy.kept.why")}</th>
          </tr>
        </thead>
        <tbody>
          {KEPT.map((k) => (
            <tr key={k}>
              <td>{t(`privacy.kept.${k}.what`)}</td>
              <td>{t(`privacy.kept.${k}.why`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <Trans i18nKey="privacy.challenge" values={{ minutes: d.challengeMinutes }} components={strong} />
      </p>

      <h2>{t("privacy.who.heading")}</h2>
      <ul>
        <li>
          <Trans i18nKey="privacy.who.everyone" components={strong} />
        </li>
        <li>
          <Trans i18nKey="privacy.who.organizers" values={{ label: t("privacy.updatesLabel") }} components={strong} />
        </li>
        <li>
          <Trans i18nKey="privacy.who.moderators" components={strong} />
        </li>
        <li>
          <Trans i18nKey="privacy.who.nobody" components={strong} />
        </li>
      </ul>

      <h2>{t("privacy.keep.heading")}</h2>
      <ul>
        <li>
          <Trans i18nKey="privacy.keep.signatures" count={d.retentionMonths} components={strong} />
        </li>
        <li>
          <Trans
            i18nKey="privacy.keep.unconfirmed"
            values={{ confirmationDays: d.confirmationDays, unconfirmedDays: d.unconfirmedDays }}
            components={strong}
          />
        </li>
        <li>
          <Trans i18nKey="privacy.keep.copies" values={{ days: d.mailDays }} components={strong} />
        </li>
        <li>
          <Trans i18nKey="privacy.keep.manage" values={{ days: d.manageDays }} components={strong} />
        </li>
        <li>
          <Trans i18nKey="privacy.keep.organizers" values={{ days: d.sessionDays }} components={strong} />
        </li>
      </ul>

      <h2>{t("privacy.choices.heading")}</h2>
      <p>
        <Trans i18nKey="privacy.choices.ask" components={{ 1: <Link to="/signature/request" /> }} />
      </p>
      <ul>
        <li>{t("privacy.choices.name")}</li>
        <li>{t("privacy.choices.updates")}</li>
        <li>
          <Trans i18nKey="privacy.choices.withdraw" components={strong} />
        </li>
        <li>
          <Trans i18nKey="privacy.choices.erase" components={strong} />
        </li>
      </ul>
      <p>{t("privacy.log")}</p>
    </article>
  );
}
