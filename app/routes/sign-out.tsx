import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { sessionCookie, sessionTokenFrom } from "~/services/session.server";
import { readForm } from "~/lib/form.server";
import { endSession } from "~/models/sign-in.server";

export async function loader() {
  throw redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request);
  const token = await sessionTokenFrom(request, context.config);
  if (token) await endSession(context.db, token);
  throw redirect("/", {
    headers: { "Set-Cookie": await sessionCookie(context.config).serialize("", { maxAge: 0 }) },
  });
}
