import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/services/session.server";
import { CountTable } from "~/components/count-table";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { SuspectsSection } from "~/components/suspects";
import { TrendingSources } from "~/components/trending-sources";
import { COUNTRIES } from "~/lib/countries";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { formatCount } from "~/lib/time";
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

export const meta: MetaFunction = () => [{ title: "Signatures and fraud | Undersigned" }];

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
  const invalidations = await listInvalidations(context.db, petition.id);
  const notice =
    done.invalidated !== undefined
      ? `Invalidation ${done.invalidated} took ${formatCount(invalidations.find((i) => i.id === done.invalidated)?.matched ?? 0)} signatures out of the count.`
      : done.undone !== undefined
        ? `Invalidation ${done.undone} was undone: its signatures count again.`
        : done.released !== undefined
          ? `Released ${formatCount(done.released)} suspect signatures; the confirmed ones now count.`
          : done.paused
            ? "Signing is paused on this petition."
            : done.resumed
              ? "Signing has resumed on this petition."
              : done.challenge === "on"
                ? "The browser check is on: signatures without a solved check are held as suspect."
                : done.challenge === "off"
                  ? "The browser check is off."
                  : null;
  return {
    petition: {
      id: petition.id,
      title: petition.title,
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
    reasons: await suspectReasons(context.db, petition.id),
    reviewReasons: await reviewReasons(context.db, petition.id),
    suspects: await newestSuspects(context.db, petition.id),
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
          check: { ...count, description: describeCriteria(JSON.stringify(filters)), fields },
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
      if (!undone)
        throw new Response(
          "That invalidation has already been undone, or it is not on this petition. Go back and reload the page.",
          { status: 409 },
        );
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
  return (
    <section className="card" aria-labelledby="challenge-heading">
      <h2 id="challenge-heading">Browser check</h2>
      <p>
        For a petition under attack by automated signatures. Signers’ browsers solve a small proof-of-work puzzle before
        the form is sent; it runs on this site, with no outside service, and costs a person a moment and a bot sending
        thousands a lot. Signatures that come without a solved puzzle (no JavaScript, a bot, a used or expired puzzle)
        are kept but held as suspect, and people see the usual page.
      </p>
      <p>{since ? `The browser check has been on since ${when(since)} UTC.` : "The browser check is off."}</p>
      <Form method="post">
        <button
          type="submit"
          name="intent"
          value={since ? "challenge-off" : "challenge-on"}
          className={since ? "button button--secondary" : "button"}
        >
          {since ? "Turn the browser check off" : "Turn the browser check on"}
        </button>
      </Form>
    </section>
  );
}

export default function PetitionSafety() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
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
  return (
    <section>
      <p>
        <Link to="/moderate">← Moderation queue</Link> · <Link to="/moderate/safety">Site-wide fraud defences</Link>
        {p.status !== "hidden" && p.status !== "in_review" ? (
          <>
            {" "}
            · <Link to={`/petitions/${p.slug}`}>The petition’s page</Link>
          </>
        ) : null}
      </p>
      <h1>Signatures and fraud: {p.title}</h1>
      {d.notice ? (
        <p className="notice" role="status">
          {d.notice}
        </p>
      ) : null}

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading">Signatures</h2>
        <table className="table">
          <tbody>
            <tr>
              <th scope="row">Counted (confirmed)</th>
              <td className="num">{formatCount(f.counted)}</td>
            </tr>
            <tr>
              <th scope="row">Of those, flagged for review (counted)</th>
              <td className="num">{formatCount(f.flagged)}</td>
            </tr>
            <tr>
              <th scope="row">Pending confirmation</th>
              <td className="num">{formatCount(f.pending)}</td>
            </tr>
            <tr>
              <th scope="row">Suspect (held by a quiet check; not counted)</th>
              <td className="num">{formatCount(f.suspect)}</td>
            </tr>
            <tr>
              <th scope="row">Invalidated (not counted)</th>
              <td className="num">{formatCount(f.invalidated)}</td>
            </tr>
          </tbody>
        </table>
        {f.counted !== p.signatureCount ? (
          <p className="hint">
            The stored count is {formatCount(p.signatureCount)}; run `npm run db:recount` to repair it.
          </p>
        ) : null}
        {d.reviewReasons.length > 0 ? (
          <>
            <h3 id="flagged-heading">Why signatures were flagged</h3>
            <p className="hint">
              Flagged signatures count once their signer confirms by email: a household, a street stall or a campus
              shares an address, and people fill forms quickly. If a source below looks like a flood, invalidate it
              (step one shows how many match first, and it can be undone).
            </p>
            <CountTable
              by="Reason"
              rows={d.reviewReasons.map((r) => ({ label: r.reason, count: r.count }))}
              aria-labelledby="flagged-heading"
            />
          </>
        ) : null}
      </section>

      <section className="card" aria-labelledby="pause-heading">
        <h2 id="pause-heading">Pause signing</h2>
        {d.sitePausedMessage ? (
          <p className="notice">
            Signing is paused across the whole site (<Link to="/moderate/safety">site-wide switch</Link>). Signers see:
            “{d.sitePausedMessage}”
          </p>
        ) : null}
        {p.pausedMessage ? (
          <>
            <p>Signing is paused on this petition. Its page shows: “{p.pausedMessage}”</p>
            <p className="hint">People who signed before the pause can still confirm their signatures.</p>
            <Form method="post">
              <button type="submit" name="intent" value="resume" className="button button--secondary">
                Resume signing
              </button>
            </Form>
          </>
        ) : (
          <Form method="post" noValidate>
            <ErrorSummary errors={summaryOf(errorsFor("pause"), { message: "pause-message" })} />
            <Field
              id="pause-message"
              label="Message shown instead of the signing form"
              hint="Signatures already made can still be confirmed."
              error={errorsFor("pause").message}
            >
              {(aria) => (
                <textarea
                  {...aria}
                  name="message"
                  rows={2}
                  maxLength={PAUSE_MESSAGE_MAX}
                  defaultValue={
                    a?.intent === "pause"
                      ? a.values.message
                      : "Signing is paused while we check recent signatures. Please come back later."
                  }
                />
              )}
            </Field>
            <button type="submit" name="intent" value="pause" className="button button--danger">
              Pause signing on this petition
            </button>
          </Form>
        )}
      </section>

      <ChallengeSection since={p.challengeRequiredSince} />

      <section aria-labelledby="trending-heading">
        <h2 id="trending-heading">Trending in the last hour</h2>
        <p className="hint">
          Networks and email domains with more than {formatCount(d.threshold)} signatures on this petition in the last
          hour.
        </p>
        {d.trending.length === 0 ? (
          <p>None.</p>
        ) : (
          <TrendingSources rows={d.trending} showPetition={false} commonDomains={d.commonDomains} />
        )}
      </section>

      <section className="card" id="invalidate" aria-labelledby="invalidate-heading">
        <h2 id="invalidate-heading">Invalidate signatures</h2>
        <p>
          Matching signatures stop counting (confirmed ones leave the count). Nothing runs until you have seen how many
          match. It can be undone.
        </p>
        <Form method="post" noValidate>
          <ErrorSummary
            errors={summaryOf(criteriaErrors, {
              criteria: "network",
              ...Object.fromEntries(CRITERIA_FIELDS.map((f) => [f, f])),
            })}
          />
          {criteriaErrors.criteria || criteriaErrors.form ? (
            <p className="field-error" id="criteria-error">
              {criteriaErrors.criteria ?? criteriaErrors.form}
            </p>
          ) : null}
          <Field id="network" label="Network" hint={NETWORK_HINT} error={criteriaErrors.network}>
            {(aria) => (
              <input {...aria} type="text" name="network" defaultValue={criteriaValue("network")} spellCheck={false} />
            )}
          </Field>
          <Field id="domain" label="Email domain" hint="e.g. example.org" error={criteriaErrors.domain}>
            {(aria) => (
              <input {...aria} type="text" name="domain" defaultValue={criteriaValue("domain")} spellCheck={false} />
            )}
          </Field>
          <Field
            id="email"
            label="Email address"
            hint="Any spelling of it: +tags and Gmail dots are ignored"
            error={criteriaErrors.email}
          >
            {(aria) => <input {...aria} type="email" name="email" defaultValue={criteriaValue("email")} />}
          </Field>
          <Field id="country" label="Country" error={criteriaErrors.country}>
            {(aria) => (
              <select {...aria} name="country" defaultValue={criteriaValue("country") ?? ""}>
                <option value="">Any country</option>
                {COUNTRIES.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="from" label="Signed from (UTC)" hint="Inclusive" error={criteriaErrors.from}>
            {(aria) => <input {...aria} type="datetime-local" name="from" defaultValue={criteriaValue("from")} />}
          </Field>
          <Field id="to" label="Signed before (UTC)" error={criteriaErrors.to}>
            {(aria) => <input {...aria} type="datetime-local" name="to" defaultValue={criteriaValue("to")} />}
          </Field>
          <button type="submit" name="intent" value="check" className="button button--secondary">
            Check matches
          </button>
        </Form>

        {a?.check ? (
          <div className="notice" role="status" aria-labelledby="check-heading">
            <h3 id="check-heading">
              {formatCount(a.check.matches)} {a.check.matches === 1 ? "signature matches" : "signatures match"}
            </h3>
            <p>Matching {a.check.description}</p>
            <p>
              Of these, {formatCount(a.check.confirmed)} count now and {formatCount(a.check.pending)} wait for
              confirmation.
              {a.check.alreadyHeld > 0
                ? ` ${formatCount(a.check.alreadyHeld)} more match but are already held, and stay as they are.`
                : ""}
            </p>
            {a.check.matches > 0 ? (
              <Form method="post">
                {Object.entries(a.check.fields).map(([name, value]) => (
                  <input key={name} type="hidden" name={name} value={value} />
                ))}
                <button type="submit" name="intent" value="invalidate" className="button button--danger">
                  Invalidate {formatCount(a.check.matches)} {a.check.matches === 1 ? "signature" : "signatures"}
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
      </section>

      <section aria-labelledby="invalidations-heading">
        <h2 id="invalidations-heading">Past invalidations</h2>
        {d.invalidations.length === 0 ? (
          <p>None.</p>
        ) : (
          <table className="table table--wide">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Criteria</th>
                <th scope="col" className="num">
                  Signatures
                </th>
                <th scope="col">By</th>
                <th scope="col">
                  <span className="visually-hidden">Undo</span>
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
                  <td className="num">{formatCount(i.matched)}</td>
                  <td>{i.createdBy ?? "unknown"}</td>
                  <td>
                    {i.undone_at ? (
                      `Undone ${when(i.undone_at)}${i.undoneBy ? ` by ${i.undoneBy}` : ""}`
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="invalidationId" value={i.id} />
                        <button type="submit" name="intent" value="undo" className="button button--secondary">
                          Undo invalidation {i.id}
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <SuspectsSection figures={f} reasons={d.reasons} suspects={d.suspects} error={errorsFor("release").ids} />
    </section>
  );
}
