import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Metadata, SharpConstructor } from "sharp";
import type { DB } from "../../db/connection";
import { COVER_IMAGE, formatMegabytes } from "../schemas/cover-image";
import type { SiteContext } from "../../emails/layout";
import { audit } from "./audit.server";
import { notifyOrganizers, organizedBy, type Actor } from "./organizer-team.server";
import { hasRole } from "./user.server";
import { COVER_IMAGE_STATES, PUBLIC_STATES, PUBLISHED_STATES } from "./petition-lifecycle.server";

/**
 * sharp (libvips) is loaded on the first upload, not when the server starts:
 * it adds several MB to the resident memory of every process, and most never
 * handle an image (the mail worker, the CLI scripts, a server between uploads).
 * It is required, not import()ed: tsx rewrites every file that has a dynamic
 * import() and keeps a source map of it, which cost the server 12 MB (measured).
 */
let sharpModule: SharpConstructor | null = null;
function loadSharp(): SharpConstructor {
  if (!sharpModule) {
    sharpModule = createRequire(import.meta.url)("sharp") as SharpConstructor;
    // Every upload is a different picture: libvips' cache of recent operations would only hold memory.
    sharpModule.cache(false);
  }
  return sharpModule;
}

export type ProcessedImage = { data: Buffer; width: number; height: number; contentType: "image/jpeg"; sha256: string };
/** A refusal's `error` is a catalog key (coverImage.errors), with the figures its sentence names in `values`. */
export type CoverImageResult =
  { ok: true; image: ProcessedImage } | { ok: false; error: string; values?: Record<string, string | number> };

type InputFormat = "png" | "jpeg" | "webp";

/**
 * The format a file's first bytes say it is. Only these three ever reach
 * libvips, so its many other loaders (SVG, TIFF, HEIF ...) never see an upload.
 */
function sniffFormat(bytes: Uint8Array): InputFormat | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts([0xff, 0xd8, 0xff])) return "jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "webp"; // RIFF....WEBP
  return null;
}

const NOT_AN_IMAGE = "coverImage.errors.notAnImage";
const UNREADABLE = "coverImage.errors.unreadable";

/**
 * Checks an uploaded file and turns it into the stored cover image: turned the
 * right way up, cropped to 1200 × 630 around its most interesting part, and
 * re-encoded as a JPEG with no metadata at all, so the location and camera
 * details that phones write into photos never reach the site.
 */
export async function processCoverImage(input: Uint8Array): Promise<CoverImageResult> {
  if (input.byteLength === 0) return { ok: false, error: "coverImage.errors.none" };
  if (input.byteLength > COVER_IMAGE.maxFileBytes) {
    return {
      ok: false,
      error: "coverImage.errors.fileTooLarge",
      values: { size: formatMegabytes(input.byteLength), max: formatMegabytes(COVER_IMAGE.maxFileBytes) },
    };
  }
  const sniffed = sniffFormat(input);
  if (!sniffed) return { ok: false, error: NOT_AN_IMAGE };

  const sharp = loadSharp();
  let metadata: Metadata;
  try {
    // Reads the header only, so the dimensions are checked (and named to the person) before any pixel is decoded.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, error: UNREADABLE };
  }
  if (metadata.format !== sniffed) return { ok: false, error: NOT_AN_IMAGE };
  const { width, height } = metadata;
  if (width > COVER_IMAGE.maxWidth || height > COVER_IMAGE.maxHeight) {
    return {
      ok: false,
      error: "coverImage.errors.tooManyPixels",
      values: { width, height, maxWidth: COVER_IMAGE.maxWidth, maxHeight: COVER_IMAGE.maxHeight },
    };
  }
  // A photo taken on its side is judged the way it will be shown.
  const shown = metadata.autoOrient ?? { width, height };
  if (shown.width < COVER_IMAGE.minWidth || shown.height < COVER_IMAGE.minHeight) {
    return {
      ok: false,
      error: "coverImage.errors.tooSmall",
      values: {
        width: shown.width,
        height: shown.height,
        minWidth: COVER_IMAGE.minWidth,
        minHeight: COVER_IMAGE.minHeight,
      },
    };
  }

  try {
    // sharp writes no metadata unless asked to (keepExif, withMetadata ...), and we never ask.
    const { data, info } = await sharp(input, {
      autoOrient: true,
      // The decoder refuses anything bigger too, whatever the checks above let through.
      limitInputPixels: COVER_IMAGE.maxWidth * COVER_IMAGE.maxHeight,
      failOn: "error",
    })
      .resize(COVER_IMAGE.width, COVER_IMAGE.height, { fit: "cover", position: sharp.strategy.attention })
      // Transparent areas of a PNG or WebP become white rather than JPEG's default black.
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 82, progressive: true, mozjpeg: Boolean(sharp.versions.mozjpeg) })
      .toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      image: {
        data,
        width: info.width,
        height: info.height,
        contentType: "image/jpeg",
        sha256: createHash("sha256").update(data).digest("hex"),
      },
    };
  } catch {
    return { ok: false, error: UNREADABLE };
  }
}

