import type { ColumnType, Insertable, Selectable, Updateable } from "kysely";

/**
 * The database as Kysely sees it. Timestamps are ISO-8601 UTC strings
 * ("2026-11-27T19:20:00.000Z"): they sort as text and mean the same on SQLite
 * and PostgreSQL (docs/decisions/0003-portable-sql.md). Booleans are 0/1 integers.
 */
type Generated<T> = ColumnType<T, T | undefined, T>;

export type PetitionStatus = "draft" | "in_review" | "open" | "closed" | "victory" | "rejected" | "hidden";
export type NameDisplay = "full" | "first_initial" | "hidden";
export type SignatureStatus = "pending" | "confirmed";
/** "cancelled": not sent on purpose (the update was stopped, the signer unsubscribed, the address is suppressed). */
export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "cancelled";

export interface PetitionsTable {
  id: Generated<number>;
  slug: string;
  /** The language its organizer wrote it in (app/lib/i18n.ts LANGUAGES); its text carries it as `lang`. */
  language: Generated<string>;
  title: string;
  summary: string;
  body_markdown: string;
  /** Sanitized HTML rendered from body_markdown when it is saved. */
  body_html: string;
  /** ISO 3166-1 alpha-2 code of the jurisdiction. Not the signing form's default: that is the visitor's own. */
  country: string | null;
  status: PetitionStatus;
  /** A fixed goal, or null for the automatic ladder (100, 200, 500, 1k, ...). */
  goal: number | null;
  signature_count: Generated<number>;
  opened_at: string | null;
  closes_at: string | null;
  created_at: string;
  updated_at: string;
  /** The cover image the page shows. */
  image_id: number | null;
  /** A new cover image for a published petition, shown only once a moderator approves it (ADR 0007). */
  pending_image_id: number | null;
  /** When the pending image was uploaded. */
  pending_image_at: string | null;
  submitted_at: string | null;
  /** Set when the text or image changes after publication; the page says so. */
  edited_at: string | null;
  closed_at: string | null;
  rejection_reason: string | null;
  rejection_note: string | null;
  victory_message: string | null;
  victory_at: string | null;
  /** 1 once the organizer has used their one extension of the closing date. */
  closing_extended: Generated<number>;
  /** When set, signing is paused on this petition and the page shows this message. */
  signing_paused_message: string | null;
  /** When a moderator asked signers' browsers for a proof-of-work challenge here; null: not asked (ADR 0013). */
  challenge_required_since: string | null;
}

export interface DecisionMakersTable {
  id: Generated<number>;
  petition_id: number;
  position: number;
  name: string;
  /** Title or organisation, e.g. "Prime Minister of the United Kingdom". */
  role: string | null;
  /** Where the petition is delivered. Personal data: for the petition's organizers only, never public. */
  contact_email: string | null;
  /** When contact_email last changed. */
  contact_updated_at: string | null;
  /** When the petition is sent (docs/decisions/0029-decision-maker-responses.md). */
  deliver_at: Generated<DeliverAt>;
  /** For deliver_at "counts": ascending whole numbers separated by commas ("10000,100000"). */
  deliver_counts: string | null;
}

/** "goal": at each goal the petition reaches; "counts": at chosen counts; "manual": only when an organizer presses Deliver. */
export type DeliverAt = "goal" | "counts" | "manual";

/** Each time the petition was sent to a decision maker, with the private response link that went with it. */
export interface DeliveriesTable {
  id: Generated<number>;
  petition_id: number;
  decision_maker_id: number;
  /** The count that triggered it; null for an organizer's "Deliver". Unique per decision maker. */
  milestone: number | null;
  signature_count: number;
  /** SHA-256 of the link's token; null once the petition is past retention. */
  token_hash: string | null;
  outbox_id: number | null;
  /** The email's outcome, kept when our copy of it is deleted (the outbox row says it until then). */
  mail_status: OutboxStatus | null;
  created_by: number | null;
  created_at: string;
  /** The first press of the link's button. */
  opened_at: string | null;
  revoked_at: string | null;
}

export type ResponseSource = "decision_maker" | "organizer";

/** A decision maker's public response, written through their link or recorded by an organizer. */
export interface ResponsesTable {
  id: Generated<number>;
  petition_id: number;
  decision_maker_id: number;
  source: ResponseSource;
  delivery_id: number | null;
  recorded_by: number | null;
  /** The name and title as the response is signed. */
  name: string;
  title: string | null;
  body_markdown: string;
  /** Sanitized HTML rendered from body_markdown. */
  body_html: string;
  /** "2027-03-03": when the response was given. */
  responded_on: string;
  source_url: string | null;
  published_at: string;
  /** The publishing form's random key: the same form sent twice publishes once. */
  form_key: string;
  /** The update that emails it to subscribers, or null if it was not emailed. */
  update_id: number | null;
  hidden_at: string | null;
  hidden_by: number | null;
  hidden_reason: string | null;
}

