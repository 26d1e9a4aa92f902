import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { formatDate } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { Checkbox, ErrorSummary, Field, summaryOf } from "~/components/field";
import { StatusTag } from "~/components/status";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { closeEarly, declareVictory, extendClosingDate } from "~/models/organize.server";
import { inviteOrganizer, listOrganizers } from "~/models/organizer-team.server";
import { PETITION_LIMITS } from "~/schemas/petition-fields";
import { addMonths, isoDay, ManageForm } from "~/schemas/petition.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const { organizers, invitations } = await listOrganizers(context.db, p.id);
  const latest = p.opened_at ? isoDay(addMonths(new Date(p.opened_at), PETITION_LIMITS.months.max)) : null;
  const locale = requestLocale(request);
  const t = translator(locale);
  return {
    pageTitle: t("campaignManage.pageTitle"),
    language: p.language,
    id: p.id,
    title: p.title,
    status: p.status,
    isOwner: p.access.role === "owner",
    closesOn: p.closes_at ? formatDate(p.closes_at, locale) : null,
    canExtend: p.status === "open" && p.closing_extended === 0 && latest !== null,
    extendMin: p.closes_at ? isoDay(new Date(new Date(p.closes_at).getTime() + 86_400_000)) : null,
    extendMax: latest,
    organizers,
    invitations: invitations.map((i) => ({ email: i.email, until: formatDate(i.expires_at, locale) })),
  };
}

/** What the manage page says once an action is done: a catalog key (the invitation's names the address it went to). */
type Done = { message: string; email?: string };

type ActionData = { intent: string; errors: Record<string, string>; values: Record<string, string>; done?: Done };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const form = await readForm(request);
  const raw = submittedValues(form);
  const parsed = ManageForm.safeParse(raw);
  if (!parsed.success) {
    return data<ActionData>(
      { intent: raw.intent ?? "", errors: fieldErrors(parsed.error), values: raw },
      { status: 400 },
    );
  }
  const site = { appUrl: context.config.appUrl };
  const t = translator(requestLocale(request));
  const input = parsed.data;
  switch (input.intent) {
    case "close":
      if (!(await closeEarly(context.db, { petitionId: p.id, userId: user.id, site })))
        throw new Response(t("campaignManage.refused.close"), { status: 409 });
      throw redirect(`/organize/${p.id}?closed=1`);
    case "extend": {
      const result = await extendClosingDate(context.db, {
        petitionId: p.id,
        userId: user.id,
        closesOn: input.closesOn,
      });
      if (result === "out_of_range") {
        return data<ActionData>(
          {
            intent: "extend",
            errors: { closesOn: "campaignManage.errors.closesOnOutOfRange" },
            values: raw,
          },
          { status: 400 },
        );
      }
      if (result === "not_allowed") throw new Response(t("campaignManage.refused.extend"), { status: 409 });
      return data<ActionData>({
        intent: "extend",
        errors: {},
        values: {},
        done: { message: "campaignManage.done.extended" },
      });
    }
    case "victory":
      if (!(await declareVictory(context.db, { petitionId: p.id, userId: user.id, message: input.message, site }))) {
        throw new Response(t("campaignManage.refused.victory"), { status: 409 });
      }
      throw redirect(`/organize/${p.id}?victory=1`);
    case "invite":
      if (p.access.role !== "owner") throw new Response(t("campaignManage.refused.notOwner"), { status: 403 });
      if (
        !(await inviteOrganizer(context.db, {
          petitionId: p.id,
          ownerId: user.id,
          ownerEmail: user.email,
          email: input.email,
          site,
        }))
      ) {
        throw new Response(t("campaignManage.refused.invite"), { status: 409 });
      }
      return data<ActionData>({
        intent: "invite",
        errors: {},
        values: {},
        done: { message: "campaignManage.done.invited", email: input.email },
      });
  }
}

