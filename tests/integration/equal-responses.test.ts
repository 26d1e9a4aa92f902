import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { confirm } from "../../app/services/signing.server";
import { findOrCreateUser } from "../../app/models/user.server";
import { SignatureForm } from "../../app/schemas/signature.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser } from "../helpers/session";
import {
  getPetition,
  OPEN_SLUG,
  outboxTo,
  signingForm,
  tokenIn,
  withoutNonces,
  storeSignature,
} from "../helpers/signing";

/*
 * The site never says whether an address has signed (docs/decisions/0005) or has an account
 * (docs/decisions/0006). Three forms take an address: signing, "email me a sign-in link" and "email me
 * my manage links". For each, an address the site knows and one it has never seen get the same answer:
 * the same status, the same Location, the same headers, the same page after the redirect, and about
 * the same time. Only the mailbox learns the difference.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app.stop();
});

const ROUNDS = 30;
let fresh = 0;
const unknownAddress = () => `never-seen-${++fresh}@example.org`;

/** Every header but the date, with the response's nonce taken out: what must match between two answers. */
function comparableHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of res.headers)
    if (!["date", "content-length"].includes(k)) out[k] = v.replace(/'nonce-[^']+'/g, "'nonce-'");
  return out;
}

type Answer = {
  status: number;
  location: string | null;
  headers: Record<string, string>;
  body: string;
  next: string | null;
};

/** Posts the form, then follows the redirect as a browser would, keeping what a person (or a script) could compare. */
async function answer(path: string, fields: Record<string, string>): Promise<Answer> {
  const res = await browser(app).post(path, fields);
  const location = res.headers.get("location");
  const body = withoutNonces(await res.text());
  const next = location ? withoutNonces(await (await browser(app).get(location)).text()) : null;
  return { status: res.status, location, headers: comparableHeaders(res), body, next };
}

/** How long the form takes to answer (not counting the page it redirects to), in milliseconds. */
async function timed(path: string, fields: Record<string, string>): Promise<number> {
  const start = process.hrtime.bigint();
  const res = await browser(app).post(path, fields);
  await res.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  expect(res.status).toBe(302);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Alternates known and unknown addresses, ROUNDS of each, after a short warm-up, and compares the
 * medians. This is a sanity bound, not a performance target and not a proof of constant time: it
 * catches a form that does visibly more work for one kind of address (an extra email rendered and
 * sent inline, a slow look-up skipped for unknown addresses), which a stopwatch on the internet could
 * see. The factor of 3 and the 5 ms floor leave room for a loaded test machine; the medians ignore
 * the odd slow request.
 */
async function expectSimilarTimes(
  path: string,
  known: () => Record<string, string>,
  unknown: () => Record<string, string>,
) {
  for (let i = 0; i < 3; i++) {
    await timed(path, known());
    await timed(path, unknown());
  }
  const k: number[] = [];
  const u: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    k.push(await timed(path, known()));
    u.push(await timed(path, unknown()));
  }
  const [mk, mu] = [median(k), median(u)];
  expect(mk, `known ${mk.toFixed(1)} ms against unknown ${mu.toFixed(1)} ms`).toBeLessThan(3 * Math.max(mu, 5));
  expect(mu, `unknown ${mu.toFixed(1)} ms against known ${mk.toFixed(1)} ms`).toBeLessThan(3 * Math.max(mk, 5));
}

/** A queue of addresses of one kind, each used once, so that no per-address limit changes what a request does. */
function supply(addresses: string[]): () => string {
  let i = 0;
  return () => {
    if (i >= addresses.length) throw new Error("Ran out of prepared addresses");
    return addresses[i++];
  };
}

/** Addresses with a signature on the petition: confirmed, or (if `confirmed` is false) still pending. */
async function signers(prefix: string, n: number, confirmed: boolean): Promise<string[]> {
  const petition = await getPetition(app.db, OPEN_SLUG);
  const site = { appUrl: app.config.appUrl };
  const emails: string[] = [];
  for (let i = 0; i < n; i++) {
    const email = `${prefix}-${i}@example.org`;
    const input = SignatureForm.parse(signingForm({ email, name: `Signer ${i}` }));
    await storeSignature(app.db, { petition, input, site });
    if (confirmed) {
      const [mail] = await outboxTo(app.db, email);
      expect((await confirm(app.db, tokenIn(mail.text))).state).toBe("confirmed");
    }
    emails.push(email);
  }
  return emails;
}

const N = ROUNDS + 4;

describe("signing", () => {
  const path = `/petitions/${OPEN_SLUG}`;

  test("a confirmed signer, a pending one and a stranger get the same answer and the same page", async () => {
    const [confirmed] = await signers("answer-confirmed", 1, true);
    const [pending] = await signers("answer-pending", 1, false);
    const answers = [
      await answer(path, signingForm({ email: confirmed })),
      await answer(path, signingForm({ email: pending })),
      await answer(path, signingForm({ email: unknownAddress() })),
    ];
    expect(answers[0].status).toBe(302);
    expect(answers[0].location).toBe(`/petitions/${OPEN_SLUG}/check-email`);
    expect(answers[0].next).toContain("Check your email");
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    // Only the mailboxes differ: "you have already signed" for one, a confirmation link for the others.
    expect((await outboxTo(app.db, confirmed)).map((m) => m.kind)).toEqual(["confirm-signature", "already-signed"]);
  });

  test("takes about as long for a confirmed signer as for a stranger", async () => {
    const known = supply(await signers("timing-confirmed", N, true));
    await expectSimilarTimes(
      path,
      () => signingForm({ email: known() }),
      () => signingForm({ email: unknownAddress() }),
    );
  });
});

describe("asking for a sign-in link", () => {
  test("an address with an account and one without get the same answer and the same page", async () => {
    await findOrCreateUser(app.db, "organizer@example.org");
    const a = await answer("/sign-in", { email: "organizer@example.org", redirectTo: "/account" });
    const b = await answer("/sign-in", { email: unknownAddress(), redirectTo: "/account" });
    expect(a.status).toBe(302);
    expect(a.location).toBe("/sign-in/check-email");
    expect(a.next).toContain("Check your email");
    expect(b).toEqual(a);
  });

  test("takes about as long for an address with an account as for one without", async () => {
    const accounts: string[] = [];
    for (let i = 0; i < N; i++) accounts.push((await findOrCreateUser(app.db, `account-${i}@example.org`)).email);
    const known = supply(accounts);
    await expectSimilarTimes(
      "/sign-in",
      () => ({ email: known(), redirectTo: "/account" }),
      () => ({ email: unknownAddress(), redirectTo: "/account" }),
    );
  });
});

describe("asking for manage links", () => {
  test("an address that has signed and one that has not get the same answer and the same page", async () => {
    const [signer] = await signers("links-answer", 1, true);
    const a = await answer("/signature/request", { email: signer });
    const b = await answer("/signature/request", { email: unknownAddress() });
    expect(a.status).toBe(302);
    expect(a.location).toBe("/signature/check-email");
    expect(a.next).toContain("Check your email");
    expect(b).toEqual(a);
    // The email goes after the answer: wait for it, to show that the known address was recognised.
    await expect.poll(async () => (await outboxTo(app.db, signer)).map((m) => m.kind)).toContain("manage-links");
  });

  test("takes about as long for an address that has signed as for one that has not", async () => {
    const known = supply(await signers("links-timing", N, true));
    await expectSimilarTimes(
      "/signature/request",
      () => ({ email: known() }),
      () => ({ email: unknownAddress() }),
    );
  });
});
