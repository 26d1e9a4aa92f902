import { Form, useNavigation } from "@remix-run/react";
import type { ChangeEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { COVER_IMAGE, formatMegabytes } from "~/schemas/cover-image";
import { Field } from "./field";

/**
 * The petition's optional cover image: the current one with a button to take
 * it away, and a file field to upload or replace it. Each is its own form,
 * separate from the text, and works without JavaScript.
 */
export function CoverImageForm(props: {
  petitionId: number;
  imageUrl: string | null;
  /** A new image on a published petition, waiting for a moderator (ADR 0007). */
  pendingImageUrl?: string | null;
  /** Whether a new image waits for a moderator before it shows: on a published petition, with moderation on. */
  reviewed?: boolean;
  error?: string;
  notice?: "saved" | "pending" | "removed" | null;
}) {
  const action = `/organize/${props.petitionId}/image`;
  const pending = props.pendingImageUrl ?? null;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formAction === action;
  const { t } = useTranslation();

  // With JavaScript, a file that is too large is caught before it is sent: the server would refuse it unread.
  const checkSize = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    input.setCustomValidity(
      file && file.size > COVER_IMAGE.maxFileBytes
        ? t("coverImage.errors.tooLargeBeforeSending", { max: formatMegabytes(COVER_IMAGE.maxFileBytes) })
        : "",
    );
    input.reportValidity();
  };

  return (
    <section className="cover-image-section" id="cover-image" aria-labelledby="cover-image-heading">
      <h2 id="cover-image-heading">
        <Trans i18nKey="coverImage.heading" components={{ 1: <span className="optional" /> }} />
      </h2>
      <p className="hint">{props.reviewed ? t("coverImage.hintReviewed") : t("coverImage.hint")}</p>
      {props.notice ? (
        <p className="notice" role="status">
          {props.notice === "saved"
            ? t("coverImage.notices.saved")
            : props.notice === "pending"
              ? t("coverImage.notices.pending")
              : t("coverImage.notices.removed")}
        </p>
      ) : null}
      {pending ? (
        <div className="cover-image-current">
          <h3>{t("coverImage.pending.heading")}</h3>
          <p>{props.imageUrl ? t("coverImage.pending.keepsCurrent") : t("coverImage.pending.noCurrent")}</p>
          <img
            className="cover-image"
            src={pending}
            alt={t("coverImage.pending.alt")}
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
        </div>
      ) : null}
      {props.imageUrl ? (
        <div className="cover-image-current">
          {pending ? <h3>{t("coverImage.current.heading")}</h3> : null}
          <img
            className="cover-image"
            src={props.imageUrl}
            alt={t("coverImage.current.alt")}
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
        </div>
      ) : null}
      {props.imageUrl || pending ? (
        <Form method="post" action={action} preventScrollReset className="cover-image-remove">
          <button type="submit" name="intent" value="remove" className="button button--secondary" disabled={busy}>
            {pending && props.imageUrl ? t("coverImage.removeBoth") : t("coverImage.remove")}
          </button>
        </Form>
      ) : null}
      {/* A new key after each change empties the file field of the file just sent. */}
      <Form
        key={`${props.imageUrl ?? "none"} ${pending ?? "none"}`}
        method="post"
        encType="multipart/form-data"
        action={action}
        preventScrollReset
        className="cover-image-form"
      >
        <Field
          id="image"
          label={props.imageUrl || pending ? t("coverImage.replaceLabel") : t("coverImage.chooseLabel")}
          hint={t("coverImage.fileHint", {
            max: formatMegabytes(COVER_IMAGE.maxFileBytes),
            minWidth: COVER_IMAGE.minWidth,
            minHeight: COVER_IMAGE.minHeight,
            width: COVER_IMAGE.width,
            height: COVER_IMAGE.height,
          })}
          error={props.error}
        >
          {(aria) => (
            <input {...aria} type="file" name="image" accept={COVER_IMAGE.types.join(",")} onChange={checkSize} />
          )}
        </Field>
        <button type="submit" name="intent" value="upload" className="button button--secondary" disabled={busy}>
          {busy ? t("coverImage.uploading") : t("coverImage.upload")}
        </button>
      </Form>
    </section>
  );
}
