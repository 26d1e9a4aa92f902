import { randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sessionCookie } from "../../app/services/session.server";
import { processCoverImage, saveCoverImage } from "../../app/models/image.server";
import { createDraft, submitPetition } from "../../app/models/organize.server";
import { findOrCreateUser, grantRole } from "../../app/models/user.server";
import { newToken } from "../../app/lib/tokens.server";
import { COVER_IMAGE } from "../../app/schemas/cover-image";
import type { PetitionDraftInput } from "../../app/schemas/petition.server";
import type { Role } from "../../db/schema";
import { MAX_UPLOAD_BYTES } from "../../server/app";
import { startTestApp, type TestApp } from "../helpers/app";
import { withoutStylesheet } from "../helpers/html";
import { rawPost } from "../helpers/signing";

type Person = { id: number; cookie: string };

let app: TestApp;
let olivia: Person; // organizes the petitions
let cal: Person; // signed in, organizes nothing here
let mo: Person; // a moderator
const images = {} as Record<"landscape" | "photoWithGps" | "tiny" | "sideways", Buffer>;

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  olivia = await signedIn("olivia@example.org");
  cal = await signedIn("cal@example.org");
  mo = await signedIn("mo@example.org", ["moderator"]);

  images.landscape = await sharp(Buffer.from(poster(1600, 900)))
    .png()
    .toBuffer();
  // A phone photo: where it was taken and on what, in its EXIF.
  images.photoWithGps = await sharp(Buffer.from(poster(1600, 1200)))
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: "PhoneMaker", Model: "Pocket Camera 9", Artist: "Olivia at home" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "51/1 30/1 2644/100",
        GPSLongitudeRef: "W",
        GPSLongitude: "0/1 7/1 3966/100",
      },
    })
    .toBuffer();
  images.tiny = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#5a2ca0" } })
    .png()
    .toBuffer();
  // 1000 × 500 pixels, stored sideways: it is shown 500 wide, too narrow for a card.
  images.sideways = await sharp({ create: { width: 1000, height: 500, channels: 3, background: "#1d7a3a" } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
});
afterAll(async () => {
  await app.stop();
});