/** The id of the stored image with these bytes; the same picture uploaded twice is kept once. */
async function storeImage(db: DB, image: ProcessedImage, now: Date): Promise<number> {
  await db
    .insertInto("images")
    .values({
      sha256: image.sha256,
      content_type: image.contentType,
      width: image.width,
      height: image.height,
      data: image.data,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("sha256").doNothing())
    .execute();
  const row = await db.selectFrom("images").select("id").where("sha256", "=", image.sha256).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Deletes an image no petition uses any more, shown or waiting. Ids are never reused (AUTOINCREMENT), so
 * cached copies stay right.
 */
async function deleteIfUnused(db: DB, imageId: number | null): Promise<void> {
  if (imageId === null) return;
  await db
    .deleteFrom("images")
    .where("id", "=", imageId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("petitions")
            .select("petitions.id")
            .where((p) => p.or([p("petitions.image_id", "=", imageId), p("petitions.pending_image_id", "=", imageId)])),
        ),
      ),
    )
    .execute();
}

/**
 * The first write of a change to the image: only an organizer's petition in a
 * state that allows it matches. Returns the petition with its images, or undefined.
 */
async function claimForImageChange(
  db: DB,
  args: { petitionId: number; userId: number },
  now: Date,
  mustHaveImage = false,
) {
  let query = db
    .updateTable("petitions")
    .set({ updated_at: now.toISOString() })
    .where("id", "=", args.petitionId)
    .where("status", "in", COVER_IMAGE_STATES)
    .where(organizedBy(args.userId));
  if (mustHaveImage)
    query = query.where((eb) => eb.or([eb("image_id", "is not", null), eb("pending_image_id", "is not", null)]));
  return query.returning(["id", "status", "image_id", "pending_image_id"]).executeTakeFirst();
}

/** What became of a new cover image: on the page now, or waiting for a moderator. */
export type CoverImageSaved = "shown" | "pending";

/**
 * Sets a petition's cover image. On a draft it is part of what the moderator
 * reviews, so it is set at once. On a published petition (open, closed or
 * won) with moderation on, it waits for a moderator (ADR 0007): the page and
 * every share keep the image they had until one approves it; a second upload
 * replaces the one waiting. False if the user does not organize the petition
 * or its image cannot change now.
 */
export async function saveCoverImage(
  db: DB,
  args: { petitionId: number; userId: number; image: ProcessedImage; moderation: boolean; now?: Date },
): Promise<CoverImageSaved | false> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const petition = await claimForImageChange(trx, args, now);
    if (!petition) return false;
    const imageId = await storeImage(trx, args.image, now);
    const published = PUBLISHED_STATES.includes(petition.status);
    if (published && args.moderation && imageId !== petition.image_id) {
      await trx
        .updateTable("petitions")
        .set({ pending_image_id: imageId, pending_image_at: now.toISOString() })
        .where("id", "=", petition.id)
        .execute();
      if (petition.pending_image_id !== imageId) await deleteIfUnused(trx, petition.pending_image_id);
      await audit(
        trx,
        {
          actorId: args.userId,
          action: "petition.image",
          petitionId: petition.id,
          details: { pending: imageId, sha256: args.image.sha256, replaced: petition.pending_image_id },
        },
        now,
      );
      return "pending";
    }
    // After publication the page says it was edited. Uploading the picture it already shows also takes back
    // one waiting for a moderator.
    await trx
      .updateTable("petitions")
      .set({
        image_id: imageId,
        pending_image_id: null,
        pending_image_at: null,
        ...(published ? { edited_at: now.toISOString() } : {}),
      })
      .where("id", "=", petition.id)
      .execute();
    if (petition.image_id !== imageId) await deleteIfUnused(trx, petition.image_id);
    await deleteIfUnused(trx, petition.pending_image_id);
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "petition.image",
        petitionId: petition.id,
        details: { image: imageId, sha256: args.image.sha256, replaced: petition.image_id },
      },
      now,
    );
    return "shown";
  });
}

