import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { Checkbox, ErrorSummary, Field, summaryOf } from "~/components/field";
import { StatusTag } from "~/components/status";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatDate } from "~/lib/time";
import { closeEarly, declareVictory, extendClosingDate } from "~/models/organize.server";
import { inviteOrganizer, listOrganizers } from "~/models/organizer-team.server";
import { PETITION_LIMITS } from "~/schemas/petition-fields";
import { addMonths, isoDay, ManageForm } from "~/schemas/petition.server";

export const meta: MetaFunction = () => [{ title: "Manage your petition | Undersigned" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const { organizers, invitations } = await listOrganizers(context.db, p.id);
  const latest = p.opened_at ? isoDay(addMonths(new Date(p.opened_at), PETITION_LIMITS.months.max)) : null;
  return {
    id: p.id,
    title: p.title,
    status: p.status,
    isOwner: p.access.role === "owner",
    closesAt: p.closes_at,
    canExtend: p.status === "open" && p.closing_extended === 0 && latest !== null,
    extendMin: p.closes_at ? isoDay(new Date(new Date(p.closes_at).getTime() + 86_400_000)) : null,
    extendMax: latest,
    organizers,
    invitations,
  };
}

type ActionData = { intent: string; errors: Record<string, string>; values: Record<string, string>; done?: string };

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
  const input = parsed.data;
  switch (input.intent) {
    case "close":
      if (!(await closeEarly(context.db, { petitionId: p.id, userId: user.id, site })))
        throw new Response("It cannot be closed now.", { status: 409 });
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
            errors: { closesOn: "Choose a date after the current closing date, within twelve months of opening" },
            values: raw,
          },
          { status: 400 },
        );
      }
      if (result === "not_allowed") throw new Response("The closing date cannot be extended again.", { status: 409 });
      return data<ActionData>({
        intent: "extend",
        errors: {},
        values: {},
        done: "The closing date has been extended.",
      });
    }
    case "victory":
      if (!(await declareVictory(context.db, { petitionId: p.id, userId: user.id, message: input.message, site }))) {
        throw new Response("Victory cannot be declared now.", { status: 409 });
      }
      throw redirect(`/organize/${p.id}?victory=1`);
    case "invite":
      if (p.access.role !== "owner")
        throw new Response("Only the petition’s owner can invite co-organizers.", { status: 403 });
      if (
        !(await inviteOrganizer(context.db, {
          petitionId: p.id,
          ownerId: user.id,
          ownerEmail: user.email,
          email: input.email,
          site,
        }))
      ) {
        throw new Response("Co-organizers cannot be invited to this petition.", { status: 409 });
      }
      return data<ActionData>({ intent: "invite", errors: {}, values: {}, done: `Invitation sent to ${input.email}.` });
  }
}

export default function Manage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errorsFor = (intent: string) => (a?.intent === intent ? a.errors : {});
  const valueFor = (intent: string, key: string) => (a?.intent === intent ? a.values[key] : undefined);
  const live = d.status === "open";
  return (
    <section className="manage">
      <p>
        <Link to={`/organize/${d.id}`}>← Back to the dashboard</Link>
      </p>
      <h1>Manage: {d.title}</h1>
      <p>
        <StatusTag status={d.status} /> {d.closesAt && live ? `Closes on ${formatDate(d.closesAt)}.` : null}
      </p>
      {a?.done ? (
        <p className="notice" role="status">
          {a.done}
        </p>
      ) : null}

      {d.canExtend ? (
        <section aria-labelledby="extend-heading" className="card">
          <h2 id="extend-heading">Extend the closing date</h2>
          <p>You can do this once, up to twelve months after the petition opened.</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("extend"), ["closesOn"])} />
            <Field id="closesOn" label="New closing date" error={errorsFor("extend").closesOn}>
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
              Extend
            </button>
          </Form>
        </section>
      ) : null}

      {d.status === "open" || d.status === "closed" ? (
        <section aria-labelledby="victory-heading" className="card">
          <h2 id="victory-heading">Declare victory</h2>
          <p>
            If the decision maker did what you asked, tell everyone. The petition stops taking signatures and shows that
            it won, and your message is posted as an update and emailed once to the signers who asked for updates.
          </p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("victory"), ["message"])} />
            <Field id="message" label="What was won" error={errorsFor("victory").message}>
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
              Declare victory
            </button>
          </Form>
        </section>
      ) : null}

      {live ? (
        <section aria-labelledby="close-heading" className="card">
          <h2 id="close-heading">Close the petition early</h2>
          <p>It stops taking signatures straight away. This cannot be undone.</p>
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("close"), { confirm: "confirm-close" })} />
            <Checkbox id="confirm-close" label="I want to close this petition now" error={errorsFor("close").confirm}>
              {(aria) => <input {...aria} type="checkbox" name="confirm" value="yes" />}
            </Checkbox>
            <button type="submit" name="intent" value="close" className="button button--danger">
              Close the petition
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="organizers-heading" className="card">
        <h2 id="organizers-heading">Organizers</h2>
        <ul>
          {d.organizers.map((o) => (
            <li key={o.email}>
              {o.email} ({o.role === "owner" ? "owner" : "co-organizer"})
            </li>
          ))}
          {d.invitations.map((i) => (
            <li key={i.email}>
              {i.email} (invited, until {formatDate(i.expires_at)})
            </li>
          ))}
        </ul>
        {d.isOwner && !["hidden", "rejected"].includes(d.status) ? (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("invite"), ["email"])} />
            <Field
              id="email"
              label="Invite a co-organizer by email"
              hint="They can edit the text, see the dashboard, export signatures, and close the petition or declare victory. Only you can invite others."
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
              Send invitation
            </button>
          </Form>
        ) : null}
      </section>
    </section>
  );
}
