import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SIGN_IN_TTL_MINUTES } from "~/models/sign-in.server";

export const meta: MetaFunction = () => [
  { title: "Check your email | Undersigned" },
  { name: "robots", content: "noindex" },
];

export async function loader() {
  return { ttl: SIGN_IN_TTL_MINUTES };
}

export default function SignInCheckEmail() {
  // From the loader: a .server module's constant is not in the browser's bundle.
  const { ttl } = useLoaderData<typeof loader>();
  return (
    <section className="notice-page">
      <h1>Check your email</h1>
      <p className="lead">
        If that address can be used here, a sign-in link is on its way. Open it on this device and press{" "}
        <strong>Sign in</strong>. The link works once, for {ttl} minutes.
      </p>
      <p>
        Nothing arrived after a few minutes? Look in your spam folder, or{" "}
        <Link to="/sign-in">ask for another link</Link>.
      </p>
    </section>
  );
}
