import { fieldErrors } from "../lib/form-errors";
import type { DB } from "../../db/connection";
import type { Config } from "../config.server";
import { canonicalEmail, emailDomainOf } from "../lib/canonical-email";
import { checkSolution, CHALLENGE_REASONS, type ValidSolution } from "../lib/challenge-puzzle.server";
import { hashClientAddress, type ClientHashes } from "../lib/client-address.server";
import { tooFast } from "../lib/form-timing.server";
import type { SigningLimits } from "../lib/signing-limits";
import { spendChallenge } from "../models/challenges.server";
import { countIn } from "../models/counts.server";
import { getPetitionForSigning } from "../models/petition.server";
import { chargeAll } from "../models/rate-limits.server";
import { pauseMessage } from "../models/settings.server";
import {
  getConfirmationState,
  markConfirmed,
  recordSignature,
  type ConfirmationState,
  type SubmitOutcome,
} from "../models/signatures.server";
import {
  CHALLENGE_FIELD,
  FORM_STAMP_FIELD,
  HONEYPOT_FIELD,
  SIGNATURE_FIELDS,
  type SignFormErrors,
  type SignFormValues,
} from "../schemas/signature-fields";
import { SignatureForm } from "../schemas/signature.server";
import { isSignable } from "../models/petition-lifecycle.server";

/**
 * Signing, from a submitted form to a counted signature: every decision about a signature is made here,
 * and each step is one transaction. The route parses the request and maps the result to a response; the
 * models store what this module decided.
 *
 * What the checks decide (docs/decisions/0010-fraud-defences.md):
 * - a filled-in honeypot is a bot: nothing is stored, and it sees what a person would see;
 * - clear signs of a bot (a form without our time stamp; on a campaign that asks for the browser check, no
 *   valid, unused solution) hold the signature: it is kept, and never counts unless a moderator releases it;
 * - what people do too (signing from a shared device or network, autofill that sends the form within a
 *   second or two) only flags it for moderators to review: it counts once its signer confirms by email.
 */

export type SignResult =
  | { kind: "not-found" }
  /** The petition no longer takes signatures, or signing is paused. */
  | { kind: "closed"; values: SignFormValues }
  | { kind: "invalid"; values: SignFormValues; errors: SignFormErrors }
  /**
   * Taken: the same answer whatever happened, so that nobody learns whether an address has signed.
   * `outcome` is for tests and logs only; null when nothing was stored (the honeypot).
   */
  | { kind: "accepted"; slug: string; outcome: SubmitOutcome | null };

type SigningConfig = Pick<Config, "appUrl" | "addressSecret" | "challengeSecret" | "minFillSeconds" | "signingLimits">;

/** A submission of the signing form: its fields, and where it came from. */
export type SignAttempt = {
  slug: string;
  fields: Record<string, string>;
  clientIp: string | null;
  now?: Date;
  /** How it reached us; the signing form when left out. */
  via?: SigningChannel;
  /** The language of the page it was sent from: the signer's emails are written in it. English when left out. */
  locale?: string;
};

/**
 * How a signature reached us. The form's own defences (honeypot, time stamp, browser check, limits per client
 * address) read what a browser sends, so they apply to the form only. An API attempt comes from a server that
 * presented a live organizer's token (the caller is set by the OSDI route after it authenticated the token,
 * never from anything in the request's fields): its client address is the CRM's, not the signer's, and it has
 * no form to time. What protects it instead is the token (revocable, scoped, rate-limited per token by the
 * API) and, as for every signature, the confirmation email: nothing counts until the signer presses the link.
 */
export type SigningChannel =
  | { kind: "form" }
  | {
      kind: "api";
      tokenId: number;
      tokenName: string;
      /** OSDI referrer_data as JSON text, already checked and capped by the API. */
      referrerData: string | null;
    };