/** A simple picture, so that the crop has something to look at; each title gives a different one. */
function poster(width: number, height: number, title = "Save Eastfield Library"): string {
  const x = 0.3 + ([...title].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 50) / 100;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#5a2ca0"/><stop offset="1" stop-color="#ffbf47"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * x}" cy="${height * 0.45}" r="${height * 0.22}" fill="#ffffff" opacity="0.85"/>
    <text x="${width * 0.08}" y="${height * 0.85}" font-family="sans-serif" font-size="${height / 9}" font-weight="700" fill="#ffffff">${title}</text>
  </svg>`;
}

/** A PNG of its own, for a test that must not share its stored image with another. */
const picture = (title: string) =>
  sharp(Buffer.from(poster(1600, 900, title)))
    .png()
    .toBuffer();

/** A tiny PNG whose header claims 20000 × 20000 pixels: decoded, it would need 1.6 GB. */
function pngHeaderClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(1000))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A signed-in person: an account and a session, as the sign-in link would make them. */
async function signedIn(email: string, roles: Role[] = []): Promise<Person> {
  const user = await findOrCreateUser(app.db, email);
  for (const role of roles) await grantRole(app.db, user.id, role, null);
  const session = newToken();
  const now = new Date();
  await app.db
    .insertInto("sessions")
    .values({
      id_hash: session.hash,
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
    })
    .execute();
  const cookie = (await sessionCookie(app.config).serialize(session.token)).split(";")[0];
  return { id: user.id, cookie };
}

const draftInput = (title: string): PetitionDraftInput => ({
  title,
  summary: "Keep the library open six days a week, with its staff.",
  body: "The library is where children do their homework and older people meet. Cutting its hours would cut them off.",
  decisionMakers: [{ name: "Eastfield Town Council", role: "" }],
  goal: null,
  closesOn: null,
});

async function draftBy(person: Person, title = "Keep Eastfield Library open six days a week"): Promise<number> {
  return createDraft(app.db, person.id, draftInput(title));
}

async function publishedBy(person: Person, title: string): Promise<{ id: number; slug: string }> {
  const id = await draftBy(person, title);
  await submitPetition(app.db, {
    petitionId: id,
    userId: person.id,
    input: draftInput(title),
    moderation: false,
    site: { appUrl: app.url },
  });
  const row = await app.db
    .selectFrom("petitions")
    .select(["id", "slug"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row;
}

const petitionRow = (id: number) =>
  app.db.selectFrom("petitions").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const imageCount = async () =>
  Number(
    (
      await app.db
        .selectFrom("images")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Sends the upload form as a browser does: multipart, with the file's name and declared type. */
function upload(petitionId: number, person: Person | null, file: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  form.set("intent", "upload");
  form.set("image", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return fetch(`${app.url}/organize/${petitionId}/image`, {
    method: "POST",
    body: form,
    headers: person ? { cookie: person.cookie } : {},
    redirect: "manual",
  });
}

function removeImage(petitionId: number, person: Person) {
  return fetch(`${app.url}/organize/${petitionId}/image`, {
    method: "POST",
    body: new URLSearchParams({ intent: "remove" }),
    headers: { cookie: person.cookie },
    redirect: "manual",
  });
}

const get = (path: string, person?: Person, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, {
    headers: { ...headers, ...(person ? { cookie: person.cookie } : {}) },
    redirect: "manual",
  });

/** The error shown beside the file field, or null. */
function imageFieldError(html: string): string | null {
  const match = html.match(/<p class="field-error" id="image-error">([^]*?)<\/p>/);
  return match
    ? match[1]
        .replace(/<[^>]+>/g, "")
        .replace(/^Error: /, "")
        .replace(/&#x27;|&#39;/g, "'")
        .trim()
    : null;
}

const png = (bytes: Uint8Array, name = "cover.png") => ({ bytes, name, type: "image/png" });

/** A moderator's decision on a published petition's new image, as the review page's buttons send it. */
function decideImage(petitionId: number, decision: "approve-image" | "decline-image", person: Person = mo) {
  return fetch(`${app.url}/moderate/${petitionId}`, {
    method: "POST",
    body: new URLSearchParams({ intent: decision }),
    headers: { cookie: person.cookie },
    redirect: "manual",
  });
}

/** A published petition showing this picture: uploaded by its organizer, approved by a moderator. */
async function publishedWithImage(title: string, bytes: Uint8Array) {
  const petition = await publishedBy(olivia, title);
  expect((await upload(petition.id, olivia, png(bytes))).status).toBe(302);
  expect((await decideImage(petition.id, "approve-image")).status).toBe(302);
  const { image_id } = await petitionRow(petition.id);
  expect(image_id).not.toBeNull();
  return { ...petition, imageId: image_id! };
}

const auditOf = (petitionId: number) =>
  app.db
    .selectFrom("audit_log")
    .select(["action", "actor_id", "details"])
    .where("petition_id", "=", petitionId)
    .where("action", "like", "petition.image%")
    .orderBy("id")
    .execute();

describe("an organizer gives a petition a cover image", () => {
  test("an organizer's new picture on a published petition waits for a moderator, who approves it: then the page shows it and offers it as the social card", async () => {
    const petition = await publishedBy(olivia, "Light the towpath between Eastfield and Westbrook");
    const res = await upload(petition.id, olivia, png(images.landscape));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${petition.id}/edit?image=pending#cover-image`);

    // Stored, but not shown: not on the page, not in a share, not to anyone but its organizers and moderators.
    const waiting = await petitionRow(petition.id);
    expect(waiting.image_id).toBeNull();
    expect(waiting.pending_image_id).not.toBeNull();
    expect(waiting.edited_at).toBeNull();
    const pendingPath = `/images/${waiting.pending_image_id}`;
    const before = await (await get(`/petitions/${petition.slug}`)).text();
    // Shares show the generated card, which draws only an approved cover.
    expect(before).toContain(`<meta property="og:image" content="${app.url}/petitions/${petition.slug}/card.png"/>`);
    expect(before).not.toContain(pendingPath);
    expect((await get(pendingPath)).status).toBe(404);
    expect((await get(pendingPath, cal)).status).toBe(404);
    const own = await get(pendingPath, olivia);
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");

    // The organizer is told what happens, and sees the picture waiting.
    const edit = await (await get(`/organize/${petition.id}/edit?image=pending`, olivia)).text();
    expect(edit).toContain(
      "It will show on the petition’s page, and when people share it, once a moderator has looked at it.",
    );
    expect(edit).toContain("Waiting for a moderator");
    expect(edit).toContain(`src="${pendingPath}"`);

    // The moderator finds it in the queue and sees it on the review page.
    const queue = await (await get("/moderate", mo)).text();
    expect(queue).toContain(`href="/moderate/${petition.id}#cover-image"`);
    const review = await (await get(`/moderate/${petition.id}`, mo)).text();
    expect(review).toContain(`<img class="cover-image" src="${pendingPath}"`);
    expect((await get(pendingPath, mo)).status).toBe(200);
    // Nobody else decides it.
    expect((await decideImage(petition.id, "approve-image", olivia)).status).toBe(403);

    expect((await decideImage(petition.id, "approve-image")).status).toBe(302);
    const stored = await petitionRow(petition.id);
    expect(stored.image_id).toBe(waiting.pending_image_id);
    expect(stored.pending_image_id).toBeNull();
    // After publication the page says the petition was edited.
    expect(stored.edited_at).not.toBeNull();
    expect((await auditOf(petition.id)).map((e) => [e.action, e.actor_id])).toEqual([
      ["petition.image", olivia.id],
      ["petition.image_approve", mo.id],
    ]);
    const told = await app.db
      .selectFrom("outbox")
      .select("subject")
      .where("kind", "=", "petition-image-approved")
      .execute();
    expect(told.map((m) => m.subject)).toContain(
      "Your new cover image is on your petition: Light the towpath between Eastfield and Westbrook",
    );

    const page = await (await get(`/petitions/${petition.slug}`)).text();
    expect(page).toContain(`<img class="cover-image" src="/images/${stored.image_id}"`);
    expect(page).toContain(`<meta property="og:image" content="${app.url}/petitions/${petition.slug}/card.png"/>`);
    expect(page).toContain(`<meta name="twitter:card" content="summary_large_image"/>`);
    expect((await get(`/images/${stored.image_id}`)).headers.get("cache-control")).toBe(
      "public, max-age=31536000, immutable",
    );

    const after = await (await get(`/organize/${petition.id}/edit`, olivia)).text();
    expect(after).toContain(`src="/images/${stored.image_id}"`);
    expect(after).not.toContain("Waiting for a moderator");
    expect(after).toContain("Remove the image");
  });

  test("a replacement after victory waits too; the moderator declines it, and the page keeps the picture it had", async () => {
    const petition = await publishedWithImage("Save the Eastfield lido", await picture("Save the lido"));
    await app.db.updateTable("petitions").set({ status: "victory" }).where("id", "=", petition.id).execute();

    expect((await upload(petition.id, olivia, png(await picture("Something else entirely")))).status).toBe(302);
    const { pending_image_id: pending, image_id } = await petitionRow(petition.id);
    expect(image_id).toBe(petition.imageId);
    expect(pending).not.toBeNull();
    expect(await (await get(`/petitions/${petition.slug}`)).text()).toContain(`/images/${petition.imageId}`);

    expect((await decideImage(petition.id, "decline-image")).status).toBe(302);
    const after = await petitionRow(petition.id);
    expect([after.image_id, after.pending_image_id]).toEqual([petition.imageId, null]);
    // The declined picture is gone for good, for everyone.
    expect(
      await app.db.selectFrom("images").select("id").where("id", "=", pending!).executeTakeFirst(),
    ).toBeUndefined();
    expect((await get(`/images/${pending}`, olivia)).status).toBe(404);
    expect((await auditOf(petition.id)).map((e) => e.action)).toEqual([
      "petition.image",
      "petition.image_approve",
      "petition.image",
      "petition.image_decline",
    ]);
    const told = await app.db
      .selectFrom("outbox")
      .select("subject")
      .where("kind", "=", "petition-image-declined")
      .execute();
    expect(told.map((m) => m.subject)).toContain("Your new cover image was not approved: Save the Eastfield lido");
    // A second decision finds nothing waiting.
    expect((await decideImage(petition.id, "approve-image")).status).toBe(409);
  });

  test("on a draft the picture is part of what the moderator reviews, and on a site without moderation it shows at once", async () => {
    const id = await draftBy(olivia, "Mend the Westbrook footbridge before winter");
    expect((await upload(id, olivia, png(await picture("Mend the bridge")))).status).toBe(302);
    const draft = await petitionRow(id);
    expect([draft.image_id === null, draft.pending_image_id]).toEqual([false, null]);
    await submitPetition(app.db, {
      petitionId: id,
      userId: olivia.id,
      input: draftInput("Mend the Westbrook footbridge before winter"),
      moderation: true,
      site: { appUrl: app.url },
    });
    const review = await (await get(`/moderate/${id}`, mo)).text();
    expect(review).toContain(`<img class="cover-image" src="/images/${draft.image_id}"`);
    expect(review).toContain("part of what you approve");

    const open = await publishedBy(olivia, "Keep the Westbrook post office open");
    const processed = await processCoverImage(await picture("Post office"));
    if (!processed.ok) throw new Error(processed.error);
    expect(
      await saveCoverImage(app.db, {
        petitionId: open.id,
        userId: olivia.id,
        image: processed.image,
        moderation: false,
      }),
    ).toBe("shown");
    expect((await petitionRow(open.id)).image_id).not.toBeNull();
  });

  test("the stored image is a 1200 × 630 progressive JPEG with no EXIF, GPS or other metadata left", async () => {
    const before = await sharp(images.photoWithGps).metadata();
    expect(before.exif?.includes(Buffer.from("PhoneMaker"))).toBe(true); // the test photo really carries it

    const id = await draftBy(olivia);
    const res = await upload(id, olivia, { bytes: images.photoWithGps, name: "IMG_0042.jpg", type: "image/jpeg" });
    expect(res.status).toBe(302);
    const { image_id } = await petitionRow(id);

    const served = await get(`/images/${image_id}`, olivia);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    const bytes = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: "jpeg", width: 1200, height: 630, isProgressive: true });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    for (const trace of ["PhoneMaker", "Pocket Camera", "Olivia at home", "Exif"])
      expect(bytes.includes(Buffer.from(trace))).toBe(false);

    const row = await app.db
      .selectFrom("images")
      .select(["width", "height", "content_type"])
      .where("id", "=", image_id!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ width: 1200, height: 630, content_type: "image/jpeg" });
  });

  test("the same picture uploaded for two petitions is stored once", async () => {
    const a = await draftBy(olivia);
    const b = await draftBy(olivia);
    await upload(a, olivia, png(images.landscape));
    const count = await imageCount();
    await upload(b, olivia, png(images.landscape));
    expect(await imageCount()).toBe(count);
    expect((await petitionRow(a)).image_id).toBe((await petitionRow(b)).image_id);

    // Taking it off one petition leaves it on the other.
    expect((await removeImage(a, olivia)).status).toBe(302);
    const { image_id } = await petitionRow(b);
    expect((await get(`/images/${image_id}`, olivia)).status).toBe(200);
  });

  test("an organizer removes the image, and it is gone from the site at once, with any waiting for a moderator", async () => {
    const petition = await publishedWithImage("Reopen the Westbrook swimming baths", await picture("Reopen the baths"));
    const image_id = petition.imageId;
    expect((await get(`/images/${image_id}`)).status).toBe(200);
    await upload(petition.id, olivia, png(await picture("Reopen the baths, again")));
    const { pending_image_id } = await petitionRow(petition.id);

    const res = await removeImage(petition.id, olivia);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/organize/${petition.id}/edit?image=removed#cover-image`);
    const after = await petitionRow(petition.id);
    expect([after.image_id, after.pending_image_id]).toEqual([null, null]);
    for (const gone of [image_id, pending_image_id!]) {
      expect(await app.db.selectFrom("images").select("id").where("id", "=", gone).executeTakeFirst()).toBeUndefined();
      expect((await get(`/images/${gone}`)).status).toBe(404);
    }
    const page = await (await get(`/petitions/${petition.slug}`)).text();
    expect(page).toContain(`<meta property="og:image" content="${app.url}/petitions/${petition.slug}/card.png"/>`);
    expect(withoutStylesheet(page)).not.toContain("cover-image");
    expect(await (await get("/moderate", mo)).text()).not.toContain(`/moderate/${petition.id}#cover-image`);
  });
});

