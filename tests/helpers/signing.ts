import http from "node:http";
import type { DB } from "../../db/connection";
import type { Petition } from "../../db/schema";
import { canonicalEmail } from "../../app/lib/canonical-email";
import { countryCounts, signatureCount } from "../../app/models/counts.server";
import { recordSignature, type NewSignatureArgs, type SubmitOutcome } from "../../app/models/signatures.server";

/** The demo campaigns that db/seed.ts puts in every test app's database. */
export const OPEN_SLUG = "merseyside-model-uk-wide";
export const CLOSED_SLUG = "ugly-mugs-funding-2026";

/** A valid signing form, as the browser sends it; override what a test is about. */
export function signingForm(overrides: Record<string, string> = {}): Record<string, string> {
  return { name: "Ada Lovelace", email: "ada@example.org", country: "GB", nameDisplay: "full", ...overrides };
}

export async function getPetition(db: DB, slug: string): Promise<Petition> {
  return db.selectFrom("petitions").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
}

/** A petition's total and its per-country counts, as the public sees them. */
export async function countsFor(db: DB, slug: string): Promise<{ total: number; byCountry: Record<string, number> }> {
  const petition = await getPetition(db, slug);
  const rows = await countryCounts(db, petition.id);
  return {
    total: await signatureCount(db, petition.id),
    byCountry: Object.fromEntries(rows.map((r) => [r.country, r.signature_count])),
  };
}

/**
 * Stores a signature as the signing module does once it has decided about it (no limits, no checks), in
 * a transaction of its own: for tests about what happens after a submission.
 */
export function storeSignature(db: DB, args: Omit<NewSignatureArgs, "canonical">): Promise<SubmitOutcome> {
  return db
    .transaction()
    .execute((trx) => recordSignature(trx, { ...args, canonical: canonicalEmail(args.input.email) }));
}

/** How many rows the tables a submission writes to hold, to show that nothing was written. */
export async function rowCounts(db: DB): Promise<{ signatures: number; outbox: number }> {
  const s = await db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const o = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return { signatures: Number(s.n), outbox: Number(o.n) };
}

/** The outbox rows addressed to one address, oldest first. */
export async function outboxTo(db: DB, address: string) {
  return db.selectFrom("outbox").selectAll().where("to_address", "=", address).orderBy("id").execute();
}

/** The confirmation token inside an email's text. */
export function tokenIn(text: string): string {
  const match = text.match(/\/confirm\/([A-Za-z0-9_-]{43})/);
  if (!match) throw new Error(`No confirmation link in: ${text.slice(0, 200)}`);
  return match[1];
}

/** A page's HTML without the per-response CSP nonces, so two responses can be compared. */
export function withoutNonces(html: string): string {
  return html.replace(/nonce="[^"]*"/g, 'nonce=""');
}

/** The text of the error shown beside a form field (the element with id `sign-<field>-error`), or null. */
export function fieldError(html: string, fieldId: string): string | null {
  const match = html.match(new RegExp(`<p class="field-error" id="sign-${fieldId}-error">([^]*?)</p>`));
  if (!match) return null;
  return match[1]
    .replace(/<[^>]+>/g, "")
    .replace(/^Error: /, "")
    .trim();
}

/**
 * A POST sent piece by piece with node:http, so a test controls the headers
 * (a declared length, or chunked with none) that fetch would set for it.
 */
export function rawPost(
  url: string,
  opts: { headers: Record<string, string>; chunks: Buffer[] },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: opts.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    // The server may answer and close before it has read everything we send; the answer is what counts.
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE" && err.code !== "ECONNRESET") reject(err);
    });
    for (const chunk of opts.chunks) req.write(chunk);
    req.end();
  });
}
