import { enqueueEmail } from "../../app/models/outbox.server";
import type { DB } from "../../db/connection";

/**
 * Waits until the outbox has settled: nothing pending or being sent, and no update still queuing its
 * recipients. A test that checks no email went waits for this, not for a fixed time: any email the app
 * put in the outbox has then reached the SMTP server (the worker marks a message sent only after the
 * server took it), so a wrong one cannot arrive after the check.
 */
export async function outboxSettled(db: DB, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await db
      .selectFrom("outbox")
      .select("id")
      .where("status", "in", ["pending", "sending"])
      .executeTakeFirst();
    const queuing = await db
      .selectFrom("updates")
      .select("id")
      .where("email_status", "=", "queuing")
      .executeTakeFirst();
    if (!busy && !queuing) return;
    if (Date.now() > deadline) throw new Error("The outbox did not settle");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Puts `count` small test messages in the outbox, to `<prefix>-<n>@example.org`, in one transaction. */
export async function enqueueTestMessages(db: DB, prefix: string, count: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i++) {
      await enqueueEmail(trx, {
        kind: "test",
        to: `${prefix}-${i}@example.org`,
        email: { subject: `Hello ${i}`, html: `<p>Hello ${i}</p>`, text: `Hello ${i}` },
        appUrl: "https://undersigned.test",
      });
    }
  });
}
