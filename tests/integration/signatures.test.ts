import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { DAY_MS } from "../../app/lib/tokens.server";
import {
  CONFIRMATION_TTL_DAYS,
  getConfirmationState,
  MAX_EMAILS_PER_SIGNATURE,
  resendConfirmation,
} from "../../app/models/signatures.server";
import { confirm } from "../../app/services/signing.server";
import type { SignatureInput } from "../../app/schemas/signature.server";
import { createDb, type DB } from "../../db/connection";
import { seedDemoPetitions } from "../../db/seed";
import { tempDb } from "../helpers/app";
import {
  CLOSED_SLUG,
  countsFor,
  getPetition,
  OPEN_SLUG,
  outboxTo,
  rowCounts,
  tokenIn,
  storeSignature,
} from "../helpers/signing";

const site = { appUrl: "https://undersigned.test" };
const T0 = new Date("2026-12-01T10:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

let db: DB;
let file: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, location: file, cleanup } = await tempDb());
  await seedDemoPetitions(db, renderMarkdown, T0);
});
afterEach(async () => {
  await cleanup();
});

function input(overrides: Partial<SignatureInput> = {}): SignatureInput {
  return {
    name: "Ada Lovelace",
    email: "ada@example.org",
    country: "GB",
    postcode: null,
    nameDisplay: "full",
    updates: false,
    ...overrides,
  };
}

async function submit(email: string, now = T0, onDb: DB = db) {
  const petition = await getPetition(db, OPEN_SLUG);
  return storeSignature(onDb, { petition, input: input({ email }), site, now });
}

/** The token in the newest email to an address. */
async function latestToken(address: string): Promise<string> {
  const rows = await outboxTo(db, address);
  return tokenIn(rows.at(-1)!.text);
}

