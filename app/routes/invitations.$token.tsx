import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/services/session.server";
import { readForm } from "~/lib/form.server";
import { acceptInvitation, getInvitation } from "~/models/organizer-team.server";

export const meta: MetaFunction = () => [
  { title: "Invitation to organize | Undersigned" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const invitation = await getInvitation(context.db, params.token ?? "");
  return {
    invitation: invitation ? { title: invitation.title, email: invitation.email } : null,
    userEmail: user.email,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await readForm(request);
  const token = params.token ?? "";
  const invitation = await getInvitation(context.db, token);
  const result = await acceptInvitation(context.db, { token, user });
  if (result === "accepted" && invitation) throw redirect(`/organize/${invitation.petitionId}`);
  return data({ result }, { status: result === "wrong_account" ? 403 : 410 });
}

export default function Invitation() {
  const { invitation, userEmail } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  if (!invitation || a?.result === "invalid") {
    return (
      <section className="notice-page">
        <h1>This invitation has expired or has been used</h1>
        <p>Ask the petition’s organizer to invite you again.</p>
        <p>
          <Link to="/account">Your account</Link>
        </p>
      </section>
    );
  }
  const wrongAccount = invitation.email !== userEmail.toLowerCase();
  return (
    <section className="notice-page">
      <h1>Help organize this petition</h1>
      <p className="lead">
        You have been invited to co-organize <em>{invitation.title}</em>.
      </p>
      {wrongAccount ? (
        <p className="field-error" role="alert">
          This invitation was sent to a different email address. You are signed in as {userEmail}. Sign out, then sign
          in with the address the invitation was sent to.
        </p>
      ) : (
        <Form method="post">
          <button type="submit" className="button">
            Accept the invitation
          </button>
        </Form>
      )}
    </section>
  );
}
