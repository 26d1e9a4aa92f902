import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth.server";
import { StatusTag } from "~/components/status";
import { getPetitionForOrganizer } from "~/models/organize.server";

export const meta: MetaFunction = () => [{ title: "Dashboard | Undersigned" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const id = Number(params.id);
  const p = Number.isSafeInteger(id) ? await getPetitionForOrganizer(context.db, id, user) : undefined;
  if (!p) throw new Response("Not found", { status: 404 });
  return { id: p.id, title: p.title, status: p.status, slug: p.slug, count: p.signature_count, isOrganizer: Boolean(p.access.role) };
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>{d.title || "Untitled draft"}</h1>
      <p>
        <StatusTag status={d.status} /> {d.count} signatures
      </p>
      {d.isOrganizer ? (
        <p>
          <Link to={`/organize/${d.id}/edit`}>Edit</Link> · <Link to={`/organize/${d.id}/manage`}>Manage</Link>
        </p>
      ) : null}
    </section>
  );
}
