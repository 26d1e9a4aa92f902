import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { goalFor } from "~/lib/goal";
import { readForm } from "~/lib/form.server";
import { formatDate, formatNumber, type Locale } from "~/lib/i18n";
import { requestLocale, translator } from "~/lib/i18n.server";
import { decisionMakersForOrganizer, deliverNow, revokeLinks } from "~/models/deliveries.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { DeliveryActionForm } from "~/schemas/response.server";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { translatedFieldErrors } from "~/lib/form-messages.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle }];

/** What the redirect after each action asks the page to say (keys under decisionMakers.list.notices). */
const NOTICES = ["saved", "delivered", "revoked", "recorded"] as const;

/**
 * Each decision maker the petition is addressed to, as its organizers see them: the address it is sent
 * to, when it is sent, each delivery (when, at what count, whether its email went and whether its link
 * was opened), and their responses. For organizers only.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const url = new URL(request.url);
  const notice = NOTICES.find((flag) => url.searchParams.has(flag)) ?? null;
  const t = translator(requestLocale(request));
  return {
    pageTitle: t("decisionMakers.list.pageTitle", { title: p.title || t("decisionMakers.untitled") }),
    id: p.id,
    title: p.title,
    language: p.language,
    slug: p.slug,
    published: PUBLISHED_STATES.includes(p.status),
    open: p.status === "open",
    goal: p.goal,
    count: p.signature_count,
    notice,
    makers: await decisionMakersForOrganizer(context.db, p.id),
  };
}

type ActionData = { makerId: number | null; error: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const locale = requestLocale(request);
  const t = translator(locale);
  const form = await readForm(request);
  const parsed = DeliveryActionForm.safeParse(Object.fromEntries(form));
  const makerId = Number(form.get("makerId")) || null;
  if (!parsed.success) {
    const errors = translatedFieldErrors(parsed.error, t, {}, { formKey: "form" });
    return data<ActionData>(
      { makerId, error: errors.intent ?? errors.makerId ?? t("decisionMakers.errors.chooseAction") },
      { status: 400 },
    );
  }
  const here = `/organize/${p.id}/decision-makers`;
  const { intent } = parsed.data;
  if (intent === "revoke") {
    const revoked = await revokeLinks(context.db, { petitionId: p.id, makerId: parsed.data.makerId, userId: user.id });
    if (revoked === null) throw new Response("Not found", { status: 404 });
    if (revoked === 0) {
      return data<ActionData>({ makerId, error: t("decisionMakers.errors.nothingToRevoke") }, { status: 400 });
    }
    throw redirect(`${here}?revoked=${parsed.data.makerId}#maker-${parsed.data.makerId}`);
  }
  const result = await deliverNow(context.db, {
    petitionId: p.id,
    makerId: parsed.data.makerId,
    userId: user.id,
    site: { appUrl: context.config.appUrl },
  });
  switch (result.kind) {
    case "not_found":
      if (!PUBLISHED_STATES.includes(p.status)) {
        return data<ActionData>({ makerId, error: t("decisionMakers.errors.notPublished") }, { status: 400 });
      }
      throw new Response("Not found", { status: 404 });
    case "no_email":
      return data<ActionData>({ makerId, error: t("decisionMakers.errors.noAddress") }, { status: 400 });
    case "too_soon":
      return data<ActionData>(
        {
          makerId,
          error: t("decisionMakers.errors.tooSoon", {
            lastDate: formatDate(result.lastAt, locale),
            lastTime: formatDate(result.lastAt, locale, "time"),
            nextDate: formatDate(result.nextAt, locale),
            nextTime: formatDate(result.nextAt, locale, "time"),
          }),
        },
        { status: 400 },
      );
    case "delivered":
      throw redirect(`${here}?delivered=${parsed.data.makerId}#maker-${parsed.data.makerId}`);
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Maker = Data["makers"][number];

/** Where each delivery's email stands (keys under decisionMakers.list.mail). */
const MAIL_STATUS: Record<Maker["deliveries"][number]["mail"], string> = {
  pending: "sending",
  sending: "sending",
  sent: "sent",
  failed: "failed",
  cancelled: "cancelled",
};

function whenSent(m: Maker, d: Data, t: TFunction, locale: Locale): string {
  if (m.deliverAt === "manual") return t("decisionMakers.list.whenManual");
  const n = (value: number) => formatNumber(value, locale);
  if (m.deliverAt === "counts")
    return t("decisionMakers.list.whenCounts", { counts: m.deliverCounts.map(n).join(", ") });
  return t("decisionMakers.list.whenGoal", { number: n(goalFor(d.count, d.goal)) });
}

export default function DecisionMakersPage() {
  const { t } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="dashboard decision-makers-page">
      <p>
        <Link to={`/organize/${d.id}`}>{t("decisionMakers.list.back")}</Link>
      </p>
      {d.title ? (
        <p className="eyebrow" lang={d.language}>
          {d.title}
        </p>
      ) : (
        <p className="eyebrow">{t("decisionMakers.untitled")}</p>
      )}
      <h1>{t("decisionMakers.list.heading")}</h1>
      <p className="next-steps-intro">{t("decisionMakers.list.intro")}</p>
      {d.notice ? (
        <p className="notice" role="status">
          {t(`decisionMakers.list.notices.${d.notice}`)}
        </p>
      ) : null}
      {d.makers.length === 0 ? <p>{t("decisionMakers.list.none")}</p> : null}
      {d.makers.map((m) => (
        <MakerCard key={m.id} m={m} d={d} error={a && a.makerId === m.id ? a.error : null} />
      ))}
      {a && !d.makers.some((m) => m.id === a.makerId) ? (
        <p className="field-error" role="alert">
          {a.error}
        </p>
      ) : null}
    </section>
  );
}

