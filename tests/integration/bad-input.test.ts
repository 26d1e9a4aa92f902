import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_FORM_BYTES } from "../../app/lib/form.server";
import { MAX_BODY_BYTES } from "../../server/app";
import { postForm, startTestApp, type TestApp } from "../helpers/app";
import { CLOSED_SLUG, countsFor, fieldError, OPEN_SLUG, rawPost, rowCounts, signingForm } from "../helpers/signing";

// No mail worker: these tests look at what was written to the outbox, and nothing should be.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ worker: false });
});
afterAll(async () => {
  await app.stop();
});

const petitionUrl = (slug = OPEN_SLUG) => `${app.url}/petitions/${slug}`;

/** Posts a form and checks it was turned away with nothing stored. */
async function refused(fields: Record<string, string>, status = 400, slug = OPEN_SLUG): Promise<string> {
  const before = await rowCounts(app.db);
  const res = await postForm(petitionUrl(slug), fields);
  const html = await res.text();
  expect(res.status).toBe(status);
  expect(await rowCounts(app.db)).toEqual(before);
  return html;
}

/** The whole opening tag of the input with this id, whatever order its attributes come in. */
function inputTag(html: string, id: string): string {
  const tag = (html.match(/<input\b[^>]*>/g) ?? []).find((t) => t.includes(` id="${id}"`));
  if (!tag) throw new Error(`No input with id ${id}`);
  return tag;
}

function inputValue(html: string, id: string): string | undefined {
  return inputTag(html, id).match(/ value="([^"]*)"/)?.[1];
}

describe("a signer who makes a mistake in the form", () => {
  test("a signer who leaves out their name is told beside the name field, and keeps everything else they typed", async () => {
    const html = await refused(
      signingForm({
        name: "",
        email: "ada@example.org",
        country: "FR",
        postcode: "75001",
        nameDisplay: "first_initial",
        updates: "yes",
      }),
    );
    expect(fieldError(html, "name")).toBe("Enter your name");
    expect(inputTag(html, "sign-name")).toContain('aria-invalid="true"');
    expect(inputTag(html, "sign-name")).toContain('aria-describedby="sign-name-error"');
    expect(fieldError(html, "email")).toBeNull();
    expect(inputValue(html, "sign-email")).toBe("ada@example.org");
    expect(inputValue(html, "sign-postcode")).toBe("75001");
    expect(html).toContain('<option value="FR" selected="">');
    expect(inputTag(html, "sign-name-display-first_initial")).toContain('checked=""');
    expect(inputTag(html, "sign-name-display-hidden")).not.toContain("checked");
    expect(inputTag(html, "sign-updates")).toContain('checked=""');
    // The summary at the top links to the field.
    expect(html).toContain('<a href="#sign-name">Enter your name</a>');
  });

  test("a signer who mistypes their email address is told beside the email field", async () => {
    const html = await refused(signingForm({ name: "Ada Lovelace", email: "ada-at-example.org" }));
    expect(fieldError(html, "email")).toBe("Enter an email address like name@example.org");
    expect(fieldError(html, "name")).toBeNull();
    expect(inputValue(html, "sign-name")).toBe("Ada Lovelace");
    expect(inputValue(html, "sign-email")).toBe("ada-at-example.org");
  });

  test("a signer who sends a country that is not on the list is asked to choose one", async () => {
    const html = await refused(signingForm({ name: "Ada Lovelace", country: "ZZ" }));
    expect(fieldError(html, "country")).toBe("Choose your country from the list");
    expect(inputValue(html, "sign-name")).toBe("Ada Lovelace");
  });

  test("a signer whose answers are too long is told the limits beside each field", async () => {
    const longName = "N".repeat(101);
    const longEmail = `${"e".repeat(64)}@${"x".repeat(186)}.org`;
    const html = await refused(signingForm({ name: longName, email: longEmail, postcode: "P".repeat(17) }));
    expect(fieldError(html, "name")).toBe("Your name must be 100 characters or fewer");
    expect(fieldError(html, "email")).toBe("Your email address must be 254 characters or fewer");
    expect(fieldError(html, "postcode")).toBe("Postcodes are 16 characters or fewer");
    expect(inputValue(html, "sign-name")).toBe(longName);
    expect(html).toContain('<option value="GB" selected="">');
  });

  test("a form that says something other than yes to updates is refused", async () => {
    const html = await refused(signingForm({ updates: "please" }));
    expect(fieldError(html, "updates")).toBe("That answer to the updates question is not one we offered");
  });
});

describe("requests the site turns away", () => {
  test("a client declaring a body over 64 KB is refused with 413 before anything reads it", async () => {
    const before = await rowCounts(app.db);
    const size = MAX_BODY_BYTES + 1;
    const res = await rawPost(petitionUrl(), {
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(size) },
      chunks: [Buffer.alloc(size, "a")],
    });
    expect(res.status).toBe(413);
    expect(await rowCounts(app.db)).toEqual(before);
  });

  test("a form declaring more than 16 KB is refused with 413", async () => {
    const body = Buffer.from(new URLSearchParams(signingForm({ postcode: "x".repeat(MAX_FORM_BYTES) })).toString());
    const res = await rawPost(petitionUrl(), {
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) },
      chunks: [body],
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain("That was too much to send");
  });

  test("a chunked body that grows past 16 KB without declaring its length is refused with 413 and nothing stored", async () => {
    const before = await rowCounts(app.db);
    const start = Buffer.from(
      `${new URLSearchParams(signingForm({ email: "chunky@example.org" })).toString()}&postcode=`,
    );
    const res = await rawPost(petitionUrl(), {
      headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      chunks: [start, ...Array.from({ length: 20 }, () => Buffer.alloc(1024, "x"))],
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain("That was too much to send");
    expect(await rowCounts(app.db)).toEqual(before);
  });

  test("a bot that fills in the hidden field is sent where a person would be, and nothing is kept", async () => {
    const before = await rowCounts(app.db);
    const res = await postForm(
      petitionUrl(),
      signingForm({ email: "bot@example.org", website: "https://spam.example" }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/petitions/${OPEN_SLUG}/check-email`);
    expect(await rowCounts(app.db)).toEqual(before);
  });

  test("a signer who follows a link to a campaign that does not exist gets a 404", async () => {
    const before = await rowCounts(app.db);
    const res = await postForm(`${app.url}/petitions/no-such-campaign`, signingForm());
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Page not found");
    expect((await fetch(`${app.url}/petitions/no-such-campaign`)).status).toBe(404);
    expect(await rowCounts(app.db)).toEqual(before);
  });

  test("a signer who posts to a closed campaign gets 409, is told it is closed, and nothing is stored", async () => {
    const counts = await countsFor(app.db, CLOSED_SLUG);
    const html = await refused(signingForm({ email: "late@example.org" }), 409, CLOSED_SLUG);
    expect(html).toContain("This petition is closed");
    expect(html).not.toContain('id="sign-name"');
    expect(await countsFor(app.db, CLOSED_SLUG)).toEqual(counts);
  });
});
