import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction = () => [
  { title: "Public API | Undersigned" },
  { name: "description", content: "Read campaigns and their live counts as JSON." },
];

export async function loader({ context }: LoaderFunctionArgs) {
  return { origin: context.config.appUrl };
}

export default function ApiDocs() {
  const { origin } = useLoaderData<typeof loader>();
  return (
    <article className="prose">
      <h1>Public API</h1>
      <p>
        Read campaigns and their counts as JSON: no key needed, from any site (CORS is open for GET), and cacheable
        (each answer has a <code>Cache-Control</code> and an <code>ETag</code>; ask again with{" "}
        <code>If-None-Match</code> for a 304). Only published campaigns appear: open, closed and won. No signer is ever
        listed: counts by country only.
      </p>
      <h2>Campaigns</h2>
      <pre>
        <code>{`GET ${origin}/api/petitions.json?q=library&state=open&sort=recent&page=1&per_page=20`}</code>
      </pre>
      <p>
        <code>q</code>: words to search for (up to 200 characters; &quot;phrases&quot;, -exclusions and <code>or</code>{" "}
        work). <code>state</code>: open, closed or victory. <code>sort</code>: relevance, popular, recent or
        closing_soon. <code>per_page</code>: 1 to 50. The answer has <code>data</code>, <code>meta</code> (total, page,
        per_page, total_pages) and <code>links</code> (self, first, last, prev, next). A bad parameter gets a 400 naming
        it.
      </p>
      <h2>One campaign</h2>
      <pre>
        <code>{`GET ${origin}/api/petitions/<slug>.json`}</code>
      </pre>
      <p>
        Its count, goal, state, dates, decision makers (name and title), updates (title, date, link) and signatures by
        country. A campaign that is not published is a 404.
      </p>
      <h2>Its count</h2>
      <pre>
        <code>{`GET ${origin}/api/petitions/<slug>/count.json

{"signature_count":1234,"goal":2000,"state":"open","updated_at":"2026-12-07T12:00:00.000Z"}`}</code>
      </pre>
      <p>
        Made to be polled: every 10 seconds is plenty. It is read from the database at most every 2 seconds;{" "}
        <code>updated_at</code> says when.
      </p>
    </article>
  );
}
