import type { LoaderFunctionArgs } from "@remix-run/node";

/**
 * Search engines may read the campaigns and the public pages; the rest is someone's own (an organizer's
 * dashboard, a signer's links) or a copy of a campaign (the widget), which would only compete with it.
 */
const PRIVATE_PATHS = [
  "/account",
  "/admin",
  "/confirm/",
  "/dev/",
  "/embed/",
  "/invitations/",
  "/moderate",
  "/organize/",
  "/sign-in",
  "/sign-out",
  "/signature/",
  "/unsubscribe/",
];

export function loader({ context }: LoaderFunctionArgs) {
  const lines = [
    "User-agent: *",
    ...PRIVATE_PATHS.map((p) => `Disallow: ${p}`),
    "",
    `Sitemap: ${context.config.appUrl}/sitemap.xml`,
    "",
  ];
  return new Response(lines.join("\n"), {
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
