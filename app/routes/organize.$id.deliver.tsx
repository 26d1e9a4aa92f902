import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DeliveryDocument } from "~/components/delivery-document";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { deliveryDocument } from "~/models/deliveries.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `${data.title}: the petition for delivery | Undersigned` : "The petition for delivery | Undersigned",
  },
];

/**
 * The petition as it is handed to the people it is addressed to: the ask,
 * the text, the count, and the names of the signers who chose to be named,
 * as they chose to be named. For organizers only; made to be printed.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  return { id: p.id, ...(await deliveryDocument(context.db, p.id)) };
}

export default function Deliver() {
  const d = useLoaderData<typeof loader>();
  return (
    <DeliveryDocument
      d={d}
      screenOnly={
        <>
          <p>
            <Link to={`/organize/${d.id}`}>← Back to the dashboard</Link>
          </p>
          <p className="notice">
            This page is made to be printed and handed over. Use your browser’s Print command (Ctrl+P, or ⌘P on a Mac)
            to print it or save it as a PDF. Only signers who chose to show their name are listed, as they chose.
          </p>
        </>
      }
      moreNames={
        <>
          {" "}
          here: they are in the <a href={`/organize/${d.id}/export.csv`}>CSV download</a>
        </>
      }
    />
  );
}
