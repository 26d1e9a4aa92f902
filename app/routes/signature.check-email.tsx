import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Check your email | Undersigned" },
  { name: "robots", content: "noindex" },
];

/** Everyone who asks for their manage links lands here, whether or not their address has signed anything. */
export default function ManageLinksCheckEmail() {
  return (
    <section className="notice-page">
      <h1>Check your email</h1>
      <p className="lead">
        If that address has signed anything here, we have sent it one email with a link to manage each signature.
      </p>
      <h2>Can’t find it?</h2>
      <ul>
        <li>It can take a few minutes to arrive. Look in your spam or promotions folder too.</li>
        <li>
          Use the address you signed with. If we hold no signature from it (none was made, it was withdrawn or erased,
          or the petition closed long enough ago that we have forgotten who signed), no email is sent.
        </li>
        <li>
          Still nothing? <Link to="/signature/request">Ask again</Link>. We send at most three of these emails a day to
          one address.
        </li>
      </ul>
    </section>
  );
}
