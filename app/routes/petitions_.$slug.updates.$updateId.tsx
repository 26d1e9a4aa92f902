import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { articleMeta } from "~/lib/article-meta";
import { routeId } from "~/lib/route-id";
import { formatDate } from "~/lib/time";
import { responseOfUpdate } from "~/models/response-lists.server";
import { getPublicUpdate } from "~/models/update-lists.server";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Update not found | Undersigned" }];
  return articleMeta({ heading: data.title, petitionTitle: data.petitionTitle, url: data.url, slug: data.slug });
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const updateId = routeId(params.updateId);
  const update = params.slug && updateId ? await getPublicUpdate(context.db, params.slug, updateId) : undefined;
  if (!update) {
    // The update that emailed a decision maker's response: its page is the response's.
    const response = updateId ? await responseOfUpdate(context.db, updateId) : null;
    if (response && params.slug) throw redirect(`/petitions/${params.slug}/responses/${response.id}`);
    throw new Response("Not found", { status: 404 });
  }
  return {
    url: `${context.config.appUrl}/petitions/${update.slug}/updates/${update.id}`,
    slug: update.slug,
    petitionTitle: update.petitionTitle,
    title: update.title,
    bodyHtml: update.body_html,
    publishedAt: update.published_at,
  };
}

export default function PublicUpdate() {
  const d = useLoaderData<typeof loader>();
  return (
    <article className="petition-update">
      <p>
        <Link to={`/petitions/${d.slug}`}>← {d.petitionTitle}</Link>
      </p>
      <p className="eyebrow">Update from the organizers</p>
      <h1>{d.title}</h1>
      {d.publishedAt ? (
        <p className="hint">
          Posted on <time dateTime={d.publishedAt}>{formatDate(d.publishedAt)}</time>
        </p>
      ) : null}
      <div className="prose" dangerouslySetInnerHTML={{ __html: d.bodyHtml }} />
      <p>
        <Link to={`/petitions/${d.slug}`}>Read the petition</Link> ·{" "}
        <a href={`/petitions/${d.slug}/updates.atom`}>Follow updates (Atom feed)</a>
      </p>
    </article>
  );
}
