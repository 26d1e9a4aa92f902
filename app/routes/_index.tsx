import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DecisionMakers } from "~/components/decision-makers";
import { SignatureProgress } from "~/components/progress";
import { formatCount } from "~/lib/time";
import { listOpenPetitions, listRecentVictories } from "~/models/petition.server";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

const DESCRIPTION = "Sign campaigns for change. Your signature stays private unless you choose otherwise.";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "Undersigned: open campaigns" },
  { name: "description", content: DESCRIPTION },
  ...(data
    ? [
        { tagName: "link", rel: "canonical", href: `${data.origin}/` },
        { property: "og:title", content: "Undersigned: open campaigns" },
        { property: "og:description", content: DESCRIPTION },
        { property: "og:type", content: "website" },
        { property: "og:url", content: `${data.origin}/` },
        { property: "og:image", content: `${data.origin}/card.png` },
        { property: "og:image:width", content: "1200" },
        { property: "og:image:height", content: "630" },
        { property: "og:site_name", content: "Undersigned" },
        { name: "twitter:card", content: "summary_large_image" },
      ]
    : []),
];

export async function loader({ context }: LoaderFunctionArgs) {
  const [petitions, victories] = await Promise.all([listOpenPetitions(context.db), listRecentVictories(context.db)]);
  return {
    origin: context.config.appUrl,
    victories: victories.map((p) => ({
      slug: p.slug,
      title: p.title,
      signatureCount: p.signature_count,
      message: p.victory_message,
    })),
    petitions: petitions.map((p) => ({
      slug: p.slug,
      title: p.title,
      summary: p.summary,
      signatureCount: p.signature_count,
      goal: p.goal,
      decisionMakers: p.decisionMakers,
      // The cover when it has one, else its generated card (the same picture social sites show).
      image: p.image_id ? `/images/${p.image_id}` : `/petitions/${p.slug}/card.png`,
    })),
  };
}

export default function Index() {
  const { petitions, victories } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="intro">
        <h1>Open campaigns</h1>
        <p>
          Add your name to a campaign in under a minute. No account needed; we email you a link to confirm, and we only
          show your name if you say so.
        </p>
        <p>
          <Link to="/petitions">Search and browse every campaign</Link>, open, closed and won.
        </p>
      </section>
      {petitions.length === 0 ? (
        <p>No campaigns are open right now.</p>
      ) : (
        <ul className="petition-list">
          {petitions.map((p) => (
            <li key={p.slug} className="petition-card petition-card--pictured">
              <img src={p.image} alt="" width={1200} height={630} loading="lazy" decoding="async" />
              <h2>
                <Link to={`/petitions/${p.slug}`}>{p.title}</Link>
              </h2>
              <DecisionMakers makers={p.decisionMakers} inline />
              <p>{p.summary}</p>
              <SignatureProgress count={p.signatureCount} goal={p.goal} compact />
            </li>
          ))}
        </ul>
      )}
      {victories.length > 0 ? (
        <section aria-labelledby="victories">
          <h2 id="victories">Recent victories</h2>
          <ul className="petition-list">
            {victories.map((v) => (
              <li key={v.slug} className="petition-card petition-card--victory">
                <h3>
                  <Link to={`/petitions/${v.slug}`}>{v.title}</Link>
                </h3>
                {v.message ? <p>{v.message}</p> : null}
                <p className="hint">Won with {formatCount(v.signatureCount)} signatures.</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
