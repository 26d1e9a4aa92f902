import type { Kysely } from "kysely";
import { idColumn, bytesType } from "../dialect";

// Accounts, sessions, organizers, moderation and the audit log. Frozen: Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("email", "varchar(254)", (c) => c.notNull().unique())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("last_signed_in_at", "varchar(30)")
    .execute();

  await db.schema
    .createTable("user_roles")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "varchar(20)", (c) => c.notNull())
    .addColumn("granted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_roles_pkey", ["user_id", "role"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "varchar(64)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("sign_in_tokens")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("redirect_to", "varchar(500)")
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("used_at", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sign_in_tokens_email_idx")
    .on("sign_in_tokens")
    .columns(["email", "created_at"])
    .execute();

  await db.schema
    .createTable("images")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("sha256", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("content_type", "varchar(40)", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("data", bytesType(db), (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();

  for (const [name, type] of [
    ["image_id", "integer"],
    ["submitted_at", "varchar(30)"],
    ["edited_at", "varchar(30)"],
    ["closed_at", "varchar(30)"],
    ["rejection_reason", "varchar(40)"],
    ["rejection_note", "varchar(1000)"],
    ["victory_message", "varchar(2000)"],
    ["victory_at", "varchar(30)"],
  ] as const) {
    await db.schema.alterTable("petitions").addColumn(name, type).execute();
  }
  await db.schema
    .alterTable("petitions")
    .addColumn("closing_extended", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("petition_organizers")
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "varchar(20)", (c) => c.notNull())
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .addPrimaryKeyConstraint("petition_organizers_pkey", ["petition_id", "user_id"])
    .execute();
  await db.schema.createIndex("petition_organizers_user_idx").on("petition_organizers").column("user_id").execute();

  await db.schema
    .createTable("organizer_invitations")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("petition_id", "integer", (c) => c.notNull().references("petitions.id").onDelete("cascade"))
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("invited_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("expires_at", "varchar(30)", (c) => c.notNull())
    .addColumn("accepted_at", "varchar(30)")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", idColumn(db))
    .addColumn("actor_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("action", "varchar(60)", (c) => c.notNull())
    .addColumn("petition_id", "integer", (c) => c.references("petitions.id").onDelete("set null"))
    .addColumn("subject_user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("details", "text")
    .addColumn("created_at", "varchar(30)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_created_idx").on("audit_log").column("created_at").execute();
  await db.schema
    .createIndex("audit_log_petition_idx")
    .on("audit_log")
    .columns(["petition_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "audit_log",
    "organizer_invitations",
    "petition_organizers",
    "images",
    "sign_in_tokens",
    "sessions",
    "user_roles",
    "users",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of [
    "image_id",
    "submitted_at",
    "edited_at",
    "closed_at",
    "rejection_reason",
    "rejection_note",
    "victory_message",
    "victory_at",
    "closing_extended",
  ]) {
    await db.schema.alterTable("petitions").dropColumn(column).execute();
  }
}
