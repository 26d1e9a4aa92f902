import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser, makePetition, signedIn } from "../helpers/session";
import { OPEN_SLUG, outboxTo, signingForm } from "../helpers/signing";

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ worker: false, env: { PAGE_CACHE_MS: "1000" } });
});
afterAll(async () => {
  await app?.stop();
});

const frameAncestors = (res: Response) =>
  res.headers
    .get("content-security-policy")
    ?.split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("frame-ancestors"));

describe("an organisation framing the widget on its own site", () => {
  test("may frame the widget and its answer, and no other page of the site", async () => {
    for (const path of [`/embed/${OPEN_SLUG}`, `/embed/${OPEN_SLUG}/sent`]) {
      const res = await browser(app).get(path);
      expect(res.status, path).toBe(200);
      expect(frameAncestors(res), path).toBe("frame-ancestors *");
      expect(res.headers.get("x-frame-options"), path).toBeNull();
    }
    for (const path of [`/petitions/${OPEN_SLUG}`, "/", "/sign-in", "/privacy"]) {
      const res = await browser(app).get(path);
      expect(frameAncestors(res), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });

  test("loads the resizer from its own page, which the site lets other origins load", async () => {
    const res = await browser(app).get("/widget.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    // It believes only messages from the site that served it.
    expect(await res.text()).toContain("event.origin !== origin");
  });

  test("gets the widget from the whole-page cache, with a fresh form stamp, and no cookie", async () => {
    const first = await browser(app).get(`/embed/${OPEN_SLUG}`);
    const second = await browser(app).get(`/embed/${OPEN_SLUG}`);
    const stamp = (html: string) => html.match(/name="started" value="([^"]+)"/)?.[1];
    const [a, b] = [await first.text(), await second.text()];
    expect(first.headers.get("set-cookie")).toBeNull();
    expect(first.headers.get("etag")).toBe(second.headers.get("etag"));
    expect(a).toContain('name="robots" content="noindex"');
    // The form's time stamp is the page's own field, made afresh for each response: no cookie carries it.
    expect(stamp(a)).toBeTruthy();
    expect(stamp(b)).toBeTruthy();
    expect(stamp(a)).not.toBe(stamp(b));
  });
});

describe("a supporter signing inside the widget", () => {
  test("is taken to the widget's own 'check your email' answer, and the confirmation is in the outbox", async () => {
    const res = await browser(app).post(`/embed/${OPEN_SLUG}`, signingForm({ email: "framed@example.org" }), {
      origin: app.url,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/embed/${OPEN_SLUG}/sent`);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await outboxTo(app.db, "framed@example.org")).toHaveLength(1);
  });

  test("sees the problem beside the field with a 400, everything else kept", async () => {
    const res = await browser(app).post(`/embed/${OPEN_SLUG}`, signingForm({ email: "nope", name: "Kept Name" }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="sign-email-error"');
    expect(html).toContain('value="Kept Name"');
  });

  test("finds no widget for a campaign that is not published", async () => {
    const owner = await signedIn(app, "drafter@example.org");
    const draft = await makePetition(app, { state: "draft", owner });
    expect((await browser(app).get(`/embed/${draft.slug}`)).status).toBe(404);
    expect((await browser(app).get("/embed/no-such-campaign")).status).toBe(404);
  });
});

describe("an organizer of an open campaign", () => {
  test("finds the widget's code on the dashboard", async () => {
    const owner = await signedIn(app, "organizer@example.org");
    const petition = await makePetition(app, { state: "open", owner });
    const html = await (await browser(app, owner).get(`/organize/${petition.id}`)).text();
    expect(html).toContain(`&lt;iframe src=&quot;${app.url}/embed/${petition.slug}&quot;`);
    expect(html).toContain(`&lt;script src=&quot;${app.url}/widget.js&quot; async&gt;&lt;/script&gt;`);
  });
});
