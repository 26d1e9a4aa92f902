import type { LoaderFunctionArgs } from "@remix-run/node";
import { newChallenge } from "~/lib/challenge-puzzle.server";
import { getPetitionForSigning } from "~/models/petition.server";
import { isSignable } from "~/models/petition-lifecycle.server";

/**
 * A fresh proof-of-work challenge for the signing widget, only while
 * moderators ask for one on this petition (docs/decisions/0013-optional-challenge.md).
 * Never cached: each challenge signs once.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const petition = params.slug ? await getPetitionForSigning(context.db, params.slug) : undefined;
  if (!petition || !isSignable(petition) || petition.challenge_required_since === null) {
    throw new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  }
  const challenge = await newChallenge(context.config.challengeSecret, petition.id);
  return new Response(JSON.stringify(challenge), {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
