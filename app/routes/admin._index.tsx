import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/services/session.server";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { changeRole, listStaff } from "~/models/user.server";
import { RoleForm } from "~/schemas/account.server";

export const meta: MetaFunction = () => [{ title: "Admin | Undersigned" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "admin");
  return { staff: await listStaff(context.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireRole(request, context, "admin");
  const form = await readForm(request);
  const raw = submittedValues(form);
  const parsed = RoleForm.safeParse(raw);
  if (!parsed.success) {
    return data({ errors: fieldErrors(parsed.error), values: raw, done: null as string | null }, { status: 400 });
  }
  const { intent, email, role } = parsed.data;
  const result = await changeRole(context.db, { adminId: admin.id, email, role, grant: intent === "grant" });
  if (result === "self") {
    return data(
      {
        errors: { email: "You cannot remove your own admin role; ask another admin." } as Record<string, string>,
        values: raw,
        done: null,
      },
      { status: 400 },
    );
  }
  return data({
    errors: {},
    values: {} as Record<string, string>,
    done: `${intent === "grant" ? "Granted" : "Removed"} ${role} ${intent === "grant" ? "to" : "from"} ${email}.`,
  });
}

export default function Admin() {
  const { staff } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors: Record<string, string> = a?.errors ?? {};
  return (
    <section>
      <h1>Admin</h1>
      <p>
        <Link to="/admin/audit">Read the audit log</Link> · <Link to="/moderate">Moderation queue</Link>
      </p>
      {a?.done ? (
        <p className="notice" role="status">
          {a.done}
        </p>
      ) : null}
      <h2>Moderators and admins</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Since</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={`${s.id}-${s.role}`}>
              <td>{s.email}</td>
              <td>{s.role}</td>
              <td>{s.created_at.slice(0, 10)}</td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="email" value={s.email} />
                  <input type="hidden" name="role" value={s.role} />
                  <button type="submit" name="intent" value="revoke" className="link-button">
                    Remove {s.role} role<span className="visually-hidden"> from {s.email}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="card" aria-labelledby="grant-heading">
        <h2 id="grant-heading">Grant a role</h2>
        <Form method="post" noValidate>
          <ErrorSummary errors={summaryOf(errors, ["email", "role"])} />
          <Field
            id="email"
            label="Email address"
            hint="If they have never signed in, the role waits for their first sign-in."
            error={errors.email}
          >
            {(aria) => <input {...aria} type="email" name="email" maxLength={254} defaultValue={a?.values.email} />}
          </Field>
          <Field id="role" label="Role" error={errors.role}>
            {(aria) => (
              <select {...aria} name="role" defaultValue={a?.values.role ?? "moderator"}>
                <option value="moderator">Moderator: reviews and takes down petitions</option>
                <option value="admin">Admin: also manages roles and reads the audit log</option>
              </select>
            )}
          </Field>
          <button type="submit" name="intent" value="grant" className="button button--secondary">
            Grant role
          </button>
        </Form>
      </section>
    </section>
  );
}
