/**
 * Before starting a campaign, an organizer sees the ones that already ask something similar: as they type the
 * title (`/start/similar`, which the start form's script asks), and without JavaScript on their saved draft.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { similarPetitions } from "../../app/models/browse.server";
import { startTestApp, type TestApp } from "../helpers/app";
import { BATTERY } from "../helpers/hostile";
import { browser, completePetition, makePetition, signedIn, type Person } from "../helpers/session";
import { OPEN_SLUG } from "../helpers/signing";

let app: TestApp;
let olu: Person;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
  olu = await signedIn(app, "olu.organizer@example.org");
});
afterAll(async () => {
  await app?.stop();
});

async function similarTo(title: string) {
  const res = await fetch(`${app.url}/start/similar?${new URLSearchParams({ title })}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { petitions: { slug: string; title: string; state: string }[] }).petitions;
}

describe("campaigns like the title being written", () => {
  test("a title that shares words with a campaign finds it first, even when it shares only some of them", async () => {
    const found = await similarTo("Bring the Merseyside approach to policing to Wales");
    expect(found[0]).toMatchObject({ slug: OPEN_SLUG, state: "open" });
    expect(found.length).toBeLessThanOrEqual(5);
  });

  test("a title with nothing in common, or only small words, finds nothing", async () => {
    expect(await similarTo("Plant apple trees along Quayside")).toEqual([]);
    expect(await similarTo("the of and or")).toEqual([]);
    expect(await similarTo("")).toEqual([]);
  });

  test("drafts and campaigns under review are never suggested", async () => {
    const draft = await makePetition(app, {
      state: "draft",
      owner: olu,
      input: completePetition({ title: "Merseyside policing draft nobody may see" }),
    });
    const found = await similarPetitions(app.db, "Merseyside policing draft nobody may see");
    expect(found.map((p) => p.slug)).not.toContain(draft.slug);
  });

  test("whatever is typed, the answer is a list and never an error", async () => {
    for (const payload of BATTERY) {
      const found = await similarTo(payload.value);
      expect(Array.isArray(found), payload.label).toBe(true);
    }
    // Far longer than the title field allows: cut to the search's limit, not refused.
    expect((await similarTo("Merseyside ".repeat(100)))[0]).toMatchObject({ slug: OPEN_SLUG });
  });

  test("without JavaScript, a saved draft's page shows the campaigns like its title, each a link", async () => {
    const draft = await makePetition(app, {
      state: "draft",
      owner: olu,
      input: completePetition({ title: "Make the Merseyside model the rule in every police force" }),
    });
    const page = await (await browser(app, olu).get(`/organize/${draft.id}/edit`)).text();
    expect(page).toContain('<h2 id="similar-heading">Similar campaigns</h2>');
    expect(page).toContain(`href="/petitions/${OPEN_SLUG}"`);
  });
});
