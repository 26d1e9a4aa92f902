import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser, sessionCookie } from "~/services/session.server";
import { StatusTag } from "~/components/status";
import { readForm } from "~/lib/form.server";
import { formatCount } from "~/lib/time";
import { endAllSessions } from "~/models/sign-in.server";
import { listOrganizedPetitions } from "~/models/organize.server";

export const meta: MetaFunction = () => [{ title: "Your account | Undersigned" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const petitions = await listOrganizedPetitions(context.db, user.id);
  return {
    email: user.email,
    roles: user.roles,
    petitions: petitions.map((p) => ({
      id: p.id,
      title: p.title || "Untitled draft",
      status: p.status,
      count: p.signature_count,
      role: p.role,
    })),
  };
}

/** "Sign out everywhere": ends every session of this account, on every device. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await readForm(request);
  if (form.get("intent") !== "sign-out-everywhere") throw new Response("Unknown action", { status: 400 });
  await endAllSessions(context.db, user.id);
  throw redirect("/", { headers: { "Set-Cookie": await sessionCookie(context.config).serialize("", { maxAge: 0 }) } });
}

export default function Account() {
  const { email, roles, petitions } = useLoaderData<typeof loader>();
  return (
    <section>
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{email}</strong>
        {roles.length ? ` (${roles.join(", ")})` : ""}.
      </p>
      <h2>Your campaigns</h2>
      {petitions.length === 0 ? (
        <p>You have not started a campaign yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Signatures
              </th>
            </tr>
          </thead>
          <tbody>
            {petitions.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link to={`/organize/${p.id}`}>{p.title}</Link>
                  {p.role === "co_organizer" ? <span className="hint"> (co-organizer)</span> : null}
                </td>
                <td>
                  <StatusTag status={p.status} />
                </td>
                <td className="num">{formatCount(p.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/start" className="button button--secondary">
          Start a campaign
        </Link>
      </p>
      <h2>Connecting other tools</h2>
      <p>
        <Link to="/organize/api-tokens">API tokens</Link> let a CRM or another tool read your campaigns’ confirmed
        signatures and send signatures in through the OSDI API.
      </p>
      <h2>Signing out</h2>
      <div className="form-actions">
        <Form method="post" action="/sign-out">
          <button type="submit" className="button button--secondary">
            Sign out
          </button>
        </Form>
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere" className="button button--secondary">
            Sign out everywhere
          </button>
        </Form>
      </div>
      <p className="hint">“Sign out everywhere” ends your sessions on every device, this one included.</p>
    </section>
  );
}
