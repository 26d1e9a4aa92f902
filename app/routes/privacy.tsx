import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CHALLENGE_TTL_MS } from "~/lib/challenge-puzzle.server";
import { SESSION_TTL_DAYS } from "~/models/sign-in.server";
import { SENT_MAIL_KEEP_DAYS, UNCONFIRMED_KEEP_DAYS } from "~/models/retention.server";
import { CONFIRMATION_TTL_DAYS, MANAGE_LINK_TTL_DAYS } from "~/models/signatures.server";
import { UPDATES_CONSENT } from "~/schemas/signature-fields";
import { publicPageHeaders } from "~/lib/cache-control.server";

/** The same for every visitor: browsers keep it and revalidate (app/lib/cache-control.server.ts). */
export const headers = publicPageHeaders;

export const meta: MetaFunction = () => [
  { title: "Privacy | Undersigned" },
  {
    name: "description",
    content: "What Undersigned keeps about the people who sign, why, who sees it, and when it is forgotten.",
  },
];

export async function loader({ context }: LoaderFunctionArgs) {
  return {
    retentionMonths: context.config.retentionMonths,
    confirmationDays: CONFIRMATION_TTL_DAYS,
    unconfirmedDays: UNCONFIRMED_KEEP_DAYS,
    manageDays: MANAGE_LINK_TTL_DAYS,
    mailDays: SENT_MAIL_KEEP_DAYS,
    sessionDays: SESSION_TTL_DAYS,
    updatesLabel: UPDATES_CONSENT.label,
    challengeMinutes: CHALLENGE_TTL_MS / 60_000,
  };
}

export default function Privacy() {
  const d = useLoaderData<typeof loader>();
  const months = `${d.retentionMonths} month${d.retentionMonths === 1 ? "" : "s"}`;
  return (
    <article className="notice-page">
      <h1>Privacy</h1>
      <p className="lead">
        Many campaigns here are about things people could be hurt for supporting. So we keep as little as we need, show
        nothing you did not choose to show, and forget on a schedule.
      </p>

      <h2>Our promises</h2>
      <ul>
        <li>
          <strong>We never reveal whether an email address has signed.</strong> The signing form and every other form
          answer the same way whatever address is typed in. Only the mailbox finds out, by email.
        </li>
        <li>
          <strong>Your name is shown only as you choose:</strong> in full, as your first name and initial, or not at all
          (the default). You can change your mind at any time.
        </li>
        <li>
          <strong>We never store your internet (IP) address</strong>, nor write it to our logs.
        </li>
        <li>
          <strong>You can withdraw your signature or erase your details at any time</strong>, with no account.
        </li>
      </ul>

      <h2>What we keep when you sign, and why</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Your name</td>
            <td>So the petition can be delivered with the names of the people behind it, and shown as you chose.</td>
          </tr>
          <tr>
            <td>Your email address, and a tidied form of it (lower case, without +tags)</td>
            <td>To confirm your signature, to let each person sign once, and to send you links to manage it.</td>
          </tr>
          <tr>
            <td>Your country</td>
            <td>For the count by country.</td>
          </tr>
          <tr>
            <td>Your postcode, if you gave one</td>
            <td>To show decision makers where support comes from.</td>
          </tr>
          <tr>
            <td>How your name is shown, whether you want updates, and which wording you agreed to</td>
            <td>To do what you asked, and to be able to show what you agreed to.</td>
          </tr>
          <tr>
            <td>Whether you confirmed, and when you signed and confirmed</td>
            <td>For the count and the count by day.</td>
          </tr>
          <tr>
            <td>
              Scrambled codes (keyed hashes) made from your internet address and its network, and the part of your email
              address after the @
            </td>
            <td>
              To spot floods of fake signatures. The codes cannot be turned back into an address; the address itself is
              never stored.
            </td>
          </tr>
          <tr>
            <td>The links we email you (to confirm, to manage your signature)</td>
            <td>Stored only as scrambled codes, so a copy of our database cannot be used to open them.</td>
          </tr>
          <tr>
            <td>Copies of the emails we send you</td>
            <td>So that they can be sent again if delivery fails.</td>
          </tr>
        </tbody>
      </table>
      <p>
        <strong>The browser check.</strong> When a campaign is flooded with fake signatures, our moderators can switch
        on a short check: your browser solves a small puzzle before the form is sent. It runs on this site, with no
        outside service, and neither the puzzle nor its answer holds anything about you or your device. A puzzle expires{" "}
        {d.challengeMinutes} minutes after it was handed out. We keep only a scrambled code of each used one, so that
        one answer cannot sign twice, and delete it within a day of its expiry. If the check could not run (for example
        without JavaScript), your signature is still kept, and a moderator looks at it before it counts.
      </p>

      <h2>Who sees what</h2>
      <ul>
        <li>
          <strong>Everyone:</strong> the number of signatures, the numbers by country, and the names of signers who
          chose to be shown, in the form they chose. Never an email address or a postcode.
        </li>
        <li>
          <strong>The petition’s organizers:</strong> each signer’s name, country and postcode, and their email address
          only if they ticked “{d.updatesLabel}”. Organizers never see addresses of people who did not.
        </li>
        <li>
          <strong>Our moderators:</strong> counts, and the scrambled network codes and email domains, to find and remove
          fake signatures.
        </li>
        <li>
          <strong>Nobody:</strong> your internet address, which we never store.
        </li>
      </ul>

      <h2>How long we keep it</h2>
      <ul>
        <li>
          <strong>Signatures:</strong> {months} after a petition closes (or is taken down), we overwrite every signer’s
          name, email address, postcode and scrambled codes for good. The counts stay: in total, by country and by day.
        </li>
        <li>
          <strong>Unconfirmed signatures:</strong> the link to confirm works for {d.confirmationDays} days. Signatures
          still unconfirmed {d.unconfirmedDays} days after that are deleted; they never counted.
        </li>
        <li>
          <strong>Copies of emails:</strong> deleted {d.mailDays} days after they were sent.
        </li>
        <li>
          <strong>Links to manage a signature:</strong> work for {d.manageDays} days. You can ask for new ones.
        </li>
        <li>
          <strong>Organizers and moderators:</strong> we keep their email address for their account. Sign-in links are
          deleted a day after they expire, and sessions when they end ({d.sessionDays} days at most).
        </li>
      </ul>

      <h2>Your choices</h2>
      <p>
        <Link to="/signature/request">Ask for a link to manage your signatures</Link>. We email one link for each
        signature made with your address (and send nothing if there are none). Each link lets you:
      </p>
      <ul>
        <li>change how your name is shown;</li>
        <li>stop or start updates about that campaign;</li>
        <li>
          <strong>withdraw</strong> your signature: we delete it, and it no longer counts;
        </li>
        <li>
          <strong>erase your details</strong>: your signature stays counted, but your name, email address, postcode and
          scrambled codes are overwritten for good. Nothing is left that could show you signed, so it can never be
          withdrawn afterwards.
        </li>
      </ul>
      <p>
        Our log of changes records that a signature was withdrawn from or erased on a petition, and when, but never
        whose.
      </p>
    </article>
  );
}
