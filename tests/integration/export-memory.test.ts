import http from "node:http";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sessionCookie } from "../../app/services/session.server";
import { DAY_MS, expiresAt, newToken } from "../../app/lib/tokens.server";
import { findOrCreateUser } from "../../app/models/user.server";
import type { DB } from "../../db/connection";
import { startTestApp, type TestApp } from "../helpers/app";
import { CLOSED_SLUG, getPetition, OPEN_SLUG } from "../helpers/signing";

/**
 * The CSV export streams: the memory it holds while a download is under way
 * does not grow with the number of signatures, even when the browser stops
 * reading for a while (a slow phone connection). The server and this client
 * share the process, so the measure is the live heap plus Buffers after a
 * full garbage collection, taken while a download is paused halfway.
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
const SMALL = 20_000;
let bigId: number;
let smallId: number;

/** Confirmed signatures written straight into the database, a thousand rows a statement (half agreed to updates). */
async function seed(db: DB, petitionId: number, n: number) {
  const start = Date.UTC(2026, 5, 1);
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < n; from += 1000) {
      const rows = [];
      for (let i = from; i < Math.min(n, from + 1000); i++) {
        const at = new Date(start + i * 30_000).toISOString();
        const email = `signer-${petitionId}-${i}@example.org`;
        rows.push({
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
        });
      }
      await trx.insertInto("signatures").values(rows).execute();
    }
  });
}

type Download = {
  status: number;
  rows: number;
  emailsWhereConsented: number;
  emailsWithoutConsent: number;
  heldHalfway: number;
};

/**
 * Downloads the export, checking each line as it arrives and keeping none of
 * them. Halfway through it stops reading for a second, then measures.
 */
function download(petitionId: number, expectedRows: number, baseline: number): Promise<Download> {
  return new Promise((resolve, reject) => {
    const url = `${app.url}/organize/${petitionId}/export.csv`;
    http
      .get(url, { headers: { cookie } }, (res) => {
        const result: Download = {
          status: res.statusCode ?? 0,
          rows: -1,
          emailsWhereConsented: 0,
          emailsWithoutConsent: 0,
          heldHalfway: -1,
        };
        let carry = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          const lines = (carry + chunk).split("\r\n");
          carry = lines.pop()!;
          for (const line of lines) {
            result.rows += 1;
            if (result.rows === 0) continue; // the header
            const [, , , , email, agreed] = line.split(",");
            if (agreed === "yes" && email.endsWith("@example.org")) result.emailsWhereConsented += 1;
            if (agreed === "no" && email !== "") result.emailsWithoutConsent += 1;
          }
          if (result.heldHalfway < 0 && result.rows >= expectedRows / 2) {
            res.pause();
            result.heldHalfway = 0;
            setTimeout(() => {
              result.heldHalfway = liveBytes() - baseline;
              res.resume();
            }, 1_000);
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

test("exporting 100,000 signatures holds no more memory than exporting 20,000", async () => {
  // A first, small download warms up the route, the build and the database pages.
  await download(smallId, SMALL, liveBytes());

  const smallBaseline = liveBytes();
  const small = await download(smallId, SMALL, smallBaseline);
  const bigBaseline = liveBytes();
  const big = await download(bigId, BIG, bigBaseline);

  expect(small).toMatchObject({ status: 200, rows: SMALL, emailsWhereConsented: SMALL / 2, emailsWithoutConsent: 0 });
  expect(big).toMatchObject({ status: 200, rows: BIG, emailsWhereConsented: BIG / 2, emailsWithoutConsent: 0 });

  // 100,000 rows are about 9 MB of CSV and far more as objects: holding them would show.
  const MB = 1024 * 1024;
  expect(big.heldHalfway).toBeLessThan(8 * MB);
  expect(big.heldHalfway).toBeLessThan(Math.max(small.heldHalfway, 0) * 2 + 4 * MB);
  // Nothing is left behind once the downloads are over.
  expect(liveBytes() - smallBaseline).toBeLessThan(8 * MB);
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
  // An error left unhandled when the stream is cancelled would end this process before the next request.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  const res = await fetch(`${app.url}/organize/${smallId}/export.csv`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect((await res.text()).split("\r\n").filter(Boolean)).toHaveLength(SMALL + 1);
});
