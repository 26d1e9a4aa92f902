import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sessionCookie } from "../../app/services/session.server";
import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { allConfirmedSignatures } from "../../app/models/dashboard.server";
import { findOrCreateUser } from "../../app/models/user.server";
import type { DB } from "../../db/connection";
import { startTestApp, type TestApp } from "../helpers/app";
import { CLOSED_SLUG, getPetition, OPEN_SLUG } from "../helpers/signing";

/**
 * The CSV export streams: it is read from the database a page at a time as
 * the browser takes it, so a signature confirmed after the first rows have
 * gone out is still in the file (at its end), and the memory a download holds
 * does not grow with the number of signatures. The server and this client
 * share the process, so the memory measure is the live heap plus Buffers
 * after a full garbage collection, taken while a download is paused halfway,
 * and it is weighed against the size of the file itself, not a number of
 * megabytes that depends on the machine.
 */

v8.setFlagsFromString("--expose-gc");
const gc = ((globalThis as { gc?: () => void }).gc ?? vm.runInNewContext("gc")) as () => void;

function liveBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

let app: TestApp;
let cookie: string;
const BIG = 100_000;
const SMALL = 10_000;
let bigId: number;
let smallId: number;
const SEED_START = Date.UTC(2026, 5, 1);

/** A confirmed signature's row, written straight into the database (half agreed to updates). */
function signatureRow(petitionId: number, i: number, at = new Date(SEED_START + i * 30_000).toISOString()) {
  const email = `signer-${petitionId}-${i}@example.org`;
  return {
    petition_id: petitionId,
    name: `Signer ${i} of ${petitionId}`,
    email,
    canonical_email: email,
    country: i % 3 ? "GB" : "IE",
    postcode: "L1 8JQ",
    name_display: "full" as const,
    updates_consent: i % 2,
    consent_wording_version: "updates-v1",
    status: "confirmed" as const,
    created_at: at,
    updated_at: at,
    confirmed_at: at,
  };
}

/** `n` confirmed signatures, a thousand rows a statement. */
async function seed(db: DB, petitionId: number, n: number) {
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < n; from += 1000) {
      const rows = [];
      for (let i = from; i < Math.min(n, from + 1000); i++) rows.push(signatureRow(petitionId, i));
      await trx.insertInto("signatures").values(rows).execute();
    }
  });
}

type Download = {
  status: number;
  rows: number;
  bytes: number;
  emailsWhereConsented: number;
  emailsWithoutConsent: number;
  lastName: string;
  heldHalfway: number;
};

/**
 * Downloads the export, checking each line as it arrives and keeping none of
 * them. When the first rows arrive, `onFirstRows` runs before reading on;
 * halfway through it stops reading and measures what is held.
 */
