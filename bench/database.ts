/** What the benchmark puts into the app's database directly, and what it checks there afterwards. */
import SQLite from "better-sqlite3";
import { canonicalEmail } from "../app/lib/canonical-email";
import { DAY_MS, expiresAt, newToken } from "../app/lib/tokens.server";
import { UPDATES_CONSENT } from "../app/schemas/signature-fields";

export const CONFIRM_EMAIL_PREFIX = "bench-confirm-";
export const SIGN_EMAIL_PREFIX = "bench-sign-";

/**
 * Inserts `count` pending signatures on the petition, in one transaction,
 * and returns their confirmation tokens (only the hashes are stored, as the
 * app stores them). The app may be running: WAL and the busy timeout let both write.
 */
export function insertPendingSignatures(dbFile: string, slug: string, count: number): string[] {
  const sqlite = new SQLite(dbFile);
  try {
    sqlite.pragma("busy_timeout = 10000");
    const petition = sqlite.prepare("SELECT id FROM petitions WHERE slug = ?").get(slug) as { id: number } | undefined;
    if (!petition) throw new Error(`no petition ${slug} in ${dbFile}`);
    const now = new Date();
    const nowIso = now.toISOString();
    const expiry = expiresAt(now, 14 * DAY_MS);
    const insert = sqlite.prepare(`INSERT INTO signatures
      (petition_id, name, email, canonical_email, country, postcode, name_display, updates_consent,
       consent_wording_version, status, token_hash, token_expires_at, emails_sent, created_at, updated_at, confirmed_at)
      VALUES (?, ?, ?, ?, 'GB', NULL, 'hidden', 0, ?, 'pending', ?, ?, 1, ?, ?, NULL)`);
    const tokens: string[] = new Array<string>(count);
    sqlite.transaction(() => {
      for (let i = 0; i < count; i++) {
        const { token, hash } = newToken();
        const email = `${CONFIRM_EMAIL_PREFIX}${i}@example.org`;
        insert.run(
          petition.id,
          `Bench Confirmer ${i}`,
          email,
          canonicalEmail(email),
          UPDATES_CONSENT.version,
          hash,
          expiry,
          nowIso,
          nowIso,
        );
        tokens[i] = token;
      }
    })();
    return tokens;
  } finally {
    sqlite.close();
  }
}

export type DbFacts = {
  /**
   * The counts as a reader gets them: the stored count plus the confirmations not yet folded into it
   * (count_changes; the app folds them every second, and readers add the rest themselves), and
   * `unfolded`, those changes' number when the facts were read.
   */
  petition: {
    slug: string;
    signatureCount: number;
    confirmed: number;
    pending: number;
    countryCountSum: number;
    unfolded: number;
  };
  /** Petitions whose count (stored plus unfolded) differs from their confirmed signatures. */
  driftedPetitions: { slug: string; stored: number; actual: number }[];
  /** Signatures made by the sign POSTs, and confirmed by the confirm POSTs (matched by email prefix). */
  signedByBench: number;
  /** Of those, how many are still pending (not held back, e.g. as suspect by the signing limits). */
  signedByBenchPending: number;
  confirmedByBench: number;
  outbox: Record<string, number>;
};

