import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { requestLocale, translator } from "~/lib/i18n.server";
import { requireRole } from "~/services/session.server";
import { ErrorSummary, Field, summaryOf } from "~/components/field";
import { fieldErrors, submittedValues } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { changeRole, listStaff } from "~/models/user.server";
import { RoleForm } from "~/schemas/account.server";
import { TableScroll } from "~/components/table-scroll";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, "admin");
  return { title: translator(requestLocale(request))("admin.title"), staff: await listStaff(context.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireRole(request, context, "admin");
  const form = await readForm(request);
  const raw = submittedValues(form);
  const parsed = RoleForm.safeParse(raw);
  if (!parsed.success) {
    return data(
      {
        errors: fieldErrors(parsed.error),
        values: raw,
        done: null as { key: string; role: string; email: string } | null,
      },
      { status: 400 },
    );
  }
  const { intent, email, role } = parsed.data;
  const result = await changeRole(context.db, { adminId: admin.id, email, role, grant: intent === "grant" });
  if (result === "self") {
    return data(
      {
        errors: { email: "admin.errors.self" } as Record<string, string>,
        values: raw,
        done: null,
      },
      { status: 400 },
    );
  }
  return data({
    errors: {},
    values: {} as Record<string, string>,
    done: { key: intent === "grant" ? "admin.granted" : "admin.removed", role, email },
  });
}

export default function Admin() {
  const { staff } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors: Record<string, string> = a?.errors ?? {};
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t("admin.heading")}</h1>
      <p>
        <Link to="/admin/audit">{t("admin.auditLink")}</Link> · <Link to="/moderate">{t("admin.queueLink")}</Link>
      </p>
      {a?.done ? (
        <p className="notice" role="status">
          <Trans
            i18nKey={a.done.key}
            values={{ role: t(`admin.roles.${a.done.role}`), email: a.done.email }}
            components={{ 1: <span translate="no" /> }}
          />
        </p>
      ) : null}
      <h2 id="staff-heading">{t("admin.staffHeading")}</h2>
      <TableScroll labelledBy="staff-heading">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t("admin.email")}</th>
              <th scope="col">{t("admin.role")}</th>
              <th scope="col">{t("admin.since")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr key={`${s.id}-${s.role}`}>
                <td translate="no">{s.email}</td>
                <td>{t(`admin.roles.${s.role}`)}</td>
                <td>{s.created_at.slice(0, 10)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="email" value={s.email} />
                    <input type="hidden" name="role" value={s.role} />
                    <button type="submit" name="intent" value="revoke" className="link-button">
                      <Trans
                        i18nKey={`admin.removeRole.${s.role}`}
                        values={{ email: s.email }}
                        components={{ 1: <span className="visually-hidden" />, 2: <span translate="no" /> }}
                      />
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <section className="card" aria-labelledby="grant-heading">
        <h2 id="grant-heading">{t("admin.grantHeading")}</h2>
        <Form method="post" noValidate>
          <ErrorSummary errors={summaryOf(errors, ["email", "role"])} />
          <Field id="email" label={t("admin.emailLabel")} hint={t("admin.emailHint")} error={errors.email}>
            {(aria) => <input {...aria} type="email" name="email" maxLength={254} defaultValue={a?.values.email} />}
          </Field>
          <Field id="role" label={t("admin.role")} error={errors.role}>
            {(aria) => (
              <select {...aria} name="role" defaultValue={a?.values.role ?? "moderator"}>
                <option value="moderator">{t("admin.moderatorOption")}</option>
                <option value="admin">{t("admin.adminOption")}</option>
              </select>
            )}
          </Field>
          <button type="submit" name="intent" value="grant" className="button button--secondary">
            {t("admin.grant")}
          </button>
        </Form>
      </section>
    </section>
  );
}
