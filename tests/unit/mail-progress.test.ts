import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createProgressReporter, formatProgress } from "../../app/mail/progress.server";
import type { DB } from "../../db/connection";
import type { OutboxStatus } from "../../db/schema";
import { tempDb } from "../helpers/app";

describe("formatProgress: the worker's line about an update going out", () => {
  test("reads like the operator expects, with thousands separated", () => {
    expect(formatProgress(12, { queued: 431_200, sent: 120_000, failed: 3, cancelled: 0 }, 512.4)).toBe(
      "update 12: 431,200 queued, 120,000 sent, 3 failed (512/s)",
    );
  });

  test("cancelled messages are mentioned only when there are some; no rate before there is one", () => {
    expect(formatProgress(3, { queued: 5, sent: 0, failed: 0, cancelled: 2 }, null)).toBe(
      "update 3: 5 queued, 0 sent, 0 failed, 2 cancelled",
    );
  });

  test("the last line says it is done", () => {
    expect(formatProgress(3, { queued: 0, sent: 7, failed: 1, cancelled: 0 }, null, true)).toBe(
      "update 3: done, 7 sent, 1 failed",
    );
  });
});

describe("createProgressReporter: what `npm run worker` prints every few seconds", () => {
  let db: DB;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ db, cleanup } = await tempDb());
  });
  afterEach(async () => cleanup());

  const now = "2026-11-27T12:00:00.000Z";

  async function update(emailStatus: "queuing" | "sending" | "none") {
    const petition = await db
      .insertInto("petitions")
      .values({
        slug: `p-${Math.random()}`,
        title: "A petition",
        summary: "",
        body_markdown: "",
        body_html: "",
        country: null,
        status: "open",
        goal: null,
        opened_at: now,
        closes_at: null,
        created_at: now,
        updated_at: now,
        image_id: null,
        submitted_at: null,
        edited_at: null,
        closed_at: null,
        rejection_reason: null,
        rejection_note: null,
        victory_message: null,
        victory_at: null,
        signing_paused_message: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const { id } = await db
      .insertInto("updates")
      .values({
        petition_id: petition.id,
        title: "News",
        body_markdown: "",
        body_html: "",
        status: "published",
        published_at: now,
        email_status: emailStatus,
        email_subject: "News",
        email_html: "<p>News</p>",
        email_text: "News",
        email_queued_at: now,
        stopped_at: null,
        stopped_by: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return id;
  }

  async function messages(updateId: number, statuses: OutboxStatus[]) {
    for (const [i, status] of statuses.entries()) {
      await db
        .insertInto("outbox")
        .values({
          kind: "update",
          to_address: `s${i}@example.org`,
          subject: "",
          html: "",
          text: "",
          headers: null,
          status,
          next_attempt_at: now,
          message_id: `<${updateId}-${i}-${Math.random()}@test>`,
          created_at: now,
          update_id: updateId,
          signature_id: i + 1,
        })
        .execute();
    }
  }

  async function setAll(updateId: number, status: OutboxStatus) {
    await db.updateTable("outbox").set({ status }).where("update_id", "=", updateId).execute();
  }

  test("reports updates with messages waiting, with the rate since the last tick, and each once more when done", async () => {
    let clock = 0;
    const tick = createProgressReporter(db, () => clock);
    expect(await tick()).toEqual([]);

    const sending = await update("sending");
    await messages(sending, ["pending", "pending", "pending", "sent", "failed"]);
    const finishedLongAgo = await update("sending");
    await messages(finishedLongAgo, ["sent", "sent"]);
    const queuing = await update("queuing");

    expect(await tick()).toEqual([
      `update ${sending}: 3 queued, 1 sent, 1 failed`,
      `update ${queuing}: 0 queued, 0 sent, 0 failed`,
    ]);

    clock += 2000;
    await db
      .updateTable("outbox")
      .set({ status: "sent" })
      .where("update_id", "=", sending)
      .where("status", "=", "pending")
      .where("signature_id", "<=", 2)
      .execute();
    expect(await tick()).toEqual([
      `update ${sending}: 1 queued, 3 sent, 1 failed (1/s)`,
      `update ${queuing}: 0 queued, 0 sent, 0 failed (0/s)`,
    ]);

    clock += 5000;
    await setAll(sending, "sent");
    await db.updateTable("updates").set({ email_status: "sending" }).where("id", "=", queuing).execute();
    expect(await tick()).toEqual([
      `update ${sending}: done, 5 sent, 0 failed`,
      `update ${queuing}: done, 0 sent, 0 failed`,
    ]);

    clock += 5000;
    expect(await tick()).toEqual([]);
  });
});