export default function Manage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errorsFor = (intent: string) => (a?.intent === intent ? a.errors : {});
  const valueFor = (intent: string, key: string) => (a?.intent === intent ? a.values[key] : undefined);
  const live = d.status === "open";
  const { t } = useTranslation();
  return (
    <section className="manage">
      <p>
        <Link to={`/organize/${d.id}`}>{t("campaignManage.back")}</Link>
      </p>
      <h1>
        <Trans
          i18nKey="campaignManage.heading"
          components={{ 1: <span lang={d.language} /> }}
          values={{ title: d.title }}
        />
      </h1>
      <p>
        <StatusTag status={d.status} /> {d.closesOn && live ? t("campaignManage.closesOn", { date: d.closesOn }) : null}
      </p>
      {a?.done ? (
        <p className="notice" role="status">
          {a.done.email ? (
            <Trans
              i18nKey={a.done.message}
              components={{ 1: <span translate="no" /> }}
              values={{ email: a.done.email }}
            />
          ) : (
            t(a.done.message)
          )}
        </p>
      ) : null}

      {d.canExtend ? (
        <section aria-labelledby="extend-heading" className="card">
          <h2 id="extend-heading">{t("campaignManage.extend.heading")}</h2>
          <p>{t("campaignManage.extend.lead")}</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("extend"), ["closesOn"])} />
            <Field id="closesOn" label={t("campaignManage.extend.label")} error={errorsFor("extend").closesOn}>
              {(aria) => (
                <input
                  {...aria}
                  type="date"
                  name="closesOn"
                  min={d.extendMin ?? undefined}
                  max={d.extendMax ?? undefined}
                  className="input--short"
                  defaultValue={valueFor("extend", "closesOn")}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="extend" className="button button--secondary">
              {t("campaignManage.extend.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {d.status === "open" || d.status === "closed" ? (
        <section aria-labelledby="victory-heading" className="card">
          <h2 id="victory-heading">{t("campaignManage.victory.heading")}</h2>
          <p>{t("campaignManage.victory.lead")}</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("victory"), ["message"])} />
            <Field id="message" label={t("campaignManage.victory.label")} error={errorsFor("victory").message}>
              {(aria) => (
                <textarea
                  {...aria}
                  name="message"
                  rows={4}
                  maxLength={2000}
                  defaultValue={valueFor("victory", "message")}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="victory" className="button">
              {t("campaignManage.victory.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {live ? (
        <section aria-labelledby="close-heading" className="card">
          <h2 id="close-heading">{t("campaignManage.close.heading")}</h2>
          <p>{t("campaignManage.close.lead")}</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("close"), { confirm: "confirm-close" })} />
            <Checkbox id="confirm-close" label={t("campaignManage.close.confirm")} error={errorsFor("close").confirm}>
              {(aria) => <input {...aria} type="checkbox" name="confirm" value="yes" />}
            </Checkbox>
            <button type="submit" name="intent" value="close" className="button button--danger">
              {t("campaignManage.close.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="organizers-heading" className="card">
        <h2 id="organizers-heading">{t("campaignManage.organizers.heading")}</h2>
        <ul>
          {d.organizers.map((o) => (
            <li key={o.email}>
              <span translate="no">{o.email}</span>{" "}
              {o.role === "owner" ? t("campaignManage.organizers.owner") : t("campaignManage.organizers.coOrganizer")}
            </li>
          ))}
          {d.invitations.map((i) => (
            <li key={i.email}>
              <span translate="no">{i.email}</span> {t("campaignManage.organizers.invited", { date: i.until })}
            </li>
          ))}
        </ul>
        {d.isOwner && !["hidden", "rejected"].includes(d.status) ? (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("invite"), ["email"])} />
            <Field
              id="email"
              label={t("campaignManage.invite.label")}
              hint={t("campaignManage.invite.hint")}
              error={errorsFor("invite").email}
            >
              {(aria) => (
                <input
                  {...aria}
                  type="email"
                  name="email"
                  autoComplete="off"
                  maxLength={254}
                  defaultValue={valueFor("invite", "email")}
                />
              )}
            </Field>
            <button type="submit" name="intent" value="invite" className="button button--secondary">
              {t("campaignManage.invite.submit")}
            </button>
          </Form>
        ) : null}
      </section>
    </section>
  );
}