describe("pictures the site refuses", () => {
  let id: number;
  beforeAll(async () => {
    id = await draftBy(olivia);
  });

  async function refused(file: { bytes: Uint8Array; name: string; type: string }): Promise<string | null> {
    const stored = await imageCount();
    const res = await upload(id, olivia, file);
    expect(res.status).toBe(400);
    const html = await res.text();
    // The edit page again, with the reason beside the field and in the summary at the top.
    expect(html).toContain("Edit your draft");
    expect(html).toContain('<a href="#image">');
    expect(await imageCount()).toBe(stored);
    expect((await petitionRow(id)).image_id).toBeNull();
    return imageFieldError(html);
  }

  test("a text file named .png is not an image", async () => {
    expect(await refused(png(Buffer.from("Meeting notes: bring the banner.\n"), "notes.png"))).toBe(
      "This file is not a PNG, JPEG or WebP image. Choose a photo or picture saved in one of those formats.",
    );
  });

  test("an image in another format is refused whatever it is called", async () => {
    const gif = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#ffffff" } })
      .gif()
      .toBuffer();
    expect(await refused(png(gif, "banner.png"))).toContain("not a PNG, JPEG or WebP image");
    const svg = Buffer.from(poster(1200, 630));
    expect(await refused({ bytes: svg, name: "banner.svg", type: "image/svg+xml" })).toContain(
      "not a PNG, JPEG or WebP image",
    );
  });

  test("a picture smaller than 600 × 315 would look blurred", async () => {
    expect(await refused(png(images.tiny))).toBe(
      "This image is 100 × 100 pixels; it needs to be at least 600 × 315 so that it looks sharp when shared. Choose a larger image.",
    );
  });

  test("a photo is measured the way it is shown, after its EXIF rotation", async () => {
    expect(await refused({ bytes: images.sideways, name: "side.jpg", type: "image/jpeg" })).toContain(
      "This image is 500 × 1000 pixels",
    );
  });

  test("a file claiming enormous dimensions is refused before it is decoded", async () => {
    const bomb = pngHeaderClaiming(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200);
    expect(await refused(png(bomb, "bomb.png"))).toBe(
      "This image is 20000 × 20000 pixels; the largest we accept is 8000 × 8000. Make it smaller and try again.",
    );
  });

  test("a damaged image is refused with a plain explanation", async () => {
    expect(await refused(png(images.landscape.subarray(0, 2000), "cut-off.png"))).toContain("could not be read");
  });

  test("a form sent with no file asks for one", async () => {
    expect(await refused(png(new Uint8Array(), ""))).toBe("Choose an image to upload.");
  });

  test("a file over 5 MB is refused beside the field while the request is within the limit", async () => {
    expect(await refused(png(randomBytes(5.5 * 1024 * 1024), "huge.png"))).toBe(
      "This file is 5.5 MB; the largest we accept is 5 MB. Save it at a smaller size and try again.",
    );
  });

  test("a request over 6 MB is refused with 413, declared or not", async () => {
    expect(COVER_IMAGE.maxRequestBytes).toBe(MAX_UPLOAD_BYTES);
    const stored = await imageCount();
    const declared = await upload(id, olivia, png(randomBytes(6.5 * 1024 * 1024), "huge.png"));
    expect(declared.status).toBe(413);

    // Chunked, with no length given: the route stops reading at the limit.
    const boundary = "----undersigned-test";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const chunked = await rawPost(`${app.url}/organize/${id}/image`, {
      headers: {
        cookie: olivia.cookie,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "transfer-encoding": "chunked",
      },
      chunks: [head, ...Array.from({ length: 7 }, () => randomBytes(1024 * 1024))],
    });
    expect(chunked.status).toBe(413);
    expect(await imageCount()).toBe(stored);
  });
});

