import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { goalFor } from "~/lib/goal";
import { readForm } from "~/lib/form.server";
import { formatCount, formatDate } from "~/lib/time";
import { decisionMakersForOrganizer, deliverNow, revokeLinks } from "~/models/deliveries.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";
import { DeliveryActionForm } from "~/schemas/response.server";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { fieldErrors } from "~/lib/form-errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Decision makers: ${data.title || "Untitled draft"} | Undersigned` : "Decision makers | Undersigned",
  },
];

const NOTICES = {
  saved: "Saved.",
  delivered: "The petition is on its way, with today’s count and a new private link to respond.",
  revoked: "The links are revoked: they no longer open anything. Deliver the petition again to send a new one.",
  recorded: "The response is recorded and published on the petition’s page.",
} as const;

/**
 * Each decision maker the petition is addressed to, as its organizers see them: the address it is sent
 * to, when it is sent, each delivery (when, at what count, whether its email went and whether its link
 * was opened), and their responses. For organizers only.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const url = new URL(request.url);
  const notice = Object.entries(NOTICES).find(([flag]) => url.searchParams.has(flag))?.[1] ?? null;
  return {
    id: p.id,
    title: p.title,
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
  const form = await readForm(request);
  const parsed = DeliveryActionForm.safeParse(Object.fromEntries(form));
  const makerId = Number(form.get("makerId")) || null;
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error, { formKey: "form" });
    return data<ActionData>(
      { makerId, error: errors.intent ?? errors.makerId ?? "Choose what to do" },
      { status: 400 },
    );
  }
  const here = `/organize/${p.id}/decision-makers`;
  const { intent } = parsed.data;
  if (intent === "revoke") {
    const revoked = await revokeLinks(context.db, { petitionId: p.id, makerId: parsed.data.makerId, userId: user.id });
    if (revoked === null) throw new Response("Not found", { status: 404 });
    if (revoked === 0) {
      return data<ActionData>({ makerId, error: "There is no live link to revoke." }, { status: 400 });
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
        return data<ActionData>(
          { makerId, error: "The petition can be delivered once it is published." },
          { status: 400 },
        );
      }
      throw new Response("Not found", { status: 404 });
    case "no_email":
      return data<ActionData>(
        { makerId, error: "Add their email address first: there is nowhere to send it." },
        { status: 400 },
      );
    case "too_soon":
      return data<ActionData>(
        {
          makerId,
          error: `It was delivered to this address on ${formatDate(result.lastAt)} at ${result.lastAt.slice(11, 16)} UTC. You can deliver it again from ${formatDate(result.nextAt)} at ${result.nextAt.slice(11, 16)} UTC, or at once to a new address or after revoking the link.`,
        },
        { status: 400 },
      );
    case "delivered":
      throw redirect(`${here}?delivered=${parsed.data.makerId}#maker-${parsed.data.makerId}`);
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Maker = Data["makers"][number];

const MAIL_STATUS: Record<Maker["deliveries"][number]["mail"], string> = {
  pending: "Being sent",
  sending: "Being sent",
  sent: "Sent",
  failed: "Could not be delivered",
  cancelled: "Not sent: the address asked for no email from this site",
};

function whenSent(m: Maker, d: Data): string {
  if (m.deliverAt === "manual") return "Only when you press “Deliver now”.";
  if (m.deliverAt === "counts") {
    return `When the petition reaches ${m.deliverCounts.map(formatCount).join(", ")} signatures.`;
  }
  const next = goalFor(d.count, d.goal);
  return `Each time the petition reaches a goal; the next is ${formatCount(next)} signatures.`;
}

export default function DecisionMakersPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section className="dashboard decision-makers-page">
      <p>
        <Link to={`/organize/${d.id}`}>← Dashboard</Link>
      </p>
      <p className="eyebrow">{d.title || "Untitled draft"}</p>
      <h1>Decision makers</h1>
      <p className="next-steps-intro">
        The people your petition is addressed to. Give each an email address and we send them the petition when it
        reaches the counts you choose, with a private link to respond in public. Their address is never shown to anyone
        but you and your co-organizers.
      </p>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}
      {d.makers.length === 0 ? <p>The petition names no decision maker yet. Add them when you edit it.</p> : null}
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
  const live = m.deliveries.filter((x) => x.linkLive).length;
  const headingId = `maker-${m.id}-heading`;
  return (
    <section className="card maker-card" id={`maker-${m.id}`} aria-labelledby={headingId}>
      <h2 id={headingId}>
        {m.name}
        {m.role ? <span className="dm-role">{m.role}</span> : null}
      </h2>
      <dl className="mail-meta">
        <dt>Email</dt>
        <dd>{m.contactEmail ?? <span className="hint">None: the petition is not sent to them</span>}</dd>
        <dt>Sent</dt>
        <dd>{whenSent(m, d)}</dd>
        <dt>Response</dt>
        <dd>
          {m.responses.some((r) => !r.hidden)
            ? `Responded on ${formatDate(m.responses.find((r) => !r.hidden)!.respondedOn)}`
            : m.deliveries.length > 0
              ? "No response yet"
              : "Not delivered yet"}
        </dd>
      </dl>
      <ul className="action-links">
        <li>
          <Link to={`/organize/${d.id}/decision-makers/${m.id}`}>Change the address or when it is sent</Link>
        </li>
        {d.published ? (
          <li>
            <Link to={`/organize/${d.id}/decision-makers/${m.id}/response`}>Record a response received elsewhere</Link>
          </li>
        ) : null}
      </ul>

      {m.deliveries.length > 0 ? (
        <>
          <h3 id={`maker-${m.id}-deliveries`}>Deliveries</h3>
          <div className="table-scroll" role="region" aria-labelledby={`maker-${m.id}-deliveries`} tabIndex={0}>
            <table className="table table--wide">
              <thead>
                <tr>
                  <th scope="col">Delivered</th>
                  <th scope="col" className="num">
                    Signatures
                  </th>
                  <th scope="col">Why</th>
                  <th scope="col">Email</th>
                  <th scope="col">Link opened</th>
                </tr>
              </thead>
              <tbody>
                {m.deliveries.map((x) => (
                  <tr key={x.id}>
                    <td>{formatDate(x.createdAt)}</td>
                    <td className="num">{formatCount(x.count)}</td>
                    <td>{x.milestone === null ? "Delivered by hand" : `Passed ${formatCount(x.milestone)}`}</td>
                    <td>{MAIL_STATUS[x.mail]}</td>
                    <td>
                      {x.openedAt ? formatDate(x.openedAt) : "Not yet"}
                      {x.linkLive || x.mail === "cancelled" ? null : <span className="hint"> (link revoked)</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">
            A link counts as opened when someone presses its button, not when the email is opened: we use no tracking
            pixels, and mail scanners open every link.
          </p>
        </>
      ) : null}

      {m.responses.length > 0 ? (
        <>
          <h3>Responses</h3>
          <ul>
            {m.responses.map((r) => (
              <li key={r.id}>
                <a href={`/petitions/${d.slug}/responses/${r.id}`}>
                  {formatDate(r.respondedOn)}: {r.name}
                </a>{" "}
                <span className="hint">
                  {r.source === "organizer" ? "recorded by an organizer" : "through the private link"}
                  {r.hidden ? "; hidden by a moderator" : r.emailed ? "; emailed to subscribers" : "; not emailed"}
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
              <span className="visually-hidden">Error: </span>
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
                    Deliver now
                  </button>
                ) : null}
                {live > 0 ? (
                  <button type="submit" name="intent" value="revoke" className="button button--secondary">
                    Revoke the {live === 1 ? "link" : `${live} links`}
                  </button>
                ) : null}
              </Form>
              <p className="hint">
                {m.contactEmail
                  ? "“Deliver now” sends the petition with today’s count and a new link, whatever the count."
                  : ""}
                {live > 0 ? " Revoking makes every link sent to them stop working." : ""}
              </p>
            </>
          ) : (
            // Without an address there is nowhere to send it: a button that could only be refused is not offered.
            <p className="hint">Give them an email address to send them the petition.</p>
          )}
        </div>
      ) : (
        <p className="hint">The petition is sent once it is published.</p>
      )}
    </section>
  );
}