/**
 * Takes a petition's cover image away, the one shown and any waiting for a
 * moderator: taking a picture down needs no review. False if there was none,
 * or the user may not change it.
 */
export async function removeCoverImage(
  db: DB,
  args: { petitionId: number; userId: number; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const petition = await claimForImageChange(trx, args, now, true);
    if (!petition) return false;
    await trx
      .updateTable("petitions")
      .set({
        image_id: null,
        pending_image_id: null,
        pending_image_at: null,
        ...(PUBLISHED_STATES.includes(petition.status) && petition.image_id !== null
          ? { edited_at: now.toISOString() }
          : {}),
      })
      .where("id", "=", petition.id)
      .execute();
    await deleteIfUnused(trx, petition.image_id);
    await deleteIfUnused(trx, petition.pending_image_id);
    await audit(
      trx,
      {
        actorId: args.userId,
        action: "petition.image",
        petitionId: petition.id,
        details: { image: null, removed: petition.image_id, withdrawn: petition.pending_image_id },
      },
      now,
    );
    return true;
  });
}

/**
 * A moderator's decision on a published petition's new cover image: approved,
 * it replaces the one shown (and the page says the petition was edited);
 * declined, it is deleted and the page keeps what it had. The organizers are
 * told by email either way. False if no image is waiting (another moderator
 * decided, or the organizer took it back).
 */
export async function decideCoverImage(
  db: DB,
  args: { petitionId: number; moderatorId: number; approve: boolean; site: SiteContext; now?: Date },
): Promise<boolean> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const petition = await trx
      .updateTable("petitions")
      .set({ updated_at: now.toISOString() })
      .where("id", "=", args.petitionId)
      .where("pending_image_id", "is not", null)
      .returning(["id", "title", "slug", "image_id", "pending_image_id"])
      .executeTakeFirst();
    if (!petition || petition.pending_image_id === null) return false;
    const pending = petition.pending_image_id;
    await trx
      .updateTable("petitions")
      .set({
        pending_image_id: null,
        pending_image_at: null,
        ...(args.approve ? { image_id: pending, edited_at: now.toISOString() } : {}),
      })
      .where("id", "=", petition.id)
      .execute();
    await deleteIfUnused(trx, args.approve ? petition.image_id : pending);
    await audit(
      trx,
      {
        actorId: args.moderatorId,
        action: args.approve ? "petition.image_approve" : "petition.image_decline",
        petitionId: petition.id,
        details: args.approve ? { image: pending, replaced: petition.image_id } : { declined: pending },
      },
      now,
    );
    await notifyOrganizers(trx, petition, args.approve ? "image-approved" : "image-declined", args.site, {}, now);
    return true;
  });
}

/** Published petitions with a new cover image waiting for a moderator, the longest-waiting first. */
export async function listImageReviewQueue(db: DB) {
  return db
    .selectFrom("petitions")
    .select(["id", "title", "language", "pending_image_at"])
    .where("pending_image_id", "is not", null)
    .where("status", "in", PUBLISHED_STATES)
    .orderBy("pending_image_at", "asc")
    .orderBy("id", "asc")
    .execute();
}

export type StoredImage = { contentType: string; sha256: string; data: Buffer };

/**
 * An image, if `viewer` may see it: anyone may see the image of a public
 * petition; the image of a draft, one in review or a hidden one, and a new
 * image waiting for a moderator, only its organizers and moderators. Images no
 * petition uses are not served.
 */
export async function getImageForViewer(
  db: DB,
  imageId: number,
  viewer: Actor | null,
): Promise<StoredImage | undefined> {
  const row = await db
    .selectFrom("images")
    .select(["images.content_type", "images.sha256", "images.data"])
    .where("images.id", "=", imageId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("petitions")
            .select("petitions.id")
            .whereRef("petitions.image_id", "=", "images.id")
            .where((p) => {
              if (hasRole(viewer, "moderator")) return p.lit(true);
              const visible = [p("petitions.status", "in", PUBLIC_STATES)];
              if (viewer) visible.push(organizedBy(viewer.id)(p));
              return p.or(visible);
            }),
        ),
        // Waiting for a moderator: never public, whatever the petition's state.
        eb.exists(
          eb
            .selectFrom("petitions")
            .select("petitions.id")
            .whereRef("petitions.pending_image_id", "=", "images.id")
            .where((p) =>
              hasRole(viewer, "moderator") ? p.lit(true) : viewer ? organizedBy(viewer.id)(p) : p.lit(false),
            ),
        ),
      ]),
    )
    .executeTakeFirst();
  return row ? { contentType: row.content_type, sha256: row.sha256, data: row.data } : undefined;
}