function download(
  petitionId: number,
  expectedRows: number,
  baseline: number,
  onFirstRows: () => Promise<unknown> = async () => {},
): Promise<Download> {
  return new Promise((resolve, reject) => {
    const url = `${app.url}/organize/${petitionId}/export.csv`;
    http
      .get(url, { headers: { cookie } }, (res) => {
        const result: Download = {
          status: res.statusCode ?? 0,
          rows: -1,
          bytes: 0,
          emailsWhereConsented: 0,
          emailsWithoutConsent: 0,
          lastName: "",
          heldHalfway: -1,
        };
        let carry = "";
        let firstRows = true;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          result.bytes += Buffer.byteLength(chunk);
          const lines = (carry + chunk).split("\r\n");
          carry = lines.pop()!;
          for (const line of lines) {
            result.rows += 1;
            if (result.rows === 0) continue; // the header
            const [name, , , , email, agreed] = line.split(",");
            result.lastName = name;
            if (agreed === "yes" && email.endsWith("@example.org")) result.emailsWhereConsented += 1;
            if (agreed === "no" && email !== "") result.emailsWithoutConsent += 1;
          }
          if (firstRows) {
            firstRows = false;
            res.pause();
            onFirstRows().then(() => res.resume(), reject);
          } else if (result.heldHalfway < 0 && result.rows >= expectedRows / 2) {
            result.heldHalfway = liveBytes() - baseline;
          }
        });
        res.on("end", () => {
          if (carry) result.rows += 1;
          resolve(result);
        });
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  bigId = (await getPetition(app.db, OPEN_SLUG)).id;
  smallId = (await getPetition(app.db, CLOSED_SLUG)).id;
  const owner = await findOrCreateUser(app.db, "owner@example.org");
  const now = new Date();
  await app.db
    .insertInto("petition_organizers")
    .values(
      [bigId, smallId].map((petition_id) => ({
        petition_id,
        user_id: owner.id,
        role: "owner" as const,
        created_at: now.toISOString(),
      })),
    )
    .execute();
  const session = newToken();
  await app.db
    .insertInto("sessions")
    .values({
      id_hash: session.hash,
      user_id: owner.id,
      created_at: now.toISOString(),
      expires_at: expiresAt(now, DAY_MS),
    })
    .execute();
  cookie = (await sessionCookie(app.config).serialize(session.token)).split(";")[0];
  await seed(app.db, bigId, BIG);
  await seed(app.db, smallId, SMALL);
});

afterAll(async () => {
  await app?.stop();
});

test("an organizer exporting 100,000 signatures gets them as they are read, in no more memory than 10,000 take", async () => {
  // A first, small download warms up the route, the build and the database pages.
  await download(smallId, SMALL, liveBytes());

  const smallBaseline = liveBytes();
  const small = await download(smallId, SMALL, smallBaseline);
  // Someone confirms while the organizer's download has only just begun: had the export been read
  // whole before its first rows went out, they would not be in it.
  const late = signatureRow(bigId, BIG, new Date(SEED_START + BIG * 30_000 + 60_000).toISOString());
  const bigBaseline = liveBytes();
  const big = await download(bigId, BIG + 1, bigBaseline, () => app.db.insertInto("signatures").values(late).execute());

  expect(small).toMatchObject({ status: 200, rows: SMALL, emailsWhereConsented: SMALL / 2, emailsWithoutConsent: 0 });
  expect(big).toMatchObject({
    status: 200,
    rows: BIG + 1,
    emailsWhereConsented: BIG / 2,
    emailsWithoutConsent: 0,
    lastName: late.name,
  });

  // Held as rows, the 90,000 more signatures would take more memory than their CSV (several times
  // more, as objects); streamed, the two downloads hold the same buffers.
  const moreCsv = big.bytes - small.bytes;
  expect(moreCsv).toBeGreaterThan(5_000_000);
  expect(big.heldHalfway - small.heldHalfway).toBeLessThan(moreCsv / 2);
  // Nothing is left behind once the downloads are over.
  expect(liveBytes() - smallBaseline).toBeLessThan(moreCsv / 2);
});

test("a download abandoned halfway ends quietly, and the server carries on", async () => {
  await new Promise<void>((resolve, reject) => {
    const req = http.get(`${app.url}/organize/${bigId}/export.csv`, { headers: { cookie } }, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? undefined : reject(err)));
  });
  // An error left unhandled when the stream is cancelled would end this process before the next request:
  // wait until the server has seen the connection close.
  await expect.poll(() => openConnections(app.server)).toBe(0);
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  const res = await fetch(`${app.url}/organize/${smallId}/export.csv`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect((await res.text()).split("\r\n").filter(Boolean)).toHaveLength(SMALL + 1);
});

function openConnections(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

test("while an export is read, the process turns its event loop at least every 100 rows", async () => {
  // Another request's next step (on PostgreSQL, each of its statements) waits for the next turn: at a page of
  // 1,000 rows between turns, sign POSTs during an export took five times as long.
  let reading = true;
  let sinceTurn = 0;
  let longest = 0;
  const turn = () => {
    sinceTurn = 0;
    if (reading) setImmediate(turn);
  };
  setImmediate(turn);
  let rows = 0;
  for await (const row of allConfirmedSignatures(app.db, smallId)) {
    expect(row.confirmed_at).not.toBeNull();
    rows += 1;
    longest = Math.max(longest, ++sinceTurn);
  }
  reading = false;
  expect(rows).toBe(SMALL);
  expect(longest).toBeLessThanOrEqual(100);
});
