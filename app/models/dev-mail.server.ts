import type { DB } from "../../db/connection";
import type { OutboxMessage } from "../../db/schema";
import type { SiteContext } from "../../emails/layout";
import { getOutboxMessage } from "./outbox.server";
import { composeUpdateMessage } from "./update.server";

/**
 * The development inbox's view of the outbox (app/routes/dev.mail.*). Most
 * rows hold their email as written; an update's rows are empty until the
 * worker composes each one as it sends (app/models/update.server.ts), so the
 * inbox composes them the same way to show them. Reading only: nothing here
 * changes a row.
 */

export type InboxMessage = OutboxMessage & {
  /** Set on an update's email that cannot be shown because it would not be sent now. */
  notComposed: string | null;
};

type Site = SiteContext & { unsubscribeSecret: string };

const NOT_COMPOSED =
  "Cancelled: an update's email is written as it is sent, and this one would not be sent now (the update was stopped, or the signer unsubscribed, withdrew or erased their details, or the address is suppressed).";

export async function getInboxMessage(db: DB, id: number, site: Site): Promise<InboxMessage | undefined> {
  const m = await getOutboxMessage(db, id);
  if (!m) return undefined;
  if (m.update_id === null) return { ...m, notComposed: null };
  const composed = await composeUpdateMessage(db, m, site, new Map(), { mintManageLink: false });
  if (!composed) {
    const update = await db
      .selectFrom("updates")
      .select("email_subject")
      .where("id", "=", m.update_id)
      .executeTakeFirst();
    return {
      ...m,
      subject: m.subject || update?.email_subject || `Update ${m.update_id}`,
      html: `<!DOCTYPE html><html lang="en"><body><p>${NOT_COMPOSED}</p></body></html>`,
      text: NOT_COMPOSED,
      notComposed: NOT_COMPOSED,
    };
  }
  return {
    ...m,
    subject: composed.subject,
    html: composed.html,
    text: composed.text,
    headers: JSON.stringify(composed.headers),
    notComposed: null,
  };
}

/** The newest messages, an update's with the subject it goes out with. */
export async function listInbox(db: DB, limit = 200) {
  return db
    .selectFrom("outbox as o")
    .leftJoin("updates as u", "u.id", "o.update_id")
    .select(["o.id", "o.to_address", "o.subject", "o.status", "o.created_at", "o.update_id", "u.email_subject"])
    .orderBy("o.id", "desc")
    .limit(limit)
    .execute();
}
