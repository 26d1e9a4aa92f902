import { Form, useNavigation } from "@remix-run/react";
import type { ChangeEvent } from "react";
import { COVER_IMAGE, formatMegabytes } from "~/schemas/cover-image";
import { Field } from "./field";

const TOO_LARGE = `This file is larger than ${formatMegabytes(COVER_IMAGE.maxFileBytes)}. Save it at a smaller size and choose it again.`;

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

  // With JavaScript, a file that is too large is caught before it is sent: the server would refuse it unread.
  const checkSize = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    input.setCustomValidity(file && file.size > COVER_IMAGE.maxFileBytes ? TOO_LARGE : "");
    input.reportValidity();
  };

  return (
    <section className="cover-image-section" id="cover-image" aria-labelledby="cover-image-heading">
      <h2 id="cover-image-heading">
        Cover image <span className="optional">(optional)</span>
      </h2>
      <p className="hint">
        Shown at the top of the petition and as the picture when people share its link.
        {props.reviewed
          ? " A new image shows once a moderator has looked at it; removing one takes effect at once."
          : null}{" "}
        Uploading or removing it reloads this page, so save any changes to the text first.
      </p>
      {props.notice ? (
        <p className="notice" role="status">
          {props.notice === "saved"
            ? "The cover image was saved. This is how it will look."
            : props.notice === "pending"
              ? "Your new image was saved. It will show on the petition’s page, and when people share it, once a moderator has looked at it."
              : "The cover image was removed."}
        </p>
      ) : null}
      {pending ? (
        <div className="cover-image-current">
          <h3>Waiting for a moderator</h3>
          <p>
            This new image will show once a moderator has looked at it. Until then the page{" "}
            {props.imageUrl ? "keeps the image below" : "shows no image"}. Upload another to send that one instead.
          </p>
          <img
            className="cover-image"
            src={pending}
            alt="The new cover, waiting for a moderator"
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
        </div>
      ) : null}
      {props.imageUrl ? (
        <div className="cover-image-current">
          {pending ? <h3>On the page now</h3> : null}
          <img
            className="cover-image"
            src={props.imageUrl}
            alt="The current cover"
            width={COVER_IMAGE.width}
            height={COVER_IMAGE.height}
          />
        </div>
      ) : null}
      {props.imageUrl || pending ? (
        <Form method="post" action={action} preventScrollReset className="cover-image-remove">
          <button type="submit" name="intent" value="remove" className="button button--secondary" disabled={busy}>
            {pending && props.imageUrl ? "Remove both images" : "Remove the image"}
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
          label={props.imageUrl || pending ? "Replace it with another image" : "Choose an image"}
          hint={`A PNG, JPEG or WebP file of up to ${formatMegabytes(COVER_IMAGE.maxFileBytes)}, at least ${COVER_IMAGE.minWidth} × ${COVER_IMAGE.minHeight} pixels. It is cropped to ${COVER_IMAGE.width} × ${COVER_IMAGE.height}, the shape of a link preview, and the location and camera details a photo may carry are removed.`}
          error={props.error}
        >
          {(aria) => (
            <input {...aria} type="file" name="image" accept={COVER_IMAGE.types.join(",")} onChange={checkSize} />
          )}
        </Field>
        <button type="submit" name="intent" value="upload" className="button button--secondary" disabled={busy}>
          {busy ? "Uploading…" : "Upload the image"}
        </button>
      </Form>
    </section>
  );
}