export interface SignaturesTable {
  id: Generated<number>;
  petition_id: number;
  name: string;
  email: string;
  /** Trimmed, lower-cased, +tag removed, Gmail dots removed: one signature per person per petition. */
  canonical_email: string;
  country: string;
  postcode: string | null;
  name_display: NameDisplay;
  updates_consent: number;
  /** The version of the consent wording shown beside the box, kept with the choice. */
  consent_wording_version: string;
  status: SignatureStatus;
  /** SHA-256 of the confirmation token; null once used. */
  token_hash: string | null;
  token_expires_at: string | null;
  /** Emails sent about this signature; capped so nobody can flood an inbox through the form. */
  emails_sent: Generated<number>;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  /** Null, or why the signature does not count: over a limit ("suspect") or removed in bulk ("invalidated"). */
  hold: SignatureHold | null;
  hold_reason: string | null;
  /**
   * Why a moderator may want to look at this signature (it came over a signing limit, or its form came back
   * very fast), or null. Unlike a hold it does not stop the signature counting once confirmed.
   */
  review_reason: string | null;
  invalidation_id: number | null;
  /** HMAC (SERVER secret) of the client address and of its /24 or /48 network; never the address itself. */
  ip_hash: string | null;
  network_hash: string | null;
  /** The email's domain, lower-cased, for per-domain limits and trends; cleared with the rest on erasure and anonymisation (a small domain can name a person). */
  email_domain: string | null;
  manage_token_hash: string | null;
  manage_token_expires_at: string | null;
  anonymised_at: string | null;
  /** Where the signature came from: "web", or "api:<token name>" through the OSDI helper; null if older. */
  source: string | null;
  /** OSDI referrer_data (source, referrer, website, url) as JSON text, or null. */
  referrer_data: string | null;
  /** The language the signer signed in (app/lib/i18n.ts): every email to them is in it. */
  locale: Generated<string>;
}

export type SignatureHold = "suspect" | "invalidated";

export interface CountryCountsTable {
  petition_id: number;
  country: string;
  signature_count: number;
}

/**
 * A change to a petition's counts not yet folded into petitions.signature_count, country_counts and
 * daily_counts (app/models/counts.server.ts): +1 for a confirmation, -n for signatures leaving the count.
 */
export interface CountChangesTable {
  id: Generated<number>;
  petition_id: number;
  country: string;
  /** The UTC day the signatures were confirmed, "2026-12-06". */
  day: string;
  delta: number;
}

/** Confirmed, counted signatures per petition and UTC day of confirmation. */
export interface DailyCountsTable {
  petition_id: number;
  day: string;
  signature_count: number;
}

/** A signing limit's current window for one key (app/models/rate-limits.server.ts). */
export interface RateLimitsTable {
  key: string;
  points: number;
  expires_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  /** The template that made it, e.g. "confirm-signature". */
  kind: string;
  to_address: string;
  subject: string;
  html: string;
  text: string;
  /** JSON object of extra headers, or null. */
  headers: string | null;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  /** While status is "sending": when the claim lapses and another worker may retry it. */
  locked_until: string | null;
  last_error: string | null;
  /** The Message-ID header, fixed when the message is made so that a retry keeps it. */
  message_id: string;
  created_at: string;
  sent_at: string | null;
  /**
   * For an update's email: the update and the signature it goes to. subject, html and text are then
   * empty: the worker renders them at send time from the update (queueing a million messages stays
   * a cheap INSERT ... SELECT).
   */
  update_id: number | null;
  signature_id: number | null;
}

export type UpdateStatus = "draft" | "published";
/** none: not emailed; queuing: recipients being added; sending: all queued; stopped: a moderator stopped it. */
export type UpdateEmailStatus = "none" | "queuing" | "sending" | "stopped";

