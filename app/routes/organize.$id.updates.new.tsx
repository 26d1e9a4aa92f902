import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { UpdateForm } from "~/components/update-form";
import { fieldErrors } from "~/lib/form-errors";
import { readForm } from "~/lib/form.server";
import { requirePetitionAccess } from "~/services/petition-access.server";
import { createUpdate } from "~/models/update.server";
import { UPDATE_BODY_MAX, UPDATE_TITLE_MAX } from "~/schemas/update-fields";
import { UPDATE_FORM_BYTES, UpdateDraftForm } from "~/schemas/update.server";
import { PUBLISHED_STATES } from "~/models/petition-lifecycle.server";

export const meta: MetaFunction = () => [{ title: "Write an update | Undersigned" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  return { id: p.id, title: p.title, canWrite: PUBLISHED_STATES.includes(p.status) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, petition: p } = await requirePetitionAccess(request, context, params.id, { moderators: false });
  const form = await readForm(request, UPDATE_FORM_BYTES);
  const values = { title: String(form.get("title") ?? ""), body: String(form.get("body") ?? "") };
  const parsed = UpdateDraftForm.safeParse(values);
  if (!parsed.success) return data({ values, errors: fieldErrors(parsed.error) }, { status: 400 });
  const id = await createUpdate(context.db, { petitionId: p.id, userId: user.id, input: parsed.data });
  if (id === null) throw new Response("Updates can be posted only while the petition is on the site.", { status: 409 });
  throw redirect(`/organize/${p.id}/updates/${id}?saved=1`);
}

export default function NewUpdate() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <section>
      <p>
        <Link to={`/organize/${d.id}/updates`}>← All updates</Link>
      </p>
      <p className="eyebrow">{d.title}</p>
      <h1>Write an update</h1>
      {d.canWrite ? (
        <>
          <p>It is saved as a draft. You can preview it, send yourself a test, and then publish it.</p>
          <UpdateForm
            action={`/organize/${d.id}/updates/new`}
            values={a?.values ?? {}}
            errors={a?.errors ?? {}}
            limits={{ title: UPDATE_TITLE_MAX, body: UPDATE_BODY_MAX }}
          />
        </>
      ) : (
        <p className="notice">Updates can be posted only while the petition is on the site.</p>
      )}
    </section>
  );
}
