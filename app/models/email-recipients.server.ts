import type { DB } from "../../db/connection";

/** A campaign's organizers, each with the language their emails are written in (users.locale). */
export async function organizerRecipients(db: DB, petitionId: number): Promise<{ email: string; locale: string }[]> {
  return db
    .selectFrom("petition_organizers as o")
    .innerJoin("users as u", "u.id", "o.user_id")
    .select(["u.email", "u.locale"])
    .where("o.petition_id", "=", petitionId)
    .orderBy("o.created_at")
    .execute();
}
