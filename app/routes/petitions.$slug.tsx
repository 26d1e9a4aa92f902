import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { DecisionMakers } from "~/components/decision-makers";
import { SignatureProgress } from "~/components/progress";
import { SignForm, type SignFormErrors, type SignFormValues } from "~/components/sign-form";
import { countryName, defaultCountry } from "~/lib/countries";
import { readForm } from "~/lib/form.server";
import { formatCount, formatDate } from "~/lib/time";
import { countryCounts, getPublicPetitionBySlug, isSignable } from "~/models/petition.server";
import { recentPublicSigners, submitSignature } from "~/models/signature.server";
import { HONEYPOT_FIELD, SignatureForm, type SignatureField } from "~/schemas/signature";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Campaign not found | Undersigned" }];
  const { petition } = data;
  return [
    { title: `${petition.title} | Undersigned` },
    { name: "description", content: petition.summary },
    { property: "og:title", content: petition.title },
    { property: "og:description", content: petition.summary },
    { property: "og:type", content: "website" },
    { property: "og:url", content: data.url },
  ];
};

async function findPetition(context: LoaderFunctionArgs["context"], slug: string | undefined) {
  const petition = slug ? await getPublicPetitionBySlug(context.db, slug) : undefined;
  if (!petition) throw new Response("Not found", { status: 404 });
  return petition;
}

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const petition = await findPetition(context, params.slug);
  const [signers, countries] = await Promise.all([
    recentPublicSigners(context.db, petition.id),
    countryCounts(context.db, petition.id),
  ]);
  return {
    url: `${context.config.appUrl}/petitions/${petition.slug}`,
    petition: {
      slug: petition.slug,
      title: petition.title,
      summary: petition.summary,
      bodyHtml: petition.body_html,
      status: petition.status,
      signable: isSignable(petition),
      closesAt: petition.closes_at,
      signatureCount: petition.signature_count,
      goal: petition.goal,
      decisionMakers: petition.decisionMakers,
    },
    defaultCountry: defaultCountry(request.headers.get("accept-language"), petition.country),
    signers,
    countries: countries.slice(0, 10).map((c) => ({ name: countryName(c.country), count: c.signature_count })),
  };
}

type ActionData = { values: SignFormValues; errors: SignFormErrors; closed?: boolean };

export async function action({ params, context, request }: ActionFunctionArgs) {
  const petition = await findPetition(context, params.slug);
  const form = await readForm(request);
  const raw = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const values: SignFormValues = {
    name: raw.name,
    email: raw.email,
    country: raw.country,
    postcode: raw.postcode,
    nameDisplay: raw.nameDisplay,
    updates: raw.updates,
  };

  if (!isSignable(petition)) {
    return data<ActionData>({ values, errors: {}, closed: true }, { status: 409 });
  }
  // A filled-in honeypot is a bot: it is told what a person would be told, and nothing is kept.
  if (raw[HONEYPOT_FIELD]) throw redirect(`/petitions/${petition.slug}/check-email`);

  const parsed = SignatureForm.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Partial<Record<SignatureField, string[]>>;
    const errors: SignFormErrors = Object.fromEntries(
      Object.entries(fieldErrors).map(([field, messages]) => [field, messages?.[0]]),
    );
    return data<ActionData>({ values, errors }, { status: 400 });
  }

  await submitSignature(context.db, { petition, input: parsed.data, site: { appUrl: context.config.appUrl } });
  // The same page whatever happened, so nobody can learn whether an address has signed.
  throw redirect(`/petitions/${petition.slug}/check-email`);
}

export default function PetitionPage() {
  const { petition, defaultCountry, signers, countries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <article className="petition">
      <header className="petition-header">
        <p className="eyebrow">Petition</p>
        <h1>{petition.title}</h1>
        <DecisionMakers makers={petition.decisionMakers} />
        <p className="lead">{petition.summary}</p>
      </header>

      <div className="petition-layout">
        <aside className="petition-aside" aria-label="Signatures and signing">
          <SignatureProgress count={petition.signatureCount} goal={petition.goal} />
          {petition.signable && !actionData?.closed ? (
            <>
              <SignForm defaultCountry={defaultCountry} values={actionData?.values} errors={actionData?.errors} />
              {petition.closesAt ? <p className="hint">Open until {formatDate(petition.closesAt)}.</p> : null}
            </>
          ) : (
            <div className="notice" role="status">
              <h2>This petition is closed</h2>
              <p>
                {petition.status === "victory"
                  ? "This campaign won. It no longer takes signatures."
                  : `It stopped taking signatures${petition.closesAt ? ` on ${formatDate(petition.closesAt)}` : ""}.`}
              </p>
            </div>
          )}
        </aside>

        <div className="petition-body">
          <h2>Why this matters</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: petition.bodyHtml }} />

          {signers.length > 0 ? (
            <section aria-labelledby="recent-signers">
              <h2 id="recent-signers">Recent signers</h2>
              <ul className="signers">
                {signers.map((s, i) => (
                  <li key={`${s.confirmedAt}-${i}`}>
                    <span className="signer-name">{s.name}</span> <span className="signer-where">{s.country}</span>
                  </li>
                ))}
              </ul>
              <p className="hint">Only signers who chose to show their name appear here.</p>
            </section>
          ) : null}

          {countries.length > 0 ? (
            <section aria-labelledby="by-country">
              <h2 id="by-country">Where signatures come from</h2>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Country</th>
                    <th scope="col" className="num">
                      Signatures
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {countries.map((c) => (
                    <tr key={c.name}>
                      <td>{c.name}</td>
                      <td className="num">{formatCount(c.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
        </div>
      </div>
    </article>
  );
}
