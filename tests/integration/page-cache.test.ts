import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setSetting } from "../../app/models/settings.server";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { getPetition, OPEN_SLUG, signingForm } from "../helpers/signing";

// Long enough that no test, however slow the machine, outlives it by accident: tests age the cache's pages
// by moving its clock on (app.pageCacheClock).
const TTL_MS = 60_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { PAGE_CACHE_MS: String(TTL_MS) } });
});
afterAll(async () => {
  await app.stop();
});

const pageUrl = () => `${app.url}/petitions/${OPEN_SLUG}`;
/** The count the page shows, as "1,234 signatures". */
async function shownCount(): Promise<string> {
  const html = await (await fetch(pageUrl())).text();
  const match = html.match(/<p class="progress-count"><strong>([\d,]+)<\/strong>/);
  if (!match) throw new Error("no count on the page");
  return match[1];
}

describe("with PAGE_CACHE_MS set, a campaign page", () => {
  test("is served from memory within the TTL and read afresh after it", async () => {
    const petition = await getPetition(app.db, OPEN_SLUG);
    const before = await shownCount();
    await app.db
      .updateTable("petitions")
      .set({ signature_count: petition.signature_count + 1000 })
      .where("id", "=", petition.id)
      .execute();
    // Within the TTL: the page read a moment ago is served again.
    expect(await shownCount()).toBe(before);
    app.pageCacheClock.advance(TTL_MS + 1);
    expect(await shownCount()).toBe((petition.signature_count + 1000).toLocaleString("en-GB"));
  });

  test("never lets a signature through a pause it has not caught up with yet: signing reads afresh", async () => {
    await shownCount(); // the page, with its signing form, is now in the cache
    await setSetting(app.db, "signing_paused_message", "Paused for a check.");
    try {
      const res = await postForm(pageUrl(), signingForm({ email: "during-cached-pause@example.org" }));
      expect(res.status).toBe(409);
      const stored = await app.db
        .selectFrom("signatures")
        .select("id")
        .where("email", "=", "during-cached-pause@example.org")
        .executeTakeFirst();
      expect(stored).toBeUndefined();
    } finally {
      await setSetting(app.db, "signing_paused_message", null);
    }
  });
});
