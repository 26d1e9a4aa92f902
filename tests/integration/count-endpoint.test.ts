import http from "node:http";
import type { AddressInfo } from "node:net";
import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";
import { countIn } from "../../app/models/counts.server";
import { seedDemoPetitions } from "../../db/seed";
import { countEndpoint } from "../../server/count-endpoint";
import { tempDb } from "../helpers/app";
import { getPetition, OPEN_SLUG } from "../helpers/signing";

/*
 * The count endpoint takes a crowd: however many ask, each process reads a campaign's count at most once
 * per interval, and never per request.
 */

let t: Awaited<ReturnType<typeof tempDb>>;
let server: http.Server;
let url: string;
let reads = 0;
let clock = Date.parse("2026-12-07T12:00:00.000Z");
const REFRESH_MS = 2000;

beforeAll(async () => {
  t = await tempDb();
  await seedDemoPetitions(t.db, renderMarkdown);
  const counting: KyselyPlugin = {
    transformQuery: ({ node }) => {
      reads++;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const handler = countEndpoint({ db: t.db.withPlugin(counting), refreshMs: REFRESH_MS, now: () => clock });
  server = http.createServer((req, res) =>
    handler(req, res, () => {
      res.writeHead(418);
      res.end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.cleanup();
});

const countOf = async (slug = OPEN_SLUG) => {
  const res = await fetch(`${url}/api/petitions/${slug}/count.json`);
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
};

describe("a crowd polling a campaign's count", () => {
  test("two hundred visitors at once cost one read, and so do the next ones within the interval", async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, () => countOf()));
    expect(new Set(answers.map((a) => a.body.signature_count)).size).toBe(1);
    expect(reads).toBe(1);
    clock += REFRESH_MS - 1;
    await Promise.all(Array.from({ length: 50 }, () => countOf()));
    expect(reads).toBe(1);
  });

  test("after the interval one request starts one read, and the new count is served once it is in", async () => {
    const before = (await countOf()).body.signature_count;
    const petition = await getPetition(t.db, OPEN_SLUG);
    await t.db
      .transaction()
      .execute((trx) => countIn(trx, petition.id, [{ country: "GB", confirmed_at: new Date(clock).toISOString() }]));
    clock += REFRESH_MS;
    const readsBefore = reads;
    await Promise.all(Array.from({ length: 50 }, () => countOf()));
    expect(reads).toBe(readsBefore + 1);
    await expect.poll(async () => (await countOf()).body.signature_count).toBe(before + 1);
    expect(reads).toBe(readsBefore + 1);
  });

  test("asking again and again for a campaign that does not exist reads once per interval too", async () => {
    const readsBefore = reads;
    for (let i = 0; i < 20; i++) expect((await countOf("no-such-campaign")).status).toBe(404);
    expect(reads).toBe(readsBefore + 1);
  });

  test("other addresses go on to the rest of the app", async () => {
    expect((await fetch(`${url}/api/petitions/${OPEN_SLUG}/count.jsonx`)).status).toBe(418);
    expect((await fetch(`${url}/api/petitions/${OPEN_SLUG}/count.json`, { method: "POST" })).status).toBe(418);
  });
});
