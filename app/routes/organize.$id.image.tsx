import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { requireUser } from "~/services/session.server";
import { readForm } from "~/lib/form.server";
import { requestLocale, translator } from "~/lib/i18n.server";
import { processCoverImage, removeCoverImage, saveCoverImage } from "~/models/image.server";
import { getPetitionForOrganizer } from "~/models/organize.server";
import { COVER_IMAGE } from "~/schemas/cover-image";
import { COVER_IMAGE_STATES } from "~/models/petition-lifecycle.server";

/*
 * The cover image form posts here (server/app.ts lets this one path carry a
 * larger body). A refused image shows the edit page again, at this address,
 * with the reason beside the file field; so this route borrows the edit page.
 */
export { default, loader, meta } from "./organize.$id.edit";

export async function action({ request, params, context }: ActionFunctionArgs) {
  // The body is read before anything is refused: a browser still sending a file it
  // has not finished sending would show a dropped connection instead of the answer.
  const form = await readForm(request, COVER_IMAGE.maxRequestBytes);
  const user = await requireUser(request, context);
  const t = translator(requestLocale(request));
  const id = Number(params.id);
  const petition = Number.isSafeInteger(id) ? await getPetitionForOrganizer(context.db, id, user) : undefined;
  if (!petition || !petition.access.role) throw new Response("Not found", { status: 404 });
  if (!COVER_IMAGE_STATES.includes(petition.status)) {
    throw new Response(t("coverImage.cannotChange"), { status: 409 });
  }

  const back = (result: string) => redirect(`/organize/${petition.id}/edit?image=${result}#cover-image`);
  if (form.get("intent") === "remove") {
    await removeCoverImage(context.db, { petitionId: petition.id, userId: user.id });
    throw back("removed");
  }

  const file = form.get("image");
  const bytes = file === null || typeof file === "string" ? new Uint8Array() : new Uint8Array(await file.arrayBuffer());
  const processed = await processCoverImage(bytes);
  // Translated here, with its figures: the page shows it as it is (Field leaves text that is not a key alone).
  if (!processed.ok) return data({ imageError: t(processed.error, processed.values) }, { status: 400 });
  const saved = await saveCoverImage(context.db, {
    petitionId: petition.id,
    userId: user.id,
    image: processed.image,
    moderation: context.config.moderation,
  });
  if (!saved) throw new Response(t("coverImage.cannotChange"), { status: 409 });
  throw back(saved === "pending" ? "pending" : "1");
}
