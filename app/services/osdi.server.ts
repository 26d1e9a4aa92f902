import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { authenticateApiToken, type ApiCaller } from "../models/api-tokens.server";
import {
  countOrganizedPetitions,
  countVisibleSignatures,
  organizedPetition,
  organizedPetitionsPage,
  visibleSignature,
  visibleSignaturesPage,
  type OsdiPetitionRow,
  type OsdiSignatureRow,
} from "../models/osdi.server";
import { charge } from "../models/rate-limits.server";
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "../lib/i18n";
import type { Limit } from "../lib/signing-limits";
import type { SignFormErrors } from "../schemas/signature-fields";
import { sign } from "./signing.server";

/**
 * The OSDI 1.1 API (https://opensupporter.github.io/osdi-docs/): HAL+JSON, found from its entry point by
 * following links. Decisions and their trade-offs: docs/decisions/0028-osdi.md.
 */

export const OSDI_TOKEN_HEADER = "OSDI-API-Token";
/** The spec's examples page by 25, and max_pagesize tells clients so. */
export const OSDI_MAX_PAGE_SIZE = 25;
/** The namespace of our identifiers ("undersigned:123") and the curie's name for our docs. */
export const OSDI_NAMESPACE = "undersigned";
const ORIGIN_SYSTEM = "Undersigned";
/** Signatures one token may send through the helper in an hour. */
export const HELPER_LIMIT: Limit = { points: 600, seconds: 3600 };
/** A helper request's body, at most: a person and their referrer data are a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024;
/** referrer_data as stored, at most: four short strings. */
export const MAX_REFERRER_DATA_CHARS = 2000;

type Ctx = Pick<AppLoadContext, "db" | "config" | "clientIp">;

export function osdiBase(ctx: Pick<AppLoadContext, "config">): string {
  return `${ctx.config.appUrl}/api/osdi/v1`;
}

function curies(ctx: Ctx) {
  // Each rel is documented by the specification itself (petitions.html, signatures.html, ...).
  void ctx;
  return [{ name: "osdi", href: "https://opensupporter.github.io/osdi-docs/{rel}.html", templated: true }];
}

const HAL_HEADERS = {
  "Content-Type": "application/hal+json; charset=utf-8",
  // Answers depend on the token and carry personal data: no cache keeps them.
  "Cache-Control": "private, no-store",
};

export function hal(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...HAL_HEADERS, ...headers } });
}

type ErrorDescription = { error_code: string; description: string; properties?: string[]; hint?: string };

/** An OSDI error (errors.md): one atomic request, one resource, the problems found with it. */
export function osdiError(
  status: number,
  resource: string,
  errors: ErrorDescription[],
  headers: Record<string, string> = {},
): Response {
  return hal(
    {
      request_type: "atomic",
      response_code: status,
      resource_status: [{ resource, response_code: status, error_descriptions: errors }],
    },
    status,
    headers,
  );
}

const notFound = (resource: string) =>
  osdiError(404, resource, [{ error_code: "NOT_FOUND", description: "There is no such resource for this token." }]);

/**
 * The organizer a request's token acts for; otherwise throws a 401. A missing, malformed, unknown and revoked
 * token all get the same answer.
 */
export async function requireCaller(request: Request, ctx: Ctx): Promise<ApiCaller> {
  const caller = await authenticateApiToken(ctx.db, request.headers.get(OSDI_TOKEN_HEADER));
  if (caller) return caller;
  throw osdiError(401, "osdi:aep", [
    {
      error_code: "UNAUTHORIZED",
      description: `Send a live API token in the ${OSDI_TOKEN_HEADER} header. Organizers make them on their account page.`,
    },
  ]);
}

const Paging = z.object({
  page: z.coerce.number({ error: "page must be a whole number from 1" }).int().min(1).default(1),
  per_page: z.coerce
    .number({ error: `per_page must be a whole number from 1 to ${OSDI_MAX_PAGE_SIZE}` })
    .int()
    .min(1)
    // A larger request gets the largest page, as max_pagesize says, rather than an error.
    .transform((n) => Math.min(n, OSDI_MAX_PAGE_SIZE))
    .default(OSDI_MAX_PAGE_SIZE),
});

type Page = { page: number; perPage: number };

function readPaging(request: Request, resource: string): Page {
  const params = new URL(request.url).searchParams;
  const raw = Object.fromEntries(["page", "per_page"].flatMap((k) => (params.has(k) ? [[k, params.get(k)]] : [])));
  const parsed = Paging.safeParse(raw);
  if (!parsed.success) {
    throw osdiError(
      400,
      resource,
      parsed.error.issues.map((i) => ({
        error_code: "INVALID_PARAMETER",
        description: `${String(i.path[0])} must be a whole number from 1${i.path[0] === "per_page" ? ` to ${OSDI_MAX_PAGE_SIZE}` : ""}.`,
        properties: [String(i.path[0])],
      })),
    );
  }
  return { page: parsed.data.page, perPage: parsed.data.per_page };
}