export function readFacts(dbFile: string, slug: string): DbFacts {
  const sqlite = new SQLite(dbFile, { readonly: true, fileMustExist: true });
  try {
    const p = sqlite.prepare("SELECT id, signature_count FROM petitions WHERE slug = ?").get(slug) as {
      id: number;
      signature_count: number;
    };
    const count = (sql: string, ...args: unknown[]) =>
      (sqlite.prepare(sql).get(...args) as { n: number | null }).n ?? 0;
    const drifted = sqlite
      .prepare(
        `SELECT p.slug,
           p.signature_count + (SELECT COALESCE(SUM(c.delta), 0) FROM count_changes c WHERE c.petition_id = p.id) AS stored,
           (SELECT COUNT(*) FROM signatures s WHERE s.petition_id = p.id AND s.status = 'confirmed') AS actual
         FROM petitions p`,
      )
      .all() as { slug: string; stored: number; actual: number }[];
    const outbox = sqlite.prepare("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() as {
      status: string;
      n: number;
    }[];
    const unfoldedDelta = count("SELECT SUM(delta) AS n FROM count_changes WHERE petition_id = ?", p.id);
    return {
      petition: {
        slug,
        signatureCount: p.signature_count + unfoldedDelta,
        confirmed: count("SELECT COUNT(*) AS n FROM signatures WHERE petition_id = ? AND status = 'confirmed'", p.id),
        pending: count("SELECT COUNT(*) AS n FROM signatures WHERE petition_id = ? AND status = 'pending'", p.id),
        countryCountSum:
          count("SELECT SUM(signature_count) AS n FROM country_counts WHERE petition_id = ?", p.id) + unfoldedDelta,
        unfolded: count("SELECT COUNT(*) AS n FROM count_changes WHERE petition_id = ?", p.id),
      },
      driftedPetitions: drifted.filter((d) => d.stored !== d.actual),
      signedByBench: count("SELECT COUNT(*) AS n FROM signatures WHERE email LIKE ?", `${SIGN_EMAIL_PREFIX}%`),
      signedByBenchPending: count(
        "SELECT COUNT(*) AS n FROM signatures WHERE email LIKE ? AND status = 'pending'",
        `${SIGN_EMAIL_PREFIX}%`,
      ),
      confirmedByBench: count(
        "SELECT COUNT(*) AS n FROM signatures WHERE email LIKE ? AND status = 'confirmed'",
        `${CONFIRM_EMAIL_PREFIX}%`,
      ),
      outbox: Object.fromEntries(outbox.map((o) => [o.status, o.n])),
    };
  } finally {
    sqlite.close();
  }
}

export const SUBSCRIBER_EMAIL_PREFIX = "bench-subscriber-";

/**
 * Inserts `count` confirmed signatures that asked for updates on the petition,
 * in one transaction with one prepared statement, and raises the petition's
 * stored counts to match. For the bulk-email benchmark (bench/bulk-email.ts).
 * They were confirmed a second apart, and a third of them each chose to show
 * their full name, their first name and initial, or nothing: the campaign
 * page lists the latest signers who show a name, and with none at all it
 * would read every signature to find out (about 1.2 s a page at a million).
 */
export function insertSubscribers(dbFile: string, slug: string, count: number): { petitionId: number } {
  const sqlite = new SQLite(dbFile);
  try {
    sqlite.pragma("busy_timeout = 10000");
    const petition = sqlite.prepare("SELECT id FROM petitions WHERE slug = ?").get(slug) as { id: number } | undefined;
    if (!petition) throw new Error(`no petition ${slug} in ${dbFile}`);
    const nowIso = new Date().toISOString();
    const insert = sqlite.prepare(`INSERT INTO signatures
      (petition_id, name, email, canonical_email, country, postcode, name_display, updates_consent,
       consent_wording_version, status, token_hash, token_expires_at, emails_sent, created_at, updated_at, confirmed_at, email_domain)
      VALUES (?, ?, ?, ?, 'GB', NULL, ?, 1, ?, 'confirmed', NULL, NULL, 1, ?, ?, ?, 'example.org')`);
    const displays = ["full", "first_initial", "hidden"] as const;
    const start = Date.now() - count * 1000;
    sqlite.transaction(() => {
      for (let i = 0; i < count; i++) {
        // Already canonical (lower case, no +tag, not Gmail): canonical_email is the address itself.
        const email = `${SUBSCRIBER_EMAIL_PREFIX}${i}@example.org`;
        const at = new Date(start + i * 1000).toISOString();
        insert.run(
          petition.id,
          `Bench Subscriber ${i}`,
          email,
          email,
          displays[i % 3],
          UPDATES_CONSENT.version,
          at,
          nowIso,
          at,
        );
      }
      sqlite.prepare("UPDATE petitions SET signature_count = signature_count + ? WHERE id = ?").run(count, petition.id);
      sqlite
        .prepare(
          `INSERT INTO country_counts (petition_id, country, signature_count) VALUES (?, 'GB', ?)
           ON CONFLICT (petition_id, country) DO UPDATE SET signature_count = signature_count + excluded.signature_count`,
        )
        .run(petition.id, count);
    })();
    return { petitionId: petition.id };
  } finally {
    sqlite.close();
  }
}