export async function sign(db: DB, config: SigningConfig, attempt: SignAttempt): Promise<SignResult> {
  const { fields } = attempt;
  const now = attempt.now ?? new Date();
  const via: SigningChannel = attempt.via ?? { kind: "form" };
  const fromForm = via.kind === "form";
  const petition = await getPetitionForSigning(db, attempt.slug);
  if (!petition) return { kind: "not-found" };
  const values: SignFormValues = Object.fromEntries(SIGNATURE_FIELDS.map((f) => [f, fields[f]]));
  if (!isSignable(petition, now) || pauseMessage(petition.site_paused_message, petition)) {
    return { kind: "closed", values };
  }
  if (fromForm && fields[HONEYPOT_FIELD]) return { kind: "accepted", slug: petition.slug, outcome: null };

  const parsed = SignatureForm.safeParse(fields);
  if (!parsed.success) {
    return { kind: "invalid", values, errors: fieldErrors(parsed.error) };
  }

  const input = parsed.data;
  const canonical = canonicalEmail(input.email);
  // An API caller's address is its server's, shared by every signature it sends: it says nothing of the signer.
  const client = fromForm ? hashClientAddress(attempt.clientIp, config.addressSecret) : NO_CLIENT;
  const timing = fromForm ? tooFast(config, fields[FORM_STAMP_FIELD], now.getTime()) : null;
  // Checked before the transaction: it is CPU work, and the solution is spent inside it.
  const challenge =
    fromForm && petition.challenge_required_since
      ? await checkSolution(config.challengeSecret, fields[CHALLENGE_FIELD], petition.id)
      : null;

  const outcome = await db.transaction().execute(async (trx) => {
    const overLimit = await chargeLimits(trx, config.signingLimits, {
      petitionId: petition.id,
      client,
      emailDomain: emailDomainOf(canonical),
      now,
    });
    const holdReason = timing?.genuine === false ? timing.reason : await challengeProblem(trx, challenge);
    const reviewReason = [overLimit, timing?.genuine ? timing.reason : null].filter(Boolean).join("; ") || null;
    return recordSignature(trx, {
      petition,
      input,
      canonical,
      site: { appUrl: config.appUrl },
      client,
      holdReason,
      reviewReason,
      source: via.kind === "api" ? `api:${via.tokenName}` : "web",
      referrerData: via.kind === "api" ? via.referrerData : null,
      locale: attempt.locale,
      now,
    });
  });
  return { kind: "accepted", slug: petition.slug, outcome };
}

const NO_CLIENT: ClientHashes = { ipHash: null, networkHash: null };

/** Why the browser check does not let this signature count, or null: it was not asked for, or it passed. */
async function challengeProblem(trx: DB, challenge: Awaited<ReturnType<typeof checkSolution>> | null) {
  if (challenge === null) return null;
  if (!challenge.ok) return challenge.reason;
  // A solution signs once, whatever else happens to the signature.
  return (await spendChallenge(trx, challenge satisfies ValidSolution)) ? null : CHALLENGE_REASONS.replayed;
}

/**
 * Charges the submission to every signing limit that applies, and names the first it went over, or null.
 * Every limit is charged, so a flood stays over its limits for the whole window.
 */
async function chargeLimits(
  trx: DB,
  limits: SigningLimits,
  s: { petitionId: number; client: ClientHashes; emailDomain: string; now: Date },
): Promise<string | null> {
  const { ipHash, networkHash } = s.client;
  const charges = [
    {
      key: ipHash && `sig-ip-burst:${s.petitionId}:${ipHash}`,
      limit: limits.addressPerPetitionBurst,
      name: "address burst on this petition",
    },
    {
      key: ipHash && `sig-ip:${s.petitionId}:${ipHash}`,
      limit: limits.addressPerPetition,
      name: "address on this petition",
    },
    {
      key: networkHash && `sig-net:${s.petitionId}:${networkHash}`,
      limit: limits.networkPerPetition,
      name: "network on this petition",
    },
    {
      key: limits.exemptDomains.includes(s.emailDomain) ? null : `sig-domain:${s.petitionId}:${s.emailDomain}`,
      limit: limits.domainPerPetition,
      name: "email domain on this petition",
    },
    { key: ipHash && `sig-ip-site:${ipHash}`, limit: limits.addressSiteWide, name: "address across the site" },
  ];
  const applying = charges.filter((c): c is (typeof charges)[number] & { key: string } => Boolean(c.key));
  const used = await chargeAll(trx, applying, s.now);
  // Every limit is charged in one statement; the first one gone over, in the order above, is named.
  const over = applying.find(({ key, limit }) => (used.get(key) ?? 0) > limit.points);
  return over ? `over the limit for one ${over.name}` : null;
}

/**
 * What pressing "Confirm my signature" did. `counted` is true only when the signature is now in the public
 * count: a signature held by a quiet check is confirmed, but not counted until a moderator releases it.
 */
export type ConfirmResult =
  { state: "confirmed"; petition: { id: number; slug: string; title: string }; counted: boolean } | ConfirmationState;

/** Confirms the signature a token belongs to and counts it, in one transaction. */
export async function confirm(db: DB, token: string, now = new Date()): Promise<ConfirmResult> {
  const confirmed = await db.transaction().execute(async (trx) => {
    const signature = await markConfirmed(trx, token, now);
    if (signature && !signature.held) await countIn(trx, signature.petition.id, [signature]);
    return signature;
  });
  if (confirmed) return { state: "confirmed", petition: confirmed.petition, counted: !confirmed.held };
  // Nothing changed: say why, from the same facts the page would show.
  return getConfirmationState(db, token, now);
}