describe("two submissions racing", () => {
  test("two submissions with the same mailbox at the same moment, on two connections, make one signature and no error", async () => {
    const a = createDb(file);
    const b = createDb(file);
    try {
      const petition = await getPetition(db, OPEN_SLUG);
      const outcomes = await Promise.all([
        storeSignature(a, { petition, input: input({ email: "race.condition@gmail.com" }), site, now: T0 }),
        storeSignature(b, { petition, input: input({ email: "RaceCondition+b@googlemail.com" }), site, now: T0 }),
      ]);
      expect(outcomes.sort()).toEqual(["created", "refreshed"]);
      const rows = await db.selectFrom("signatures").select(["canonical_email", "emails_sent"]).execute();
      expect(rows).toEqual([{ canonical_email: "racecondition@gmail.com", emails_sent: 2 }]);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });

  test("many submissions of one mailbox at once still make one signature", async () => {
    const handles = [createDb(file), createDb(file), createDb(file), createDb(file)];
    try {
      const petition = await getPetition(db, OPEN_SLUG);
      const outcomes = await Promise.all(
        handles.map((h, i) =>
          storeSignature(h, { petition, input: input({ email: `crowd+${i}@example.org` }), site, now: T0 }),
        ),
      );
      expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
      expect((await rowCounts(db)).signatures).toBe(1);
    } finally {
      await Promise.all(handles.map((h) => h.destroy()));
    }
  });
});

describe("a confirmation link that has expired", () => {
  test("a signer whose link has expired confirms nothing, and is offered a fresh link", async () => {
    await submit("late@example.org");
    const token = await latestToken("late@example.org");
    const expiry = later(CONFIRMATION_TTL_DAYS * DAY_MS);
    const before = await countsFor(db, OPEN_SLUG);

    expect((await getConfirmationState(db, token, later(CONFIRMATION_TTL_DAYS * DAY_MS - 1))).state).toBe("ready");
    expect((await getConfirmationState(db, token, expiry)).state).toBe("expired");
    expect((await confirm(db, token, expiry)).state).toBe("expired");

    expect(await countsFor(db, OPEN_SLUG)).toEqual(before);
    const row = await db
      .selectFrom("signatures")
      .selectAll()
      .where("email", "=", "late@example.org")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", confirmed_at: null });
    expect(row.token_hash).not.toBeNull();
  });

  test("a signer who asks for a fresh link gets one that works, and the expired one stops working", async () => {
    await submit("late@example.org");
    const oldToken = await latestToken("late@example.org");
    const whenExpired = later(20 * DAY_MS);

    const petition = await resendConfirmation(db, oldToken, site, whenExpired);
    expect(petition?.slug).toBe(OPEN_SLUG);
    const emails = await outboxTo(db, "late@example.org");
    expect(emails).toHaveLength(2);
    expect(emails[1].created_at).toBe(whenExpired.toISOString());
    const freshToken = tokenIn(emails[1].text);
    expect(freshToken).not.toBe(oldToken);

    expect((await getConfirmationState(db, oldToken, whenExpired)).state).toBe("invalid");
    expect((await confirm(db, freshToken, later(20 * DAY_MS + 60_000))).state).toBe("confirmed");
    expect((await countsFor(db, OPEN_SLUG)).total).toBe(1);
    const row = await db
      .selectFrom("signatures")
      .selectAll()
      .where("email", "=", "late@example.org")
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("confirmed");
  });

  test("a fresh link lasts fourteen days from when it was asked for", async () => {
    await submit("late@example.org");
    const whenExpired = later(20 * DAY_MS);
    await resendConfirmation(db, await latestToken("late@example.org"), site, whenExpired);
    const fresh = await latestToken("late@example.org");
    const lastMoment = new Date(whenExpired.getTime() + CONFIRMATION_TTL_DAYS * DAY_MS - 1);
    expect((await getConfirmationState(db, fresh, lastMoment)).state).toBe("ready");
    expect((await getConfirmationState(db, fresh, new Date(lastMoment.getTime() + 1))).state).toBe("expired");
  });

  test(`fresh links count towards the limit of ${MAX_EMAILS_PER_SIGNATURE} emails per signature`, async () => {
    await submit("limit@example.org");
    let token = await latestToken("limit@example.org");
    // Each fresh link must itself have expired before the next can be asked for.
    const expiredAfter = (sent: number) => later(sent * 15 * DAY_MS);
    for (let sent = 1; sent < MAX_EMAILS_PER_SIGNATURE; sent++) {
      expect(await resendConfirmation(db, token, site, expiredAfter(sent))).not.toBeNull();
      token = await latestToken("limit@example.org");
    }
    expect(await resendConfirmation(db, token, site, expiredAfter(MAX_EMAILS_PER_SIGNATURE))).toBeNull();
    expect(await outboxTo(db, "limit@example.org")).toHaveLength(MAX_EMAILS_PER_SIGNATURE);
    expect(await submit("limit@example.org")).toBe("email_limit_reached");
    expect(await outboxTo(db, "limit@example.org")).toHaveLength(MAX_EMAILS_PER_SIGNATURE);
  });

  test("a link that still works cannot be used to send more emails", async () => {
    await submit("eager@example.org");
    expect(await resendConfirmation(db, await latestToken("eager@example.org"), site, later(DAY_MS))).toBeNull();
    expect(await outboxTo(db, "eager@example.org")).toHaveLength(1);
  });

  test("a confirmed signer cannot be sent fresh links with their used token", async () => {
    await submit("done@example.org");
    const token = await latestToken("done@example.org");
    expect((await confirm(db, token, T0)).state).toBe("confirmed");
    expect(await resendConfirmation(db, token, site, T0)).toBeNull();
    expect(await outboxTo(db, "done@example.org")).toHaveLength(1);
  });

  test("nonsense tokens confirm nothing and send nothing", async () => {
    for (const token of ["", "short", "A".repeat(43), "../../etc/passwd"]) {
      expect((await confirm(db, token, T0)).state).toBe("invalid");
      expect(await resendConfirmation(db, token, site, T0)).toBeNull();
    }
    expect(await rowCounts(db)).toEqual({ signatures: 0, outbox: 0 });
  });
});

describe("a petition that closes before the signer confirms", () => {
  test("a signer whose petition closed in the meantime is told so, and is not counted", async () => {
    const closed = await getPetition(db, CLOSED_SLUG);
    // Signed while it was open (the model does not check; the route does), confirmed after it closed.
    await storeSignature(db, { petition: closed, input: input({ email: "closed@example.org" }), site, now: T0 });
    const token = await latestToken("closed@example.org");
    expect((await confirm(db, token, T0)).state).toBe("closed");
    expect((await countsFor(db, CLOSED_SLUG)).total).toBe(0);
  });
});
