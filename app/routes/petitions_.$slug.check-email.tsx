import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { CONFIRMATION_TTL_DAYS } from "~/models/signatures.server";

export const meta: MetaFunction = () => [
  { title: "Check your email | Undersigned" },
  { name: "robots", content: "noindex" },
];

/**
 * Everyone who submits a valid form lands here, whether their address is new,
 * waiting for confirmation or already counted: the page says nothing about which.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition) throw new Response("Not found", { status: 404 });
  return { petition: { slug: petition.slug, title: petition.title }, ttlDays: CONFIRMATION_TTL_DAYS };
}

export default function CheckEmail() {
  const { petition, ttlDays } = useLoaderData<typeof loader>();
  return (
    <section className="notice-page">
      <p className="eyebrow">One more step</p>
      <h1>Check your email</h1>
      <p className="lead">
        We have sent an email to the address you gave. Open it and press <strong>Confirm my signature</strong>: your
        signature to <em>{petition.title}</em> counts only once it is confirmed.
      </p>
      <h2>Can’t find it?</h2>
      <ul>
        <li>It can take a few minutes to arrive. Look in your spam or promotions folder too.</li>
        <li>The link works for {ttlDays} days.</li>
        <li>
          Still nothing? <Link to={`/petitions/${petition.slug}`}>Sign again</Link> with the same address and we will
          send a fresh link.
        </li>
      </ul>
      <p>
        <Link to={`/petitions/${petition.slug}`}>Back to the petition</Link>
      </p>
    </section>
  );
}
