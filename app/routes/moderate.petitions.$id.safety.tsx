import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requireRole } from "~/services/session.server";
import { CountTable } from "~/components/count-table";
import { countryOptionsHtml } from "~/components/country-options";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { SuspectsSection } from "~/components/suspects";
import { TrendingSources } from "~/components/trending-sources";
import { describeReasons } from "~/lib/fraud-reasons.server";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import {
  countMatches,
  invalidateSignatures,
  networkHashFor,
  normaliseCriteria,
  pauseSigning,
  releaseSuspects,
  resumeSigning,
  trendingSources,
  undoInvalidation,
  type InvalidationCriteria,
  type MatchCount,
} from "~/models/fraud.server";
import {
  describeCriteria,
  getPetitionForSafety,
  listInvalidations,
  newestSuspects,
  reviewReasons,
  safetyFigures,
  suspectReasons,
} from "~/models/fraud-report.server";
import { setChallengeRequired } from "~/models/challenges.server";
import { getSetting } from "~/models/settings.server";
import { CRITERIA_FIELDS, NETWORK_HINT, PAUSE_MESSAGE_MAX } from "~/schemas/fraud-fields";
import { DoneQuery, PrefillQuery, SafetyForm, ThresholdQuery } from "~/schemas/fraud.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

async function petitionFrom(context: AppLoadContext, idParam: string | undefined) {
  const id = Number(idParam);
  const petition = Number.isSafeInteger(id) ? await getPetitionForSafety(context.db, id) : undefined;
  if (!petition) throw new Response("Not found", { status: 404 });
  return petition;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "moderator");
  const petition = await petitionFrom(context, params.id);
  const q = Object.fromEntries(new URL(request.url).searchParams);
  const threshold = ThresholdQuery.parse(q.threshold);
  const done = DoneQuery.parse(q);
  const locale = requestLocale(request);
  const t = translator(locale);
  const invalidations = await listInvalidations(context.db, petition.id, t);
  const counted = (n: number) => ({ count: n, number: formatNumber(n, locale) });
  const notice =
    done.invalidated !== undefined
      ? t("campaignSafety.notice.invalidated", {
          id: done.invalidated,
          ...counted(invalidations.find((i) => i.id === done.invalidated)?.matched ?? 0),
        })
      : done.undone !== undefined
        ? t("campaignSafety.notice.undone", { id: done.undone })
        : done.released !== undefined
          ? t("campaignSafety.notice.released", counted(done.released))
          : done.paused
            ? t("campaignSafety.notice.paused")
            : done.resumed
              ? t("campaignSafety.notice.resumed")
              : done.challenge === "on"
                ? t("campaignSafety.notice.challengeOn")
                : done.challenge === "off"
                  ? t("campaignSafety.challenge.off")
                  : null;
  return {
    title: t("campaignSafety.title"),
    petition: {
      id: petition.id,
      title: petition.title,
      language: petition.language,
      slug: petition.slug,
      status: petition.status,
      signatureCount: petition.signature_count,
      pausedMessage: petition.signing_paused_message,
      challengeRequiredSince: petition.challenge_required_since,
    },
    sitePausedMessage: await getSetting(context.db, "signing_paused_message"),
    figures: await safetyFigures(context.db, petition.id),
    threshold,
    trending: await trendingSources(context.db, { petitionId: petition.id, threshold }),
    commonDomains: context.config.signingLimits.exemptDomains,
    prefill: PrefillQuery.parse({ network: q.network, domain: q.domain }),
    invalidations,
    reasons: (await suspectReasons(context.db, petition.id)).map((r) => ({
      ...r,
      reason: describeReasons(r.reason, t),
    })),
    reviewReasons: (await reviewReasons(context.db, petition.id)).map((r) => ({
      ...r,
      reason: describeReasons(r.reason, t),
    })),
    suspects: (await newestSuspects(context.db, petition.id)).map((s) => ({
      ...s,
      reason: describeReasons(s.reason, t),
    })),
    notice,
  };
}

type Check = MatchCount & { description: string; fields: Record<string, string> };
type ActionData = {
  intent: string;
  errors: Record<string, string>;
  values: Record<string, string>;
  check: Check | null;
};

