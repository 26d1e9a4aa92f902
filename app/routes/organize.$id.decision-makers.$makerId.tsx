import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ErrorSummary, Field } from "~/components/field";
import { goalFor } from "~/lib/goal";
import { readForm } from "~/lib/form.server";
import { storedCounts } from "~/lib/milestones";
import { formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { translatedFieldErrors } from "~/lib/form-messages.server";
import { saveDeliverySettings } from "~/models/deliveries.server";
import { DELIVER_AT_OPTIONS, RESPONSE_LIMITS } from "~/schemas/response-fields";
import { DeliverySettingsForm, responseLimitValues } from "~/schemas/response.server";
import { requireOrganizerDecisionMaker } from "~/services/petition-access.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

/** A decision maker on a petition the user organizes (and not taken down), or 404. */
const loadMaker = (args: Pick<LoaderFunctionArgs, "request" | "context" | "params">) =>
  requireOrganizerDecisionMaker(args, (status) => status !== "hidden" && status !== "rejected");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p, maker } = await loadMaker({ request, context, params });
  const locale = requestLocale(request);
  return {
    pageTitle: translator(locale)("decisionMakers.settings.pageTitle", { name: maker.name }),
    id: p.id,
    title: p.title,
    language: p.language,
    goal: p.goal,
    nextGoal: goalFor(p.signature_count, p.goal),
    maker: { id: maker.id, name: maker.name, role: maker.role },
    values: {
      contactEmail: maker.contact_email ?? "",
      deliverAt: maker.deliver_at,
      deliverCounts: storedCounts(maker.deliver_counts)
        .map((n) => formatNumber(n, locale))
        .join(" "),
    },
  };
}

type Values = { contactEmail: string; deliverAt: string; deliverCounts: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p, maker } = await loadMaker({ request, context, params });
  const form = await readForm(request);
  const values: Values = {
    contactEmail: String(form.get("contactEmail") ?? ""),
    deliverAt: String(form.get("deliverAt") ?? ""),
    deliverCounts: String(form.get("deliverCounts") ?? ""),
  };
  const parsed = DeliverySettingsForm.safeParse(values);
  if (!parsed.success) {
    const locale = requestLocale(request);
    const errors = translatedFieldErrors(parsed.error, translator(locale), responseLimitValues(locale), {
      formKey: "form",
    });
    return data({ values, errors }, { status: 400 });
  }
  const saved = await saveDeliverySettings(context.db, {
    petitionId: p.id,
    makerId: maker.id,
    userId: user.id,
    settings: {
      contactEmail: parsed.data.contactEmail,
      deliverAt: parsed.data.deliverAt,
      deliverCounts: parsed.data.deliverCounts,
    },
  });
  if (!saved) throw new Response("Not found", { status: 404 });
  throw redirect(`/organize/${p.id}/decision-makers?saved=${maker.id}#maker-${maker.id}`);
}

export default function DeliverySettingsPage() {
  const { t, i18n } = useTranslation();
  const n = (value: number) => formatNumber(value, i18n.language as Locale);
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const values = a?.values ?? d.values;
  const errors: Record<string, string> = a?.errors ?? {};
  const summary = (["contactEmail", "deliverAt", "deliverCounts"] as const)
    .filter((k) => errors[k])
    .map((k) => ({ href: k === "deliverAt" ? "#deliver-at-goal" : `#${k}`, message: errors[k] }));
  const hints = {
    goal: d.goal
      ? t("decisionMakers.settings.goalHint", { number: n(d.goal) })
      : t("decisionMakers.settings.goalHintAutomatic", { number: n(d.nextGoal) }),
    counts: t("decisionMakers.settings.countsHint"),
    manual: t("decisionMakers.settings.manualHint"),
  };
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}/decision-makers`}>{t("decisionMakers.settings.back")}</Link>
      </p>
      {d.title ? (
        <p className="eyebrow" lang={d.language}>
          {d.title}
        </p>
      ) : (
        <p className="eyebrow">{t("decisionMakers.untitled")}</p>
      )}
      <h1>
        <Trans
          i18nKey="decisionMakers.settings.heading"
          values={{ name: d.maker.name }}
          components={{ 1: <span translate="no" /> }}
        />
      </h1>
      {d.maker.role ? (
        <p className="lead" translate="no">
          {d.maker.role}
        </p>
      ) : null}
      <Form method="post" noValidate className="petition-form">
        <ErrorSummary errors={summary} />
        <Field
          id="contactEmail"
          label={
            <>
              {t("decisionMakers.settings.email")}{" "}
              <span className="optional">{t("decisionMakers.settings.optional")}</span>
            </>
          }
          hint={t("decisionMakers.settings.emailHint")}
          error={errors.contactEmail}
        >
          {(aria) => (
            <input
              {...aria}
              type="email"
              name="contactEmail"
              autoComplete="off"
              maxLength={RESPONSE_LIMITS.email.max}
              defaultValue={values.contactEmail}
            />
          )}
        </Field>
        <fieldset
          className={errors.deliverAt ? "field field--error" : "field"}
          aria-describedby={errors.deliverAt ? "deliverAt-error" : undefined}
        >
          <legend>{t("decisionMakers.settings.when")}</legend>
          {errors.deliverAt ? (
            <p className="field-error" id="deliverAt-error">
              <span className="visually-hidden">{t("form.errorPrefix")} </span>
              {t(errors.deliverAt)}
            </p>
          ) : null}
          {DELIVER_AT_OPTIONS.map((o) => (
            <div className="choice" key={o.value}>
              <input
                type="radio"
                name="deliverAt"
                id={`deliver-at-${o.value}`}
                value={o.value}
                defaultChecked={values.deliverAt === o.value}
                aria-describedby={`deliver-at-${o.value}-hint`}
              />
              <label htmlFor={`deliver-at-${o.value}`}>{t(`decisionMakers.settings.deliverAt.${o.value}`)}</label>
              <p className="hint" id={`deliver-at-${o.value}-hint`}>
                {hints[o.value]}
              </p>
            </div>
          ))}
        </fieldset>
        <Field
          id="deliverCounts"
          label={t("decisionMakers.settings.counts")}
          hint={t("decisionMakers.settings.countsFieldHint", { max: n(RESPONSE_LIMITS.counts.max) })}
          error={errors.deliverCounts}
        >
          {(aria) => (
            <input {...aria} type="text" name="deliverCounts" inputMode="numeric" defaultValue={values.deliverCounts} />
          )}
        </Field>
        <p className="hint">{t("decisionMakers.settings.milestonesHint")}</p>
        <div className="form-actions">
          <button type="submit" className="button">
            {t("decisionMakers.settings.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