/** The collection's paging fields and links (README "Collections and Navigation"). */
function collection(
  ctx: Ctx,
  href: string,
  rel: string,
  p: Page,
  total: number,
  items: { _links: { self: { href: string } } }[],
) {
  const totalPages = Math.max(1, Math.ceil(total / p.perPage));
  const pageHref = (n: number) => `${href}?page=${n}&per_page=${p.perPage}`;
  return {
    total_pages: totalPages,
    per_page: p.perPage,
    page: p.page,
    total_records: total,
    _links: {
      self: { href: pageHref(p.page) },
      ...(p.page < totalPages ? { next: { href: pageHref(p.page + 1) } } : {}),
      ...(p.page > 1 ? { previous: { href: pageHref(Math.min(p.page - 1, totalPages)) } } : {}),
      [rel]: items.map((i) => ({ href: i._links.self.href })),
      curies: curies(ctx),
    },
    _embedded: { [rel]: items },
  };
}

export function entryPoint(ctx: Ctx) {
  const base = osdiBase(ctx);
  return hal({
    motd: "The OSDI API of Undersigned. Send an organizer's API token in the OSDI-API-Token header.",
    vendor_name: ORIGIN_SYSTEM,
    product_name: ORIGIN_SYSTEM,
    osdi_version: "1.1",
    max_pagesize: OSDI_MAX_PAGE_SIZE,
    namespace: OSDI_NAMESPACE,
    _links: {
      curies: curies(ctx),
      self: { href: base, title: "This API entry point" },
      "osdi:petitions": { href: `${base}/petitions`, title: "The petitions your token's organizer organizes" },
      docs: { href: "https://opensupporter.github.io/osdi-docs/", title: "The OSDI specification" },
    },
  });
}

function petitionResource(ctx: Ctx, p: OsdiPetitionRow) {
  const base = osdiBase(ctx);
  const self = `${base}/petitions/${p.id}`;
  return {
    identifiers: [`${OSDI_NAMESPACE}:${p.id}`],
    origin_system: ORIGIN_SYSTEM,
    created_date: p.created_at,
    modified_date: p.updated_at,
    name: p.title,
    title: p.title,
    summary: p.summary,
    description: p.body_html,
    browser_url: `${ctx.config.appUrl}/petitions/${p.slug}`,
    administrative_url: `${ctx.config.appUrl}/organize/${p.id}`,
    ...(p.image_id ? { featured_image_url: `${ctx.config.appUrl}/images/${p.image_id}` } : {}),
    total_signatures: p.signature_count,
    target: p.decisionMakers.map((m) => ({ name: m.role ? `${m.name}, ${m.role}` : m.name })),
    _links: {
      self: { href: self },
      "osdi:signatures": { href: `${self}/signatures` },
      "osdi:record_signature_helper": { href: `${self}/record_signature_helper` },
    },
  };
}

export async function petitions(request: Request, ctx: Ctx) {
  const caller = await requireCaller(request, ctx);
  const p = readPaging(request, "osdi:petitions");
  const [total, rows] = await Promise.all([
    countOrganizedPetitions(ctx.db, caller.userId),
    organizedPetitionsPage(ctx.db, caller.userId, (p.page - 1) * p.perPage, p.perPage),
  ]);
  const items = rows.map((r) => petitionResource(ctx, r));
  return hal(collection(ctx, `${osdiBase(ctx)}/petitions`, "osdi:petitions", p, total, items));
}

