import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestLocale, translator } from "~/lib/i18n.server";

/**
 * Any address that matches no route: a real 404 page rather than an error (its title is the root's). The
 * server also renders its error page for requests it refused itself through here, with the status and the
 * catalog key of the sentence it gives, said in the visitor's language.
 */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const page = context.statusPage;
  if (page) throw new Response(translator(requestLocale(request))(page.message), { status: page.status });
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
