import type { LoaderFunctionArgs } from "@remix-run/node";
import { getInboxMessage } from "~/models/dev-mail.server";

/** The email's HTML on its own, for the inbox's sandboxed frame, with a policy that lets its inline styles apply. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { config } = context;
  if (config.isProduction) throw new Response("Not found", { status: 404 });
  const id = Number(params.id);
  const site = { appUrl: config.appUrl, unsubscribeSecret: config.unsubscribeSecret };
  const m = Number.isSafeInteger(id) ? await getInboxMessage(context.db, id, site) : undefined;
  if (!m) throw new Response("Not found", { status: 404 });
  return new Response(m.html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
      "X-Frame-Options": "SAMEORIGIN",
    },
  });
}
