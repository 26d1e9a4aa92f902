import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Page not found | Undersigned" }];

/**
 * Any address that matches no route: a real 404 page rather than an error. The server also renders its
 * error page for requests it refused itself through here, with the status and sentence it gives.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const page = context.statusPage;
  if (page) throw new Response(page.message, { status: page.status });
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