function badInput(intent: string, errors: Record<string, string>, values: Record<string, string>) {
  return data<ActionData>({ intent, errors, values, check: null }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const moderator = await requireRole(request, context, "moderator");
  const petition = await petitionFrom(context, params.id);
  const form = await readForm(request);
  const raw = submittedValues(form, ["id"]);
  const parsed = SafetyForm.safeParse({ ...raw, ids: form.getAll("id").filter((v) => typeof v === "string") });
  const intent = raw.intent ?? "";
  const t = translator(requestLocale(request));
  if (!parsed.success) return badInput(intent, fieldErrors(parsed.error, { formKey: "form" }), raw);
  const input = parsed.data;
  const here = `/moderate/petitions/${petition.id}/safety`;
  const { db } = context;

  switch (input.intent) {
    case "check":
    case "invalidate": {
      const networkHash =
        input.network === undefined ? undefined : networkHashFor(input.network, context.config.addressSecret);
      if (networkHash === null) return badInput(intent, { network: NETWORK_HINT }, raw);
      const criteria: InvalidationCriteria = {
        petitionId: petition.id,
        networkHash,
        emailDomain: input.domain,
        email: input.email,
        country: input.country,
        from: input.from,
        to: input.to,
      };
      const count = await countMatches(db, criteria);
      if (input.intent === "check" || count.matches === 0) {
        const { petitionId: _petitionId, ...filters } = normaliseCriteria(criteria);
        // The second step posts the same criteria again, with the network as its hash.
        const fields = Object.fromEntries(
          CRITERIA_FIELDS.map((f) => [f, f === "network" ? (networkHash ?? "") : (raw[f] ?? "")]),
        );
        return data<ActionData>({
          intent: "check",
          errors: {},
          values: raw,
          check: { ...count, description: describeCriteria(JSON.stringify(filters), t), fields },
        });
      }
      const result = await invalidateSignatures(db, { criteria, moderatorId: moderator.id });
      throw redirect(`${here}?invalidated=${result.invalidationId}`);
    }
    case "undo": {
      const undone = await undoInvalidation(db, {
        petitionId: petition.id,
        invalidationId: input.invalidationId,
        moderatorId: moderator.id,
      });
      if (!undone) throw new Response(t("campaignSafety.errors.alreadyUndone"), { status: 409 });
      throw redirect(`${here}?undone=${input.invalidationId}`);
    }
    case "release": {
      const released = await releaseSuspects(db, {
        petitionId: petition.id,
        moderatorId: moderator.id,
        ids: input.scope === "all" ? undefined : input.ids,
      });
      throw redirect(`${here}?released=${released.released}`);
    }
    case "pause":
      await pauseSigning(db, { petitionId: petition.id, message: input.message, moderatorId: moderator.id });
      throw redirect(`${here}?paused=1`);
    case "resume":
      await resumeSigning(db, { petitionId: petition.id, moderatorId: moderator.id });
      throw redirect(`${here}?resumed=1`);
    case "challenge-on":
    case "challenge-off": {
      // Already as asked (a second moderator, a double click): nothing changes and nothing is logged.
      const required = input.intent === "challenge-on";
      await setChallengeRequired(db, { petitionId: petition.id, required, moderatorId: moderator.id });
      throw redirect(`${here}?challenge=${required ? "on" : "off"}`);
    }
  }
}

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** The switch for the proof-of-work challenge on this petition's signing form (docs/decisions/0013-optional-challenge.md). */
function ChallengeSection({ since }: { since: string | null }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="challenge-heading">
      <h2 id="challenge-heading">{t("campaignSafety.challenge.heading")}</h2>
      <p>{t("campaignSafety.challenge.intro")}</p>
      <p>{since ? t("campaignSafety.challenge.onSince", { when: when(since) }) : t("campaignSafety.challenge.off")}</p>
      <Form method="post">
        <button
          type="submit"
          name="intent"
          value={since ? "challenge-off" : "challenge-on"}
          className={since ? "button button--secondary" : "button"}
        >
          {since ? t("campaignSafety.challenge.turnOff") : t("campaignSafety.challenge.turnOn")}
        </button>
      </Form>
    </section>
  );
}

