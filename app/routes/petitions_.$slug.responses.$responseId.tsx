import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ResponseArticle, responseHeading } from "~/components/responses";
import { articleMeta } from "~/lib/article-meta";
import { routeId } from "~/lib/route-id";
import { getPublicResponse } from "~/models/response-lists.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Response not found | Undersigned" }];
  const heading = data.response.hidden ? "A hidden response" : responseHeading(data.response);
  return articleMeta({ heading, petitionTitle: data.petitionTitle, url: data.url, slug: data.slug });
};

/** One response on a published petition, at an address that can be shared and linked from emails. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = routeId(params.responseId);
  const response = params.slug && id ? await getPublicResponse(context.db, params.slug, id) : undefined;
  if (!response) throw new Response("Not found", { status: 404 });
  const { slug, petitionTitle, ...rest } = response;
  return {
    url: `${context.config.appUrl}/petitions/${slug}/responses/${response.id}`,
    slug,
    petitionTitle,
    response: rest,
  };
}

export default function PublicResponse() {
  const d = useLoaderData<typeof loader>();
  return (
    <section className="petition-update">
      <p>
        <Link to={`/petitions/${d.slug}`}>← {d.petitionTitle}</Link>
      </p>
      <p className="eyebrow">A response to the petition</p>
      {d.response.hidden ? <h1>A hidden response</h1> : null}
      <ResponseArticle response={d.response} headingLevel={1} />
      <p>
        <Link to={`/petitions/${d.slug}`}>Read the petition</Link> ·{" "}
        <a href={`/petitions/${d.slug}/updates.atom`}>Follow updates and responses (Atom feed)</a>
      </p>
    </section>
  );
}
