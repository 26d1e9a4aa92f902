import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DeliveryDocument } from "~/components/delivery-document";
import { deliveryDocument, findResponseLink } from "~/models/deliveries.server";

/**
 * The printed petition, for the decision maker it was delivered to: the same document its organizers print,
 * opened with the private link. Reading it changes nothing (it does not count as "opened").
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title}: the petition | Undersigned` : "The petition | Undersigned" },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const link = await findResponseLink(context.db, token);
  if (!link) throw new Response("Not found", { status: 404 });
  return { token, ...(await deliveryDocument(context.db, link.petition.id)) };
}

export default function PetitionForDecisionMaker() {
  const d = useLoaderData<typeof loader>();
  return (
    <DeliveryDocument
      d={d}
      screenOnly={
        <>
          <p>
            <Link to={`/respond/${d.token}`}>← Back to the response page</Link>
          </p>
          <p className="notice">
            This is the petition as delivered to you. Use your browser’s Print command (Ctrl+P, or ⌘P on a Mac) to print
            it or save it as a PDF. Only signers who chose to show their name are listed, as they chose.
          </p>
        </>
      }
      moreNames=""
    />
  );
}
