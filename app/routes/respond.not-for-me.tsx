import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Thank you | Undersigned" }, { name: "robots", content: "noindex" }];

/** Where a decision maker's "This is not for me" leads: the link they pressed no longer opens anything. */
export default function NotForMeDone() {
  return (
    <section className="notice-page">
      <p className="eyebrow">Respond to a petition</p>
      <h1>Thank you</h1>
      <p className="lead">
        The petition will not be sent to your address again, and the links sent to it no longer work. Its organizers
        have been told that the address they gave is not the right one.
      </p>
    </section>
  );
}
