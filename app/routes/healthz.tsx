import type { LoaderFunctionArgs } from "@remix-run/node";
import { pingDatabase } from "~/models/health.server";

/** For load balancers and uptime checks: answers 200 only if the database answers. */
export async function loader({ context }: LoaderFunctionArgs) {
  const ok = await pingDatabase(context.db);
  return new Response(ok ? "ok" : "database unavailable", {
    status: ok ? 200 : 503,
    headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" },
  });
}
