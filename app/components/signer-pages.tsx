import { Form, Link } from "@remix-run/react";
import { Checkbox, ErrorSummary, summaryOf } from "./field";

/** The pieces of the signer's manage page (app/routes/signature.$token.tsx). Presentation only. */

/** Withdraw or erase: a box to tick, then the button, so that one stray press undoes nothing. */
export function ConfirmForm(props: { intent: "withdraw" | "erase"; label: string; button: string; error?: string }) {
  const id = `${props.intent}-confirm`;
  return (
    <Form method="post" noValidate>
      <ErrorSummary errors={summaryOf({ confirm: props.error }, { confirm: id })} />
      <input type="hidden" name="intent" value={props.intent} />
      <Checkbox id={id} label={props.label} error={props.error}>
        {(aria) => <input {...aria} type="checkbox" name="confirm" value="yes" />}
      </Checkbox>
      <button type="submit" className="button button--danger">
        {props.button}
      </button>
    </Form>
  );
}

/** After a withdrawal or an erasure. Says nothing about whether the signature was held by the fraud checks. */
export function SignerDone(props: {
  done: "withdrawn" | "erased";
  change: { title: string; slug: string; isPublic: boolean; wasConfirmed: boolean };
}) {
  const { done, change } = props;
  return (
    <section className="notice-page">
      <h1>{done === "withdrawn" ? "Your signature has been withdrawn" : "Your details have been erased"}</h1>
      {done === "withdrawn" ? (
        <p className="lead">
          We have deleted your signature to <em>{change.title}</em>. It no longer counts towards the petition.
        </p>
      ) : change.wasConfirmed ? (
        <p className="lead">
          Your signature to <em>{change.title}</em> stays on the petition with nothing that could identify you. We no
          longer hold your name, email address or postcode.
        </p>
      ) : (
        <p className="lead">
          Your signature to <em>{change.title}</em> had not been confirmed, so we have deleted it and everything in it.
        </p>
      )}
      <p>The link you used no longer works. Copies of the emails we sent you about it have been deleted too.</p>
      <p>
        {change.isPublic ? (
          <Link to={`/petitions/${change.slug}`}>See the petition</Link>
        ) : (
          <Link to="/">See open campaigns</Link>
        )}
      </p>
    </section>
  );
}

export function ManageLinkExpired({ ttlDays }: { ttlDays: number }) {
  return (
    <section className="notice-page">
      <h1>This link has expired</h1>
      <p className="lead">
        Links to manage a signature work for {ttlDays} days. Nothing has changed: your signature is as you left it.
      </p>
      <p>
        <Link to="/signature/request" className="button">
          Email me new links
        </Link>
      </p>
    </section>
  );
}

export function ManageLinkNotValid() {
  return (
    <section className="notice-page">
      <h1>This link is not valid</h1>
      <p className="lead">
        Each email we send about a signature has a fresh link, and it replaces the links sent before, so this may be an
        older one. A link also stops working once its signature has been withdrawn or erased.
      </p>
      <p>
        If you copied the link by hand, check that you have all of it. Otherwise{" "}
        <Link to="/signature/request">ask for new links</Link> and we will email one for each signature made with your
        address.
      </p>
    </section>
  );
}
