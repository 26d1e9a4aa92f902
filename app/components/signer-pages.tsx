import { Form, Link } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
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
  change: { title: string; slug: string; language: string; isPublic: boolean; wasConfirmed: boolean };
}) {
  const { done, change } = props;
  const { t } = useTranslation();
  const title = { 1: <em lang={change.language}>{change.title}</em> };
  return (
    <section className="notice-page">
      <h1>{done === "withdrawn" ? t("signature.done.withdrawnHeading") : t("signature.done.erasedHeading")}</h1>
      <p className="lead">
        {done === "withdrawn" ? (
          <Trans i18nKey="signature.done.withdrawn" components={title} values={{ title: change.title }} />
        ) : change.wasConfirmed ? (
          <Trans i18nKey="signature.done.erased" components={title} values={{ title: change.title }} />
        ) : (
          <Trans i18nKey="signature.done.erasedPending" components={title} values={{ title: change.title }} />
        )}
      </p>
      <p>{t("signature.done.linkGone")}</p>
      <p>
        {change.isPublic ? (
          <Link to={`/petitions/${change.slug}`}>{t("signature.done.seePetition")}</Link>
        ) : (
          <Link to="/">{t("signature.done.seeOpen")}</Link>
        )}
      </p>
    </section>
  );
}

export function ManageLinkExpired({ ttlDays }: { ttlDays: number }) {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("signature.expired.heading")}</h1>
      <p className="lead">{t("signature.expired.lead", { count: ttlDays })}</p>
      <p>
        <Link to="/signature/request" className="button">
          {t("signature.expired.newLinks")}
        </Link>
      </p>
    </section>
  );
}

export function ManageLinkNotValid() {
  const { t } = useTranslation();
  return (
    <section className="notice-page">
      <h1>{t("signature.notValid.heading")}</h1>
      <p className="lead">{t("signature.notValid.lead")}</p>
      <p>
        <Trans i18nKey="signature.notValid.askAgain" components={{ 1: <Link to="/signature/request" /> }} />
      </p>
    </section>
  );
}