function MakerCard({ m, d, error }: { m: Maker; d: Data; error: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const live = m.deliveries.filter((x) => x.linkLive).length;
  const headingId = `maker-${m.id}-heading`;
  const shown = m.responses.find((r) => !r.hidden);
  const hints = [
    m.contactEmail ? t("decisionMakers.list.deliverHint") : null,
    live > 0 ? t("decisionMakers.list.revokeHint") : null,
  ].filter(Boolean);
  return (
    <section className="card maker-card" id={`maker-${m.id}`} aria-labelledby={headingId}>
      <h2 id={headingId} translate="no">
        {m.name}
        {m.role ? <span className="dm-role">{m.role}</span> : null}
      </h2>
      <dl className="mail-meta">
        <dt>{t("decisionMakers.list.email")}</dt>
        <dd>
          {m.contactEmail ? (
            <span translate="no">{m.contactEmail}</span>
          ) : (
            <span className="hint">{t("decisionMakers.list.noEmail")}</span>
          )}
        </dd>
        <dt>{t("decisionMakers.list.sent")}</dt>
        <dd>{whenSent(m, d, t, locale)}</dd>
        <dt>{t("decisionMakers.list.response")}</dt>
        <dd>
          {shown
            ? t("decisionMakers.list.respondedOn", { date: formatDate(shown.respondedOn, locale) })
            : m.deliveries.length > 0
              ? t("decisionMakers.list.noResponse")
              : t("decisionMakers.list.notDelivered")}
        </dd>
      </dl>
      <ul className="action-links">
        <li>
          <Link to={`/organize/${d.id}/decision-makers/${m.id}`}>{t("decisionMakers.list.change")}</Link>
        </li>
        {d.published ? (
          <li>
            <Link to={`/organize/${d.id}/decision-makers/${m.id}/response`}>{t("decisionMakers.list.record")}</Link>
          </li>
        ) : null}
      </ul>

      {m.deliveries.length > 0 ? (
        <>
          <h3 id={`maker-${m.id}-deliveries`}>{t("decisionMakers.list.deliveries")}</h3>
          <TableScroll labelledBy={`maker-${m.id}-deliveries`}>
            <table className="table table--wide">
              <thead>
                <tr>
                  <th scope="col">{t("decisionMakers.list.delivered")}</th>
                  <th scope="col" className="num">
                    {t("decisionMakers.list.signatures")}
                  </th>
                  <th scope="col">{t("decisionMakers.list.why")}</th>
                  <th scope="col">{t("decisionMakers.list.email")}</th>
                  <th scope="col">{t("decisionMakers.list.opened")}</th>
                </tr>
              </thead>
              <tbody>
                {m.deliveries.map((x) => (
                  <tr key={x.id}>
                    <td>{formatDate(x.createdAt, locale)}</td>
                    <td className="num">{formatNumber(x.count, locale)}</td>
                    <td>
                      {x.milestone === null
                        ? t("decisionMakers.list.byHand")
                        : t("decisionMakers.list.passed", { number: formatNumber(x.milestone, locale) })}
                    </td>
                    <td>{t(`decisionMakers.list.mail.${MAIL_STATUS[x.mail]}`)}</td>
                    <td>
                      {x.openedAt ? formatDate(x.openedAt, locale) : t("decisionMakers.list.notYet")}
                      {x.linkLive || x.mail === "cancelled" ? null : (
                        <span className="hint"> {t("decisionMakers.list.linkRevoked")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <p className="hint">{t("decisionMakers.list.openedHint")}</p>
        </>
      ) : null}

      {m.responses.length > 0 ? (
        <>
          <h3>{t("decisionMakers.list.responses")}</h3>
          <ul>
            {m.responses.map((r) => (
              <li key={r.id}>
                <a href={`/petitions/${d.slug}/responses/${r.id}`}>
                  <Trans
                    i18nKey="decisionMakers.list.responseLink"
                    values={{ date: formatDate(r.respondedOn, locale), name: r.name }}
                    components={{ 1: <span translate="no" /> }}
                  />
                </a>{" "}
                <span className="hint">
                  {t(
                    `decisionMakers.list.responseState.${r.source === "organizer" ? "recorded" : "link"}.${
                      r.hidden ? "hidden" : r.emailed ? "emailed" : "notEmailed"
                    }`,
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {d.published ? (
        <div className={error ? "field field--error maker-actions" : "maker-actions"}>
          {error ? (
            <p className="field-error" id={`maker-${m.id}-error`} role="alert">
              <span className="visually-hidden">{t("form.errorPrefix")} </span>
              {error}
            </p>
          ) : null}
          {m.contactEmail || live > 0 ? (
            <>
              <Form method="post" className="form-actions">
                <input type="hidden" name="makerId" value={m.id} />
                {m.contactEmail ? (
                  <button
                    type="submit"
                    name="intent"
                    value="deliver"
                    className="button button--secondary"
                    aria-describedby={error ? `maker-${m.id}-error` : undefined}
                  >
                    {t("decisionMakers.list.deliverNow")}
                  </button>
                ) : null}
                {live > 0 ? (
                  <button type="submit" name="intent" value="revoke" className="button button--secondary">
                    {t("decisionMakers.list.revoke", { count: live })}
                  </button>
                ) : null}
              </Form>
              <p className="hint">{hints.join(" ")}</p>
            </>
          ) : (
            // Without an address there is nowhere to send it: a button that could only be refused is not offered.
            <p className="hint">{t("decisionMakers.list.giveAddress")}</p>
          )}
        </div>
      ) : (
        <p className="hint">{t("decisionMakers.list.sentOncePublished")}</p>
      )}
    </section>
  );
}
