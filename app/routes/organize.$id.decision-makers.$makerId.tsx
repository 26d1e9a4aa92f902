import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, Field } from "~/components/field";
import { goalFor } from "~/lib/goal";
import { readForm } from "~/lib/form.server";
import { storedCounts } from "~/lib/milestones";
import { formatCount } from "~/lib/time";
import { saveDeliverySettings } from "~/models/deliveries.server";
import { DELIVER_AT_OPTIONS, RESPONSE_LIMITS } from "~/schemas/response-fields";
import { DeliverySettingsForm } from "~/schemas/response.server";
import { requireOrganizerDecisionMaker } from "~/services/petition-access.server";
import { fieldErrors } from "~/lib/form-errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Delivery to ${data.maker.name} | Undersigned` : "Delivery | Undersigned" },
];

/** A decision maker on a petition the user organizes (and not taken down), or 404. */
const loadMaker = (args: Pick<LoaderFunctionArgs, "request" | "context" | "params">) =>
  requireOrganizerDecisionMaker(args, (status) => status !== "hidden" && status !== "rejected");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p, maker } = await loadMaker({ request, context, params });
  return {
    id: p.id,
    title: p.title,
    goal: p.goal,
    nextGoal: goalFor(p.signature_count, p.goal),
    maker: { id: maker.id, name: maker.name, role: maker.role },
    values: {
      contactEmail: maker.contact_email ?? "",
      deliverAt: maker.deliver_at,
      deliverCounts: storedCounts(maker.deliver_counts).map(formatCount).join(" "),
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
  if (!parsed.success) return data({ values, errors: fieldErrors(parsed.error, { formKey: "form" }) }, { status: 400 });
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
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const values = a?.values ?? d.values;
  const errors: Record<string, string> = a?.errors ?? {};
  const summary = (["contactEmail", "deliverAt", "deliverCounts"] as const)
    .filter((k) => errors[k])
    .map((k) => ({ href: k === "deliverAt" ? "#deliver-at-goal" : `#${k}`, message: errors[k] }));
  const goalWords = d.goal
    ? `its goal of ${formatCount(d.goal)} signatures, then each goal after it (the page shows the next one)`
    : `each goal its page shows: ${formatCount(d.nextGoal)} signatures next, then the one after`;
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}/decision-makers`}>← Decision makers</Link>
      </p>
      <p className="eyebrow">{d.title || "Untitled draft"}</p>
      <h1>Delivery to {d.maker.name}</h1>
      {d.maker.role ? <p className="lead">{d.maker.role}</p> : null}
      <Form method="post" noValidate className="petition-form">
        <ErrorSummary errors={summary} />
        <Field
          id="contactEmail"
          label={
            <>
              Their email address <span className="optional">(optional)</span>
            </>
          }
          hint="Where the petition is sent, with a private link to respond. Only you and your co-organizers see it; it is forgotten when the petition’s signers’ details are. Changing it revokes the links sent to the old address."
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
          <legend>When is it sent?</legend>
          {errors.deliverAt ? (
            <p className="field-error" id="deliverAt-error">
              <span className="visually-hidden">Error: </span>
              {errors.deliverAt}
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
              <label htmlFor={`deliver-at-${o.value}`}>{o.label}</label>
              <p className="hint" id={`deliver-at-${o.value}-hint`}>
                {o.value === "goal"
                  ? `When the petition reaches ${goalWords}.`
                  : o.value === "counts"
                    ? "When it reaches each of the counts below, once each."
                    : "Nothing is sent by itself: send it from the decision makers page."}
              </p>
            </div>
          ))}
        </fieldset>
        <Field
          id="deliverCounts"
          label="Counts, for “At counts I choose”"
          hint={`Whole numbers separated by spaces, like 10,000 100,000. At most ${RESPONSE_LIMITS.counts.max}.`}
          error={errors.deliverCounts}
        >
          {(aria) => (
            <input {...aria} type="text" name="deliverCounts" inputMode="numeric" defaultValue={values.deliverCounts} />
          )}
        </Field>
        <p className="hint">
          Each milestone sends the petition once, even if the count falls and rises past it again. You can always send
          it by hand with “Deliver now”.
        </p>
        <div className="form-actions">
          <button type="submit" className="button">
            Save
          </button>
        </div>
      </Form>
    </section>
  );
}