/** A positive whole number from the address, or null. */
function idParam(value: string | undefined): number | null {
  if (!value || !/^[1-9][0-9]{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export async function petition(request: Request, ctx: Ctx, params: { id?: string }) {
  const caller = await requireCaller(request, ctx);
  const id = idParam(params.id);
  const row = id === null ? undefined : await organizedPetition(ctx.db, caller.userId, id);
  if (!row) return notFound("osdi:petition");
  return hal({ ...petitionResource(ctx, row), _links: { ...petitionResource(ctx, row)._links, curies: curies(ctx) } });
}

/** One person's name as OSDI's given and family names: the last word is taken as the family name. */
function splitName(name: string): { given_name: string; family_name?: string } {
  const at = name.lastIndexOf(" ");
  return at > 0 ? { given_name: name.slice(0, at), family_name: name.slice(at + 1) } : { given_name: name };
}

function parseReferrerData(text: string | null): Record<string, string> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

function signatureResource(ctx: Ctx, s: OsdiSignatureRow) {
  const petitionHref = `${osdiBase(ctx)}/petitions/${s.petition_id}`;
  const referrer = s.anonymised_at ? undefined : parseReferrerData(s.referrer_data);
  const person = {
    ...(s.name ? splitName(s.name) : {}),
    ...(s.email ? { email_addresses: [{ address: s.email, primary: true, status: "subscribed" }] } : {}),
    postal_addresses: [{ primary: true, country: s.country }],
  };
  return {
    identifiers: [`${OSDI_NAMESPACE}:${s.id}`],
    origin_system: ORIGIN_SYSTEM,
    created_date: s.created_at,
    modified_date: s.updated_at,
    // When the signer confirmed it: from then on it counts.
    action_date: s.confirmed_at,
    ...(referrer ? { referrer_data: referrer } : {}),
    _links: {
      self: { href: `${petitionHref}/signatures/${s.id}` },
      "osdi:petition": { href: petitionHref },
    },
    // No People endpoint here: the signer comes embedded, with only what they agreed to hand over.
    _embedded: { "osdi:person": person },
  };
}

export async function signatures(request: Request, ctx: Ctx, params: { id?: string }) {
  const caller = await requireCaller(request, ctx);
  const id = idParam(params.id);
  const owned = id === null ? undefined : await organizedPetition(ctx.db, caller.userId, id);
  if (!owned) return notFound("osdi:signatures");
  const p = readPaging(request, "osdi:signatures");
  const [total, rows] = await Promise.all([
    countVisibleSignatures(ctx.db, caller.userId, owned.id),
    visibleSignaturesPage(ctx.db, caller.userId, owned.id, (p.page - 1) * p.perPage, p.perPage),
  ]);
  const items = rows.map((r) => signatureResource(ctx, r));
  const href = `${osdiBase(ctx)}/petitions/${owned.id}/signatures`;
  return hal(collection(ctx, href, "osdi:signatures", p, total, items));
}

export async function signature(request: Request, ctx: Ctx, params: { id?: string; signatureId?: string }) {
  const caller = await requireCaller(request, ctx);
  const id = idParam(params.id);
  const signatureId = idParam(params.signatureId);
  const row =
    id === null || signatureId === null ? undefined : await visibleSignature(ctx.db, caller.userId, id, signatureId);
  if (!row) return notFound("osdi:signature");
  const resource = signatureResource(ctx, row);
  return hal({ ...resource, _links: { ...resource._links, curies: curies(ctx) } });
}

const text = (max: number) => z.string().trim().max(max);

/** What the helper reads of a Record Signature Helper body; other OSDI fields are allowed and ignored. */
const HelperBody = z.looseObject({
  person: z.looseObject({
    given_name: text(100).optional(),
    family_name: text(100).optional(),
    email_addresses: z
      .array(z.looseObject({ address: z.string(), primary: z.boolean().optional() }))
      .min(1, "Give the person's email address"),
    postal_addresses: z
      .array(
        z.looseObject({
          primary: z.boolean().optional(),
          country: z.string().optional(),
          postal_code: z.union([z.string(), z.number()]).optional(),
        }),
      )
      .optional(),
    // ISO 639-1 codes, the person's first language first (OSDI's person resource).
    languages_spoken: z
      .array(z.string().max(35, "A language code is 35 characters or fewer"), {
        error: "languages_spoken is a list of language codes",
      })
      .max(50, "Give at most 50 languages")
      .optional(),
  }),
  referrer_data: z
    .looseObject({
      source: text(200).optional(),
      referrer: text(200).optional(),
      website: text(200).optional(),
      url: text(1000).optional(),
    })
    .optional(),
});

/** How the signing form's field names read in OSDI's terms, for the errors. */
const OSDI_PROPERTY: Record<string, string> = {
  name: "person.given_name",
  email: "person.email_addresses",
  country: "person.postal_addresses.country",
  postcode: "person.postal_addresses.postal_code",
};

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; tooLarge: boolean }> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ok: false, tooLarge: true };
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) return { ok: false, tooLarge: true };
      chunks.push(value);
    }
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, tooLarge: false };
  }
}

const HELPER = "osdi:record_signature_helper";

/**
 * The language a signature from the API is stored with (its confirmation email and later ones are written in
 * it): the first of the person's languages that the site is written in ("cy", or "cy-GB" by its primary
 * subtag), else the campaign's own language, which the person was asked to sign in.
 */
export function signerLanguage(spoken: readonly string[] | undefined, campaignLanguage: string): Language {
  const known = (spoken ?? []).map((code) => code.trim().toLowerCase().split(/[-_]/)[0]).find(isLanguage);
  return known ?? (isLanguage(campaignLanguage) ? campaignLanguage : DEFAULT_LANGUAGE);
}

