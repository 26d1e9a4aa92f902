import type { DB } from "../../db/connection";
import { isDatabaseUnavailable } from "../../db/dialect";
import { sql } from "kysely";

export async function pingDatabase(db: DB): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** Whether an error means the database cannot be reached right now (db/dialect.ts), rather than a bug. */
export const databaseUnavailable = isDatabaseUnavailable;
