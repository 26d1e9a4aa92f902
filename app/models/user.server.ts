import type { DB } from "../../db/connection";
import type { Role, User } from "../../db/schema";
import type { Language } from "../lib/i18n";
import { audit } from "./audit.server";

export type UserWithRoles = User & { roles: Role[] };

export function normalizeAccountEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The account for an address, made on first sign-in: anyone signed in may organize. */
export async function findOrCreateUser(db: DB, email: string, now = new Date()): Promise<User> {
  const address = normalizeAccountEmail(email);
  await db
    .insertInto("users")
    .values({ email: address, created_at: now.toISOString(), last_signed_in_at: null })
    .onConflict((oc) => oc.column("email").doNothing())
    .execute();
  return db.selectFrom("users").selectAll().where("email", "=", address).executeTakeFirstOrThrow();
}

export async function getUserByEmail(db: DB, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", normalizeAccountEmail(email)).executeTakeFirst();
}

export async function rolesOf(db: DB, userId: number): Promise<Role[]> {
  const rows = await db.selectFrom("user_roles").select("role").where("user_id", "=", userId).orderBy("role").execute();
  return rows.map((r) => r.role);
}

export function hasRole(user: Pick<UserWithRoles, "roles"> | null, role: Role): boolean {
  if (!user) return false;
  // Admins can do everything moderators can.
  return user.roles.includes(role) || (role === "moderator" && user.roles.includes("admin"));
}

export async function grantRole(db: DB, userId: number, role: Role, grantedBy: number | null, now = new Date()) {
  await db
    .insertInto("user_roles")
    .values({ user_id: userId, role, granted_by: grantedBy, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .execute();
}

export async function revokeRole(db: DB, userId: number, role: Role) {
  await db.deleteFrom("user_roles").where("user_id", "=", userId).where("role", "=", role).execute();
}

/** Everyone who holds a role, for the admin page. */
export async function listStaff(db: DB) {
  return db
    .selectFrom("user_roles as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["u.id", "u.email", "r.role", "r.created_at"])
    .orderBy("u.email")
    .orderBy("r.role")
    .execute();
}

/**
 * An admin grants or removes a role, by email, with the change audited in the
 * same transaction. Granting to an address that has never signed in makes
 * its account, so the role is there when they first do.
 */
export async function changeRole(
  db: DB,
  args: { adminId: number; email: string; role: Role; grant: boolean; now?: Date },
): Promise<"done" | "self"> {
  const now = args.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const user = await findOrCreateUser(trx, args.email, now);
    if (!args.grant && user.id === args.adminId && args.role === "admin") return "self";
    if (args.grant) await grantRole(trx, user.id, args.role, args.adminId, now);
    else await revokeRole(trx, user.id, args.role);
    await audit(
      trx,
      {
        actorId: args.adminId,
        action: args.grant ? "role.grant" : "role.revoke",
        subjectUserId: user.id,
        details: { role: args.role },
      },
      now,
    );
    return "done";
  });
}

/**
 * A signed-in person chose a language: it becomes theirs for the emails the site sends them (as an
 * organizer or a moderator). Nobody signed in (no `userId`): nothing to keep.
 */
export async function setUserLocale(db: DB, userId: number | undefined, locale: Language): Promise<void> {
  if (userId === undefined) return;
  await db.updateTable("users").set({ locale }).where("id", "=", userId).where("locale", "!=", locale).execute();
}