function primaryOrFirst<T extends { primary?: boolean }>(items: readonly T[] | undefined): T | undefined {
  return items?.find((i) => i.primary) ?? items?.[0];
}

/**
 * The Record Signature Helper. What it sends goes through the signing service as a signature from this
 * token, and like every signature it is pending until the person presses the link in the confirmation
 * email we send them: the API never makes a counted signature. The answer is the same whatever the
 * person's address had done before (signed already, or not), so a token cannot be used to learn who signed.
 * The name is never shown and no updates are sent unless the person chooses so later from their own link:
 * the caller cannot choose them on the person's behalf.
 */
export async function recordSignature(request: Request, ctx: Ctx, params: { id?: string }) {
  const caller = await requireCaller(request, ctx);
  const id = idParam(params.id);
  const owned = id === null ? undefined : await organizedPetition(ctx.db, caller.userId, id);
  if (!owned) return notFound(HELPER);

  const body = await readJson(request);
  if (!body.ok) {
    return body.tooLarge
      ? osdiError(413, HELPER, [{ error_code: "TOO_LARGE", description: "The request body is larger than 16 KB." }])
      : osdiError(400, HELPER, [{ error_code: "INVALID_JSON", description: "The request body is not JSON." }]);
  }
  const parsed = HelperBody.safeParse(body.value);
  if (!parsed.success) {
    return osdiError(
      400,
      HELPER,
      parsed.error.issues.map((i) => ({
        error_code: "INVALID_FIELD",
        description: i.message,
        properties: [i.path.map(String).join(".")],
      })),
    );
  }
  const { person, referrer_data } = parsed.data;
  const referrerData = referrer_data
    ? JSON.stringify(
        Object.fromEntries(
          (["source", "referrer", "website", "url"] as const).flatMap((k) =>
            referrer_data[k] ? [[k, referrer_data[k]]] : [],
          ),
        ),
      )
    : null;
  if (referrerData !== null && referrerData.length > MAX_REFERRER_DATA_CHARS) {
    return osdiError(400, HELPER, [
      {
        error_code: "INVALID_FIELD",
        description: `referrer_data is longer than ${MAX_REFERRER_DATA_CHARS} characters.`,
        properties: ["referrer_data"],
      },
    ]);
  }

  // Charged in a transaction of its own, before anything else is written: a refused request changes nothing else.
  const used = await ctx.db.transaction().execute((trx) => charge(trx, `osdi-helper:${caller.tokenId}`, HELPER_LIMIT));
  if (used > HELPER_LIMIT.points) {
    return osdiError(
      429,
      HELPER,
      [
        {
          error_code: "RATE_LIMITED",
          description: `This token has sent ${HELPER_LIMIT.points} signatures in the last hour, the most it may.`,
        },
      ],
      { "Retry-After": String(HELPER_LIMIT.seconds) },
    );
  }

  const postal = primaryOrFirst(person.postal_addresses);
  const fields: Record<string, string> = {
    name: [person.given_name, person.family_name].filter(Boolean).join(" "),
    email: primaryOrFirst(person.email_addresses)?.address ?? "",
    country: postal?.country ?? "",
    postcode: postal?.postal_code === undefined ? "" : String(postal.postal_code),
    nameDisplay: "hidden",
  };
  const result = await sign(ctx.db, ctx.config, {
    slug: owned.slug,
    fields,
    clientIp: ctx.clientIp,
    via: { kind: "api", tokenId: caller.tokenId, tokenName: caller.tokenName, referrerData },
    locale: signerLanguage(person.languages_spoken, owned.language),
  });
  switch (result.kind) {
    case "not-found":
      return notFound(HELPER);
    case "closed":
      return osdiError(409, HELPER, [
        { error_code: "PETITION_CLOSED", description: "This petition is not taking signatures now." },
      ]);
    case "invalid":
      return osdiError(
        400,
        HELPER,
        Object.entries(result.errors as SignFormErrors).map(([field, message]) => ({
          error_code: "INVALID_FIELD",
          description: message ?? "",
          properties: [OSDI_PROPERTY[field] ?? field],
        })),
      );
    case "accepted":
      return hal({
        message: "Received. A signature counts only once its signer confirms it from an email.",
        _links: { "osdi:petition": { href: `${osdiBase(ctx)}/petitions/${owned.id}` }, curies: curies(ctx) },
      });
  }
}

/** The helper answers POST only. */
export function helperMethodNotAllowed() {
  return osdiError(
    405,
    HELPER,
    [{ error_code: "METHOD_NOT_ALLOWED", description: "POST a signature to the Record Signature Helper." }],
    { Allow: "POST" },
  );
}