describe("only a petition's organizers change its image", () => {
  test("another signed-in person is told the petition does not exist, and nothing is stored", async () => {
    const id = await draftBy(olivia);
    const stored = await imageCount();
    expect((await upload(id, cal, png(images.landscape))).status).toBe(404);
    expect((await removeImage(id, cal)).status).toBe(404);
    // A moderator may look at a petition but not change it.
    expect((await upload(id, mo, png(images.landscape))).status).toBe(404);
    expect(await imageCount()).toBe(stored);
    expect((await petitionRow(id)).image_id).toBeNull();
  });

  test("someone signed out is sent to sign in", async () => {
    const id = await draftBy(olivia);
    const res = await upload(id, null, png(images.landscape));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent(`/organize/${id}/image`)}`);
  });

  test("while a moderator reviews a petition its image cannot change", async () => {
    const id = await draftBy(olivia);
    await app.db.updateTable("petitions").set({ status: "in_review" }).where("id", "=", id).execute();
    expect((await upload(id, olivia, png(images.landscape))).status).toBe(409);
    expect((await petitionRow(id)).image_id).toBeNull();
  });
});

describe("serving images", () => {
  test("a public petition's image is cached for a year by anyone, with its hash as the ETag", async () => {
    const petition = await publishedWithImage("Put a crossing outside Eastfield Primary", images.landscape);
    const image_id = petition.imageId;
    const image = await app.db
      .selectFrom("images")
      .select("sha256")
      .where("id", "=", image_id!)
      .executeTakeFirstOrThrow();

    const res = await get(`/images/${image_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("etag")).toBe(`"${image.sha256}"`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Number(res.headers.get("content-length"))).toBe((await res.arrayBuffer()).byteLength);

    const head = await fetch(`${app.url}/images/${image_id}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(`"${image.sha256}"`);

    const again = await get(`/images/${image_id}`, undefined, { "if-none-match": `"${image.sha256}"` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  test("a draft's image is seen only by its organizers and moderators, and never kept by shared caches", async () => {
    const id = await draftBy(olivia);
    await upload(id, olivia, png(await picture("Not yet published")));
    const { image_id } = await petitionRow(id);
    const path = `/images/${image_id}`;

    expect((await get(path)).status).toBe(404);
    expect((await get(path, cal)).status).toBe(404);
    const own = await get(path, olivia);
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect((await get(path, mo)).status).toBe(200);
  });

  test("ids that are not images are not found", async () => {
    for (const path of ["/images/999999", "/images/abc", "/images/1e3", "/images/-1"])
      expect((await get(path)).status).toBe(404);
  });
});

describe("processing", () => {
  test("WebP is accepted, transparency becomes white, and the picture is cropped rather than squashed", async () => {
    const webp = await sharp({
      create: { width: 1000, height: 1000, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .webp()
      .toBuffer();
    const result = await processCoverImage(webp);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.image).toMatchObject({ width: 1200, height: 630, contentType: "image/jpeg" });
    expect(result.image.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { dominant } = await sharp(result.image.data).stats();
    expect(dominant.r).toBeGreaterThan(240);
  });
});