export default function PetitionSafety() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const count = (n: number) => formatNumber(n, locale);
  const counted = (n: number) => ({ count: n, number: count(n) });
  const p = d.petition;
  const criteriaErrors: Record<string, string> =
    a && (a.intent === "check" || a.intent === "invalidate") ? a.errors : {};
  const errorsFor = (intent: string): Record<string, string> => (a?.intent === intent ? a.errors : {});
  // What the criteria fields show: what was typed, else what a "prepare invalidation" link filled in.
  const criteriaValue = (f: string) =>
    a && (a.intent === "check" || a.intent === "invalidate")
      ? a.values[f]
      : (d.prefill as Record<string, string | undefined>)[f];
  const f = d.figures;
  const figures: [string, number][] = [
    ["counted", f.counted],
    ["flagged", f.flagged],
    ["pending", f.pending],
    ["suspect", f.suspect],
    ["invalidated", f.invalidated],
  ];
  return (
    <section>
      <p>
        <Link to="/moderate">{t("campaignSafety.backToQueue")}</Link> ·{" "}
        <Link to="/moderate/safety">{t("campaignSafety.siteWide")}</Link>
        {p.status !== "hidden" && p.status !== "in_review" ? (
          <>
            {" "}
            · <Link to={`/petitions/${p.slug}`}>{t("campaignSafety.petitionPage")}</Link>
          </>
        ) : null}
      </p>
      <h1>
        <Trans
          i18nKey="campaignSafety.heading"
          values={{ title: p.title }}
          components={{ 1: <span lang={p.language} /> }}
        />
      </h1>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">{t("campaignSafety.figures.heading")}</h2>
        <table className="table">
          <tbody>
            {figures.map(([key, n]) => (
              <tr key={key}>
                <th scope="row">{t(`campaignSafety.figures.${key}`)}</th>
                <td className="num">{count(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {f.counted !== p.signatureCount ? (
          <p className="hint">
            <Trans
              i18nKey="campaignSafety.figures.drift"
              values={{ number: count(p.signatureCount) }}
              components={{ 1: <code translate="no" /> }}
            />
          </p>
        ) : null}
        {d.reviewReasons.length > 0 ? (
          <>
            <h3 id="flagged-heading">{t("campaignSafety.flagged.heading")}</h3>
            <p className="hint">{t("campaignSafety.flagged.hint")}</p>
            <CountTable
              by={t("campaignSafety.flagged.reason")}
              rows={d.reviewReasons.map((r) => ({ label: r.reason, count: r.count }))}
              aria-labelledby="flagged-heading"
            />
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="pause-heading">
        <h2 id="pause-heading">{t("campaignSafety.pause.heading")}</h2>
        {d.sitePausedMessage ? (
          <p className="notice">
            <Trans
              i18nKey="campaignSafety.pause.siteWide"
              values={{ message: d.sitePausedMessage }}
              components={{ 1: <Link to="/moderate/safety" />, 2: <span translate="no" /> }}
            />
          </p>
        ) : null}
        {p.pausedMessage ? (
          <>
            <p>
              <Trans
                i18nKey="campaignSafety.pause.pausedNow"
                values={{ message: p.pausedMessage }}
                components={{ 1: <span translate="no" /> }}
              />
            </p>
            <p className="hint">{t("campaignSafety.pause.canConfirm")}</p>
            <Form method="post">
              <button type="submit" name="intent" value="resume" className="button button--secondary">
                {t("campaignSafety.pause.resume")}
              </button>
            </Form>
          </>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("pause"), { message: "pause-message" })} />
            <Field
              id="pause-message"
              label={t("campaignSafety.pause.messageLabel")}
              hint={t("campaignSafety.pause.messageHint")}
              error={errorsFor("pause").message}
            >
              {(aria) => (
                <textarea
                  {...aria}
                  name="message"
                  rows={2}
                  maxLength={PAUSE_MESSAGE_MAX}
                  defaultValue={a?.intent === "pause" ? a.values.message : t("campaignSafety.pause.defaultMessage")}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="pause" className="button button--danger">
              {t("campaignSafety.pause.pause")}
            </button>
          </Form>
        )}
      </section>

      <ChallengeSection since={p.challengeRequiredSince} />

      <section aria-labelledby="trending-heading">
        <h2 id="trending-heading">{t("campaignSafety.trending.heading")}</h2>
        <p className="hint">{t("campaignSafety.trending.hint", { number: count(d.threshold) })}</p>
        {d.trending.length === 0 ? (
          <p>{t("campaignSafety.none")}</p>
        ) : (
          <TrendingSources
            rows={d.trending}
            showPetition={false}
            commonDomains={d.commonDomains}
            labelledBy="trending-heading"
          />
        )}
      </section>

      <section className="card" id="invalidate" aria-labelledby="invalidate-heading">
        <h2 id="invalidate-heading">{t("campaignSafety.invalidate.heading")}</h2>
        <p>{t("campaignSafety.invalidate.intro")}</p>
        <Form method="post" noValidate>
          <ErrorSummary
            errors={summaryOf(criteriaErrors, {
              criteria: "network",
              ...Object.fromEntries(CRITERIA_FIELDS.map((f) => [f, f])),
            })}
          />
          {criteriaErrors.criteria || criteriaErrors.form ? (
            <p className="field-error" id="criteria-error">
              {t(criteriaErrors.criteria ?? criteriaErrors.form)}
            </p>
          ) : null}
          <Field
            id="network"
            label={t("campaignSafety.invalidate.network")}
            hint={t(NETWORK_HINT)}
            error={criteriaErrors.network}
          >
            {(aria) => (
              <input {...aria} type="text" name="network" defaultValue={criteriaValue("network")} spellCheck={false} />
            )}
          </Field>
          <Field
            id="domain"
            label={t("campaignSafety.invalidate.domain")}
            hint={t("campaignSafety.invalidate.domainHint")}
            error={criteriaErrors.domain}
          >
            {(aria) => (
              <input {...aria} type="text" name="domain" defaultValue={criteriaValue("domain")} spellCheck={false} />
            )}
          </Field>
          <Field
            id="email"
            label={t("campaignSafety.invalidate.email")}
            hint={t("campaignSafety.invalidate.emailHint")}
            error={criteriaErrors.email}
          >
            {(aria) => <input {...aria} type="email" name="email" defaultValue={criteriaValue("email")} />}
          </Field>
          <Field id="country" label={t("campaignSafety.invalidate.country")} error={criteriaErrors.country}>
            {(aria) => (
              <select
                {...aria}
                name="country"
                dangerouslySetInnerHTML={{
                  __html: countryOptionsHtml(
                    criteriaValue("country") ?? "",
                    locale,
                    t("campaignSafety.invalidate.anyCountry"),
                  ),
                }}
              />
            )}
          </Field>
          <Field
            id="from"
            label={t("campaignSafety.invalidate.from")}
            hint={t("campaignSafety.invalidate.fromHint")}
            error={criteriaErrors.from}
          >
            {(aria) => <input {...aria} type="datetime-local" name="from" defaultValue={criteriaValue("from")} />}
          </Field>
          <Field id="to" label={t("campaignSafety.invalidate.to")} error={criteriaErrors.to}>
            {(aria) => <input {...aria} type="datetime-local" name="to" defaultValue={criteriaValue("to")} />}
          </Field>
          <button type="submit" name="intent" value="check" className="button button--secondary">
            {t("campaignSafety.invalidate.check")}
          </button>
        </Form>

        {a?.check ? (
          <div className="notice" role="status" aria-labelledby="check-heading">
            <h3 id="check-heading">{t("campaignSafety.invalidate.matches", counted(a.check.matches))}</h3>
            <p>{t("campaignSafety.invalidate.matching", { criteria: a.check.description })}</p>
            <p>
              {t("campaignSafety.invalidate.split", {
                confirmed: count(a.check.confirmed),
                pending: count(a.check.pending),
              })}
              {a.check.alreadyHeld > 0
                ? ` ${t("campaignSafety.invalidate.alreadyHeld", counted(a.check.alreadyHeld))}`
                : ""}
            </p>
            {a.check.matches > 0 ? (
              <Form method="post">
                {Object.entries(a.check.fields).map(([name, value]) => (
                  <input key={name} type="hidden" name={name} value={value} />
                ))}
                <button type="submit" name="intent" value="invalidate" className="button button--danger">
                  {t("campaignSafety.invalidate.run", counted(a.check.matches))}
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="invalidations-heading">
        <h2 id="invalidations-heading">{t("campaignSafety.past.heading")}</h2>
        {d.invalidations.length === 0 ? (
          <p>{t("campaignSafety.none")}</p>
        ) : (
          <TableScroll labelledBy="invalidations-heading">
            <table className="table table--wide">
              <thead>
                <tr>
                  <th scope="col">{t("campaignSafety.past.when")}</th>
                  <th scope="col">{t("campaignSafety.past.criteria")}</th>
                  <th scope="col" className="num">
                    {t("campaignSafety.past.signatures")}
                  </th>
                  <th scope="col">{t("campaignSafety.past.by")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("campaignSafety.past.undoColumn")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.invalidations.map((i) => (
                  <tr key={i.id}>
                    <td>{when(i.created_at)}</td>
                    <td>
                      {i.id}: {i.criteria}
                    </td>
                    <td className="num">{count(i.matched)}</td>
                    <td>
                      {i.createdBy ? <span translate="no">{i.createdBy}</span> : t("campaignSafety.past.unknown")}
                    </td>
                    <td>
                      {i.undone_at ? (
                        i.undoneBy ? (
                          <Trans
                            i18nKey="campaignSafety.past.undoneBy"
                            values={{ when: when(i.undone_at), who: i.undoneBy }}
                            components={{ 1: <span translate="no" /> }}
                          />
                        ) : (
                          t("campaignSafety.past.undone", { when: when(i.undone_at) })
                        )
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="invalidationId" value={i.id} />
                          <button type="submit" name="intent" value="undo" className="button button--secondary">
                            {t("campaignSafety.past.undo", { id: i.id })}
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

      <SuspectsSection figures={f} reasons={d.reasons} suspects={d.suspects} error={errorsFor("release").ids} />
    </section>
  );
}
