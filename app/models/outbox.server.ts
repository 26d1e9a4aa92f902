import { randomUUID } from "node:crypto";
import type { Email } from "../../emails/layout";
import type { DB } from "../../db/connection";
import type { OutboxMessage } from "../../db/schema";

/**
 * A Message-ID that says nothing: random, on the site's host. Fixed when the
 * message is put in the outbox, so that a retry carries the same one.
 */
export function newMessageId(appUrl: string): string {
  const host = new URL(appUrl).hostname || "undersigned.localhost";
  return `<${randomUUID()}@${host}>`;
}

/**
 * Puts an email in the outbox. Call it inside the transaction that makes the
 * change the email is about, so that both happen or neither does. The worker
 * (app/mail/worker.server.ts) sends it.
 */
export async function enqueueEmail(
  db: DB,
  message: { kind: string; to: string; email: Email; appUrl: string; headers?: Record<string, string> },
  now = new Date(),
): Promise<number> {
  const row = await db
    .insertInto("outbox")
    .values({
      kind: message.kind,
      to_address: message.to,
      subject: message.email.subject,
      html: message.email.html,
      text: message.email.text,
      headers: message.headers ? JSON.stringify(message.headers) : null,
      status: "pending",
      next_attempt_at: now.toISOString(),
      message_id: newMessageId(message.appUrl),
      created_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function listOutbox(db: DB, limit = 100): Promise<OutboxMessage[]> {
  return db.selectFrom("outbox").selectAll().orderBy("id", "desc").limit(limit).execute();
}

export async function getOutboxMessage(db: DB, id: number): Promise<OutboxMessage | undefined> {
  return db.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst();
}
