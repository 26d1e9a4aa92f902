import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useReportHeight } from "~/components/embed-height";
import { getPublicPetitionBySlug } from "~/models/petition.server";
import { CONFIRMATION_TTL_DAYS } from "~/models/signatures.server";
import type { EmbedHandle } from "~/root";

export const handle: EmbedHandle = { embed: true };

export const meta: MetaFunction = () => [
  { title: "Check your email | Undersigned" },
  { name: "robots", content: "noindex" },
];

/** What the widget shows after any accepted form: the same whatever the address's history. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPublicPetitionBySlug(context.db, params.slug) : undefined;
  if (!petition || petition.status === "rejected") throw new Response("Not found", { status: 404 });
  return {
    petition: { slug: petition.slug, title: petition.title },
    url: `${context.config.appUrl}/petitions/${petition.slug}`,
    ttlDays: CONFIRMATION_TTL_DAYS,
  };
}

export default function WidgetSent() {
  const { petition, url, ttlDays } = useLoaderData<typeof loader>();
  useReportHeight();
  return (
    <section className="widget" aria-labelledby="sent-heading">
      <p className="eyebrow">One more step</p>
      <h1 id="sent-heading">Check your email</h1>
      <p>
        We have sent an email to the address you gave. Open it and press <strong>Confirm my signature</strong>: your
        signature to <em>{petition.title}</em> counts only once it is confirmed. The link works for {ttlDays} days.
      </p>
      <p className="hint">
        Nothing there after a few minutes? Look in your spam folder, or{" "}
        <a href={`/embed/${petition.slug}`}>sign again</a> with the same address for a fresh link.
      </p>
      <p className="widget-footer">
        <a href={url} target="_blank" rel="noopener">
          Read the whole campaign<span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </p>
    </section>
  );
}
