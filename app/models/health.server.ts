import { sql } from "kysely";
import type { Executor } from "./outbox.server";

export async function pingDatabase(db: Executor): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
