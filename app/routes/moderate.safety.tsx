import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/services/session.server";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { TrendingSources } from "~/components/trending-sources";
import { readForm } from "~/lib/form.server";
import { formatCount } from "~/lib/time";
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

export const meta: MetaFunction = () => [{ title: "Fraud defences | Undersigned" }];

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
  return {
    threshold,
    notFound,
    sitePausedMessage: await getSetting(context.db, "signing_paused_message"),
    trending: await trendingSources(context.db, { threshold }),
    commonDomains: context.config.signingLimits.exemptDomains,
    suspects: await listSuspects(context.db),
    paused: await listPausedPetitions(context.db),
    changed:
      url.searchParams.get("paused") === "1"
        ? "Signing is paused across the site."
        : url.searchParams.get("resumed") === "1"
          ? "Signing has resumed across the site."
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
  const notFound = d.notFound ? `No petition matches “${d.notFound}”. Check the number or address.` : undefined;
  return (
    <section>
      <p>
        <Link to="/moderate">← Moderation queue</Link>
      </p>
      <h1>Fraud defences</h1>
      {d.changed ? (
        <p className="notice" role="status">
          {d.changed}
        </p>
      ) : null}

      <Form method="get" className="card">
        <ErrorSummary errors={summaryOf({ petition: notFound }, ["petition"])} />
        <Field
          id="petition"
          label="Open a petition’s signatures and fraud page"
          hint="Its number, its address (…/petitions/its-name) or the last part of the address"
          error={notFound}
        >
          {(aria) => <input {...aria} type="text" name="petition" defaultValue={d.notFound ?? ""} />}
        </Field>
        <button type="submit" className="button button--secondary">
          Open
        </button>
      </Form>

      <section className="card" aria-labelledby="site-pause-heading">
        <h2 id="site-pause-heading">Pause signing across the site</h2>
        {d.sitePausedMessage ? (
          <>
            <p>Signing is paused on every petition. Their pages show: “{d.sitePausedMessage}”</p>
            <Form method="post">
              <button type="submit" name="intent" value="resume" className="button button--secondary">
                Resume signing across the site
              </button>
            </Form>
          </>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errors, { message: "site-message" })} />
            <p>For an attack on the whole site. People who signed before the pause can still confirm.</p>
            <Field id="site-message" label="Message shown instead of every signing form" error={errors.message}>
              {(aria) => (
                <textarea
                  {...aria}
                  name="message"
                  rows={2}
                  maxLength={PAUSE_MESSAGE_MAX}
                  defaultValue={
                    a?.values.message ?? "Signing is paused for a short while for maintenance. Please come back later."
                  }
                />
              )}
            </Field>
            <button type="submit" name="intent" value="pause" className="button button--danger">
              Pause signing across the site
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="trending-heading">
        <h2 id="trending-heading">Trending in the last hour</h2>
        <p className="hint">
          Networks and email domains with more than {formatCount(d.threshold)} signatures on one petition in the last
          hour, across all petitions.
        </p>
        {d.trending.length === 0 ? (
          <p>None.</p>
        ) : (
          <TrendingSources rows={d.trending} showPetition commonDomains={d.commonDomains} />
        )}
      </section>

      <section aria-labelledby="suspects-heading">
        <h2 id="suspects-heading">Suspect signatures by petition</h2>
        {d.suspects.length === 0 ? (
          <p>None.</p>
        ) : (
          <table className="table table--wide">
            <thead>
              <tr>
                <th scope="col">Petition</th>
                <th scope="col" className="num">
                  Suspect
                </th>
                <th scope="col" className="num">
                  Of which confirmed
                </th>
                <th scope="col">Newest (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {d.suspects.map((s) => (
                <tr key={s.petitionId}>
                  <td>
                    <Link to={`/moderate/petitions/${s.petitionId}/safety`}>{s.petitionTitle}</Link>
                  </td>
                  <td className="num">{formatCount(s.total)}</td>
                  <td className="num">{formatCount(s.confirmed)}</td>
                  <td>{s.newest.slice(0, 16).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {d.paused.length > 0 ? (
        <section aria-labelledby="paused-heading">
          <h2 id="paused-heading">Petitions with signing paused</h2>
          <ul>
            {d.paused.map((p) => (
              <li key={p.id}>
                <Link to={`/moderate/petitions/${p.id}/safety`}>{p.title}</Link>: “{p.signing_paused_message}”
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
