import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requireRole } from "~/services/session.server";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { TrendingSources } from "~/components/trending-sources";
import { readForm } from "~/lib/form.server";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { pauseSigningSiteWide, resumeSigningSiteWide } from "~/models/fraud.server";
import {
  findPetitionForSafety,
  listPausedPetitions,
  listSuspects,
  trendingSources,
} from "~/models/fraud-report.server";
import { getSetting } from "~/models/settings.server";
import { PAUSE_MESSAGE_MAX } from "~/schemas/fraud-fields";
import { FindQuery, SitePauseForm, ThresholdQuery } from "~/schemas/fraud.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const url = new URL(request.url);
  // "Open a petition": its number, slug or page address, as a plain GET form.
  const find = FindQuery.safeParse(url.searchParams.get("petition") ?? "");
  let notFound: string | null = null;
  if (find.success) {
    const found = await findPetitionForSafety(context.db, find.data);
    if (found) throw redirect(`/moderate/petitions/${found.id}/safety`);
    notFound = find.data;
  }
  const threshold = ThresholdQuery.parse(url.searchParams.get("threshold"));
  const t = translator(requestLocale(request));
  return {
    title: t("safety.site.title"),
    threshold,
    notFound,
    sitePausedMessage: await getSetting(context.db, "signing_paused_message"),
    trending: await trendingSources(context.db, { threshold }),
    commonDomains: context.config.signingLimits.exemptDomains,
    suspects: await listSuspects(context.db),
    paused: await listPausedPetitions(context.db),
    changed:
      url.searchParams.get("paused") === "1"
        ? t("safety.site.paused")
        : url.searchParams.get("resumed") === "1"
          ? t("safety.site.resumed")
          : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const form = await readForm(request);
  const raw = submittedValues(form);
  const parsed = SitePauseForm.safeParse(raw);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: raw }, { status: 400 });
  if (parsed.data.intent === "pause") {
    await pauseSigningSiteWide(context.db, { message: parsed.data.message, moderatorId: moderator.id });
    throw redirect("/moderate/safety?paused=1");
  }
  await resumeSigningSiteWide(context.db, { moderatorId: moderator.id });
  throw redirect("/moderate/safety?resumed=1");
}

export default function SiteSafety() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors: Record<string, string> = a?.errors ?? {};
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatNumber(n, i18n.language as Locale);
  const notFound = d.notFound ? t("safety.site.notFound", { query: d.notFound }) : undefined;
  return (
    <section>
      <p>
        <Link to="/moderate">{t("safety.backToQueue")}</Link>
      </p>
      <h1>{t("safety.site.heading")}</h1>
      {d.changed ? (
        <p className="notice" role="status">
          {d.changed}
        </p>
      ) : null}

      <Form method="get" className="card">
        <ErrorSummary errors={summaryOf({ petition: notFound }, ["petition"])} />
        <Field id="petition" label={t("safety.site.openLabel")} hint={t("safety.site.openHint")} error={notFound}>
          {(aria) => <input {...aria} type="text" name="petition" defaultValue={d.notFound ?? ""} />}
        </Field>
        <button type="submit" className="button button--secondary">
          {t("safety.site.open")}
        </button>
      </Form>

      <section className="card" aria-labelledby="site-pause-heading">
        <h2 id="site-pause-heading">{t("safety.site.pauseHeading")}</h2>
        {d.sitePausedMessage ? (
          <>
            <p>
              <Trans
                i18nKey="safety.site.pausedNow"
                values={{ message: d.sitePausedMessage }}
                components={{ 1: <span translate="no" /> }}
              />
            </p>
            <Form method="post">
              <button type="submit" name="intent" value="resume" className="button button--secondary">
                {t("safety.site.resume")}
              </button>
            </Form>
          </>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errors, { message: "site-message" })} />
            <p>{t("safety.site.pauseIntro")}</p>
            <Field id="site-message" label={t("safety.site.messageLabel")} error={errors.message}>
              {(aria) => (
                <textarea
                  {...aria}
                  name="message"
                  rows={2}
                  maxLength={PAUSE_MESSAGE_MAX}
                  defaultValue={a?.values.message ?? t("safety.site.defaultMessage")}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="pause" className="button button--danger">
              {t("safety.site.pause")}
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="trending-heading">
        <h2 id="trending-heading">{t("safety.site.trendingHeading")}</h2>
        <p className="hint">{t("safety.site.trendingHint", { number: count(d.threshold) })}</p>
        {d.trending.length === 0 ? (
          <p>{t("safety.none")}</p>
        ) : (
          <TrendingSources
            rows={d.trending}
            showPetition
            commonDomains={d.commonDomains}
            labelledBy="trending-heading"
          />
        )}
      </section>

      <section aria-labelledby="suspects-heading">
        <h2 id="suspects-heading">{t("safety.site.suspectsHeading")}</h2>
        {d.suspects.length === 0 ? (
          <p>{t("safety.none")}</p>
        ) : (
          <TableScroll labelledBy="suspects-heading">
            <table className="table table--wide">
              <thead>
                <tr>
                  <th scope="col">{t("safety.site.petition")}</th>
                  <th scope="col" className="num">
                    {t("safety.site.suspect")}
                  </th>
                  <th scope="col" className="num">
                    {t("safety.site.confirmed")}
                  </th>
                  <th scope="col">{t("safety.site.newest")}</th>
                </tr>
              </thead>
              <tbody>
                {d.suspects.map((s) => (
                  <tr key={s.petitionId}>
                    <td>
                      <Link to={`/moderate/petitions/${s.petitionId}/safety`} lang={s.language}>
                        {s.petitionTitle}
                      </Link>
                    </td>
                    <td className="num">{count(s.total)}</td>
                    <td className="num">{count(s.confirmed)}</td>
                    <td>{s.newest.slice(0, 16).replace("T", " ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      {d.paused.length > 0 ? (
        <section aria-labelledby="paused-heading">
          <h2 id="paused-heading">{t("safety.site.pausedHeading")}</h2>
          <ul>
            {d.paused.map((p) => (
              <li key={p.id}>
                <Trans
                  i18nKey="safety.site.pausedPetition"
                  values={{ title: p.title, message: p.signing_paused_message }}
                  components={{
                    1: <Link to={`/moderate/petitions/${p.id}/safety`} lang={p.language} />,
                    2: <span translate="no" />,
                  }}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
