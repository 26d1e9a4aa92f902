import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SignatureProgress } from "~/components/progress";
import { getPublicPetitionBySlug } from "~/models/petition.server";

export const meta: MetaFunction = () => [
  { title: "Thank you for signing | Undersigned" },
  { name: "robots", content: "noindex" },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition) throw new Response("Not found", { status: 404 });
  const url = `${context.config.appUrl}/petitions/${petition.slug}`;
  const text = `I signed "${petition.title}". Will you add your name?`;
  const e = encodeURIComponent;
  return {
    // The confirmation sends a signature that a quiet check held here with ?held=1: it is confirmed, but not
    // in the count below until a moderator has looked at it.
    held: new URL(request.url).searchParams.has("held"),
    petition: {
      slug: petition.slug,
      title: petition.title,
      signatureCount: petition.signature_count,
      goal: petition.goal,
    },
    url,
    share: [
      { label: "Share by email", href: `mailto:?subject=${e(petition.title)}&body=${e(`${text}\n\n${url}`)}` },
      { label: "Share on WhatsApp", href: `https://wa.me/?text=${e(`${text} ${url}`)}` },
      { label: "Share on Facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${e(url)}` },
      { label: "Share on X", href: `https://x.com/intent/post?text=${e(text)}&url=${e(url)}` },
      { label: "Share on Bluesky", href: `https://bsky.app/intent/compose?text=${e(`${text} ${url}`)}` },
    ],
  };
}

export default function ThankYou() {
  const { held, petition, url, share } = useLoaderData<typeof loader>();
  return (
    <section className="notice-page">
      <p className="eyebrow">Signature confirmed</p>
      <h1>Thank you for signing</h1>
      {held ? (
        <p className="lead">
          Your signature to <em>{petition.title}</em> is confirmed. It is not in the count yet: our moderators will
          check it first. You need to do nothing more.
        </p>
      ) : (
        <p className="lead">
          Your signature to <em>{petition.title}</em> is confirmed and counted.
        </p>
      )}
      <SignatureProgress count={petition.signatureCount} goal={petition.goal} />
      <h2>Help it reach more people</h2>
      <p>Campaigns grow when signers pass them on. Share it with people who would care:</p>
      <ul className="share-links">
        {share.map((s) => (
          <li key={s.label}>
            <a href={s.href} rel="noopener noreferrer" target="_blank">
              {s.label}
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="share-url">Or copy the link</label>
        <input id="share-url" type="text" readOnly value={url} />
      </div>
      <p>
        <Link to={`/petitions/${petition.slug}`}>Back to the petition</Link>
      </p>
    </section>
  );
}