export interface UpdatesTable {
  id: Generated<number>;
  petition_id: number;
  title: string;
  body_markdown: string;
  body_html: string;
  status: UpdateStatus;
  published_at: string | null;
  email_status: Generated<UpdateEmailStatus>;
  /** The email as rendered once at publication, with placeholders for each recipient's links. */
  email_subject: string | null;
  email_html: string | null;
  email_text: string | null;
  email_queued_at: string | null;
  /** The last signature id queued: a queueing run that stopped resumes after it. */
  queue_cursor: Generated<number>;
  recipients: Generated<number>;
  stopped_at: string | null;
  stopped_by: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface SuppressionsTable {
  canonical_email: string;
  reason: "bounce" | "unsubscribe_all" | "complaint";
  created_at: string;
}

export type Role = "moderator" | "admin";
export type OrganizerRole = "owner" | "co_organizer";

export interface UsersTable {
  id: Generated<number>;
  /** Trimmed and lower-cased; sign-in links go to exactly this address. */
  email: string;
  created_at: string;
  last_signed_in_at: string | null;
  /** The language of the emails this person gets: the one they last used the site in (app/lib/i18n.ts). */
  locale: Generated<string>;
}

export interface UserRolesTable {
  user_id: number;
  role: Role;
  granted_by: number | null;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's session token: a stolen database cannot be replayed as cookies. */
  id_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface SignInTokensTable {
  id: Generated<number>;
  email: string;
  token_hash: string;
  redirect_to: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface ImagesTable {
  id: Generated<number>;
  sha256: string;
  content_type: string;
  width: number;
  height: number;
  data: Buffer;
  created_at: string;
}

export interface PetitionOrganizersTable {
  petition_id: number;
  user_id: number;
  role: OrganizerRole;
  created_at: string;
}

export interface OrganizerInvitationsTable {
  id: Generated<number>;
  petition_id: number;
  email: string;
  token_hash: string;
  invited_by: number | null;
  expires_at: string;
  accepted_at: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  petition_id: number | null;
  subject_user_id: number | null;
  /** JSON object with whatever else the action needs to be understood later (a reason, old and new values). */
  details: string | null;
  created_at: string;
}

export interface InvalidationsTable {
  id: Generated<number>;
  petition_id: number;
  /** JSON of what was matched: network, domain, email, country, from, to. */
  criteria: string;
  matched: number;
  created_by: number | null;
  created_at: string;
  undone_by: number | null;
  undone_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

/** A challenge whose solution signed once already (a replay is held as suspect), kept until it expires. */
export interface SpentChallengesTable {
  /** SHA-256 of the challenge's signature. */
  challenge_hash: string;
  expires_at: string;
}

/**
 * One row per scheduled job (app/jobs.server.ts): the interval it last ran in. A process runs a job only
 * if it moved `period_start` forward itself, so the job runs once per interval however many processes
 * try (docs/decisions/0021-mail-worker-process.md).
 */
export interface JobRunsTable {
  name: string;
  /** The start of the interval the job last ran in, e.g. "2026-12-06T00:00:00.000Z" for a daily job. */
  period_start: string;
  started_at: string;
  /** Null while it runs (or if the process running it died). */
  finished_at: string | null;
  /** Which process ran it: host name and process id. */
  runner: string;
  /** The error it ended with, or null. */
  last_error: string | null;
}

/** An organizer's token for the OSDI API: only its SHA-256 is kept; revoked tokens stay for the record. */
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** An emailed update rendered in a language other than English (which is in updates.email_*). */
export interface UpdateEmailsTable {
  update_id: number;
  locale: string;
  subject: string;
  html: string;
  text: string;
}

/** "pending" waits for a moderator; only "approved" is shown to readers. */
export type TranslationStatus = "pending" | "approved" | "declined";

/** A campaign's title, summary and text in another language, written by its organizers. */
export interface PetitionTranslationsTable {
  id: Generated<number>;
  petition_id: number;
  language: string;
  title: string;
  summary: string;
  body_markdown: string;
  body_html: string;
  status: Generated<TranslationStatus>;
  reviewed_by: number | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  petitions: PetitionsTable;
  petition_translations: PetitionTranslationsTable;
  decision_makers: DecisionMakersTable;
  deliveries: DeliveriesTable;
  responses: ResponsesTable;
  signatures: SignaturesTable;
  country_counts: CountryCountsTable;
  count_changes: CountChangesTable;
  daily_counts: DailyCountsTable;
  rate_limits: RateLimitsTable;
  outbox: OutboxTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  sign_in_tokens: SignInTokensTable;
  images: ImagesTable;
  petition_organizers: PetitionOrganizersTable;
  organizer_invitations: OrganizerInvitationsTable;
  audit_log: AuditLogTable;
  invalidations: InvalidationsTable;
  settings: SettingsTable;
  updates: UpdatesTable;
  update_emails: UpdateEmailsTable;
  suppressions: SuppressionsTable;
  spent_challenges: SpentChallengesTable;
  job_runs: JobRunsTable;
  petition_tallies: PetitionTalliesTable;
  api_tokens: ApiTokensTable;
}

export type Petition = Selectable<PetitionsTable>;
export type PetitionTranslation = Selectable<PetitionTranslationsTable>;
export type NewPetition = Insertable<PetitionsTable>;
export type PetitionUpdate = Updateable<PetitionsTable>;
export type DecisionMaker = Selectable<DecisionMakersTable>;
export type Signature = Selectable<SignaturesTable>;
export type NewSignature = Insertable<SignaturesTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type NewOutboxMessage = Insertable<OutboxTable>;
export type User = Selectable<UsersTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Update = Selectable<UpdatesTable>;

/** A big campaign's dashboard figures as last counted (app/models/dashboard.server.ts tallyBigPetitions). */
export interface PetitionTalliesTable {
  petition_id: number;
  confirmed: number;
  pending: number;
  subscribers: number;
  held: number;
  /** Confirmed signers who asked not to be named. */
  hidden: number;
  counted_at: string;
}
export type Delivery = Selectable<DeliveriesTable>;
export type DecisionMakerResponse = Selectable<ResponsesTable>;
