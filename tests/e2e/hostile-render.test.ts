import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { useBrowser } from "../helpers/browser";
import { PWN } from "../helpers/hostile";
import { makePetition, signedIn, type MadePetition, type Person } from "../helpers/session";
import { outboxTo, tokenIn } from "../helpers/signing";
import { petitionSubmission } from "../../app/schemas/petition.server";

/*
 * The battery, rendered by a real browser. A petition is written, through the model functions the
 * routes use, with markup in every field; a signer signs it through the form with markup for a name.
 * Every payload tries to set window.__pwned, and window.alert, confirm and prompt are replaced before
 * any page script runs, so that a payload that ran anywhere, in any frame, leaves a trace. Content
 * Security Policy violations are recorded too: a payload that reached the page live would be blocked
 * by the policy and reported, so an empty list says the markup never became markup at all.
 */

let app: TestApp;
let owner: Person;
let moderator: Person;
let petition: MadePetition;
const browser = useBrowser();

const SIGNER = { name: `${PWN.img} ${PWN.svg}`.slice(0, 100), email: "hostile-signer@example.org" };

beforeAll(async () => {
  app = await startTestApp({ worker: false });
  owner = await signedIn(app, "hostile-organizer@example.org");
  moderator = await signedIn(app, "hostile-moderator@example.org", ["moderator"]);
  const input = petitionSubmission(new Date()).parse({
    title: `${PWN.script} ${PWN.img}`,
    summary: `${PWN.svg} ${PWN.img} '; DROP TABLE signatures; -- \u202eSummary\u2066`,
    body: [
      `# ${PWN.script}`,
      PWN.img,
      `${PWN.jsLink} and [y](JaVaScRiPt:window.__pwned=2) and [z](&#106;avascript:window.__pwned=3)`,
      `${PWN.autolink} and ${PWN.svg} and <a href="javascript:window.__pwned=4">a</a>`,
      `![i](javascript:window.__pwned=5) <iframe src="javascript:window.__pwned=6"></iframe> <object data="javascript:window.__pwned=7"></object>`,
      `<a href="data:text/html,<script>window.top.__pwned=8</script>">d</a> <form action="javascript:window.__pwned=9"><button>b</button></form>`,
      `<details open ontoggle="window.__pwned=10">x</details> <math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=11">`,
      `| a | b |\n|---|---|\n| <img src=x onerror="window.__pwned=12"> | <b onmouseover="window.__pwned=13">b</b> |`,
      "\u0000\u0007\u001b \u200b\u200d\ufeff \ud800 and enough ordinary words to pass the minimum length of the text.",
    ].join("\n\n"),
    decisionMakers: [
      { name: PWN.img, role: PWN.script },
      { name: `${PWN.svg} council`, role: "javascript:window.__pwned=14" },
    ],
    goal: "",
    closesOn: "",
  });
  petition = await makePetition(app, { state: "open", owner, moderator, input });
});
afterAll(async () => {
  await app.stop();
});

type Trace = { dialogs: string[]; csp: string[]; consoleErrors: string[] };

/**
 * A page with every trap set: alert/confirm/prompt replaced (in every frame, before any script), the
 * 'dialog' event listened for, and 'securitypolicyviolation' recorded into window.__csp.
 */
async function trappedPage(who: Person | null = null): Promise<{ page: Page; trace: Trace }> {
  const page = await browser.newPage();
  if (who) {
    const [name, value] = who.cookie.split(/=(.*)/s);
    await page.context().addCookies([{ name, value, url: app.url }]);
  }
  const trace: Trace = { dialogs: [], csp: [], consoleErrors: [] };
  page.on("dialog", (d) => {
    trace.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (m.type() === "error") trace.consoleErrors.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__dialogs = [];
    w.__csp = [];
    for (const name of ["alert", "confirm", "prompt", "print"] as const) {
      (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        (w.__dialogs as string[]).push(`${name}(${args.map(String).join(", ")})`);
        return null;
      };
    }
    document.addEventListener("securitypolicyviolation", (e) => {
      (w.__csp as string[]).push(
        `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} in ${location.pathname}: ${e.sample}`,
      );
    });
  });
  return { page, trace };
}

/** What every frame of the page recorded, and what would betray live markup in its DOM. */
async function inspect(page: Page, trace: Trace) {
  const frames: { url: string; pwned: unknown; dialogs: string[]; csp: string[]; live: string[] }[] = [];
  for (const frame of page.frames()) frames.push({ url: frame.url(), ...(await inspectFrame(frame)) });
  return {
    pwned: frames
      .filter((f) => f.pwned !== undefined && f.pwned !== null)
      .map((f) => `${f.url}: window.__pwned = ${String(f.pwned)}`),
    dialogs: [...trace.dialogs, ...frames.flatMap((f) => f.dialogs)],
    csp: frames.flatMap((f) => f.csp),
    live: frames.flatMap((f) => f.live.map((l) => `${f.url}: ${l}`)),
  };
}

async function inspectFrame(frame: Frame) {
  // A sandboxed frame with no scripts (the email's) cannot be evaluated in; it cannot have run anything either.
  return frame
    .evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const live: string[] = [];
      for (const el of Array.from(document.querySelectorAll("*"))) {
        for (const attr of Array.from(el.attributes)) {
          if (attr.name.toLowerCase().startsWith("on")) live.push(`<${el.localName} ${attr.name}="${attr.value}">`);
          if (
            ["href", "src", "action", "formaction", "data"].includes(attr.name) &&
            /^\s*(javascript|data):/i.test(attr.value)
          ) {
            live.push(`<${el.localName} ${attr.name}="${attr.value}">`);
          }
        }
      }
      for (const el of Array.from(document.querySelectorAll("script"))) {
        if (/__pwned|alert\(/.test(el.textContent ?? "") && !el.textContent?.includes("__remixContext"))
          live.push(`a script: ${el.textContent?.slice(0, 80)}`);
      }
      for (const sel of [
        'img[src="x"]',
        "svg[onload]",
        "iframe[src^=javascript]",
        "object",
        "embed",
        "details[ontoggle]",
        "math",
      ]) {
        if (document.querySelector(sel)) live.push(`an element matching ${sel}`);
      }
      return {
        pwned: w.__pwned,
        dialogs: (w.__dialogs as string[] | undefined) ?? [],
        csp: (w.__csp as string[] | undefined) ?? [],
        live,
      };
    })
    .catch(() => ({ pwned: undefined, dialogs: [] as string[], csp: [] as string[], live: [] as string[] }));
}

/** Points at, focuses and toggles everything on the page: a live onmouseover or ontoggle would fire now. */
async function poke(page: Page) {
  for (const frame of page.frames()) {
    await frame
      .evaluate(() => {
        for (const el of Array.from(document.querySelectorAll("body *"))) {
          for (const type of ["mouseover", "mouseenter", "pointerover", "focus", "toggle", "load", "error"])
            el.dispatchEvent(new Event(type));
        }
      })
      .catch(() => {});
  }
}

/**
 * Fails if anything ran, anything was blocked by the policy, or anything was logged as an error since
 * the last check, except the console errors `explained` (each with the reason it is expected).
 */
async function expectNothingRan(page: Page, trace: Trace, where: string, explained: RegExp[] = []) {
  await poke(page);
  const found = await inspect(page, trace);
  expect({ where, ...found }).toEqual({ where, pwned: [], dialogs: [], csp: [], live: [] });
  // Chromium also logs each violation to the console; nothing else should be logged as an error either.
  const unexplained = trace.consoleErrors.filter((e) => !explained.some((r) => r.test(e)));
  trace.consoleErrors.length = 0;
  expect({ where, consoleErrors: unexplained }).toEqual({ where, consoleErrors: [] });
}

/** The form's answer to a mistake is a 400, and Chromium logs every 4xx fetch as an error. */
const FORM_REFUSED = /^Failed to load resource: the server responded with a status of 400/;

describe("the traps themselves", () => {
  test("catch a payload that does run, a dialog, and a payload the policy blocks", { timeout: 30_000 }, async () => {
    // Outside the site, nothing stops the payload: the traps must see it run.
    const loose = await trappedPage();
    await loose.page.goto("about:blank");
    await loose.page.setContent(`${PWN.img}<script>alert("caught")</script>`);
    await loose.page.waitForFunction(() => (window as unknown as { __pwned?: number }).__pwned === 1);
    const caught = await inspect(loose.page, loose.trace);
    expect(caught.pwned).toHaveLength(1);
    expect(caught.dialogs).toEqual(["alert(caught)"]);
    expect(caught.live.length).toBeGreaterThan(0);

    // On the site, markup slipped into the page by script is stopped by the policy, and reported.
    const strict = await trappedPage();
    await strict.page.goto(`${app.url}/`);
    await strict.page.evaluate((img) => document.body.insertAdjacentHTML("beforeend", img), PWN.img);
    await strict.page.waitForFunction(() => ((window as unknown as { __csp: string[] }).__csp ?? []).length > 0);
    const blocked = await inspect(strict.page, strict.trace);
    expect(blocked.pwned).toEqual([]);
    expect(blocked.csp.join("\n")).toContain("script-src-attr blocked inline");
  });
});

describe("hostile text, rendered by a browser", () => {
  test(
    "a signer with markup for a name signs through the form, and nothing they or the organizer typed runs",
    { timeout: 60_000 },
    async () => {
      const { page, trace } = await trappedPage();
      await page.goto(`${app.url}/`);
      // Client-side navigation: the petition's data arrives as a Single Fetch response, not in the HTML.
      await page.getByRole("link", { name: `${PWN.script} ${PWN.img}` }).click();
      await page.getByRole("heading", { level: 1, name: `${PWN.script} ${PWN.img}` }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/petitions/${petition.slug}`);
      await expectNothingRan(page, trace, "the petition page, reached from the home page");

      await page.getByLabel("Name", { exact: true }).fill(SIGNER.name);
      await page.getByLabel("Email address", { exact: true }).fill(SIGNER.email);
      await page.getByRole("radio", { name: "Show my full name" }).check();
      // A mistake first: the form comes back with the hostile name (and a hostile address) in its fields.
      await page.getByLabel("Email address", { exact: true }).fill(`${PWN.img}@example.org`);
      await page.getByRole("button", { name: "Sign this petition" }).click();
      await page.getByText("Enter an email address like name@example.org").first().waitFor();
      expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe(SIGNER.name);
      await expectNothingRan(page, trace, "the form sent back with errors", [FORM_REFUSED]);

      await page.getByLabel("Email address", { exact: true }).fill(SIGNER.email);
      await page.getByRole("button", { name: "Sign this petition" }).click();
      await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
      await expectNothingRan(page, trace, "the check-email page");

      const [mail] = await outboxTo(app.db, SIGNER.email);
      await page.goto(`${app.url}/confirm/${tokenIn(mail.text)}`);
      await page.getByRole("button", { name: "Confirm my signature" }).click();
      await page.getByRole("heading", { level: 1, name: "Thank you for signing" }).waitFor();
      await expectNothingRan(page, trace, "the thank-you page");

      await page.goto(`${app.url}/petitions/${petition.slug}`);
      // Shown in full, as text: the name a person sees is the markup they typed.
      await expect(page.locator(".signer-name").first().innerText()).resolves.toBe(SIGNER.name);
      await expectNothingRan(page, trace, "the petition page, loaded whole, with the signer listed");
    },
  );

  test(
    "the organizer's dashboard, the moderator's review page and the safety page run nothing",
    { timeout: 60_000 },
    async () => {
      const organizer = await trappedPage(owner);
      for (const path of [
        `/organize/${petition.id}`,
        `/organize/${petition.id}/edit`,
        `/organize/${petition.id}/manage`,
        `/organize/${petition.id}/deliver`,
        "/account",
      ]) {
        await organizer.page.goto(`${app.url}${path}`);
        await organizer.page.locator("main h1").first().waitFor();
        await expectNothingRan(organizer.page, organizer.trace, path);
      }
      const mod = await trappedPage(moderator);
      for (const path of [
        `/moderate/${petition.id}`,
        `/moderate/petitions/${petition.id}/safety`,
        `/organize/${petition.id}`,
      ]) {
        await mod.page.goto(`${app.url}${path}`);
        await mod.page.locator("main h1").first().waitFor();
        await expect(mod.page.locator("main h1").first().innerText()).resolves.toContain(PWN.script);
        await expectNothingRan(mod.page, mod.trace, path);
      }
    },
  );

  test(
    "the development inbox shows the emails, hostile name and title included, and runs nothing",
    { timeout: 60_000 },
    async () => {
      const rows = await app.db.selectFrom("outbox").select(["id", "subject", "kind"]).orderBy("id").execute();
      const confirmation = rows.find((r) => r.kind === "confirm-signature" && r.subject.includes(PWN.script));
      expect(confirmation).toBeDefined();
      const { page, trace } = await trappedPage();
      await page.goto(`${app.url}/dev/mail`);
      await expectNothingRan(page, trace, "the inbox");
      await page.getByRole("link", { name: confirmation!.subject }).click();
      await page.getByRole("heading", { level: 1, name: confirmation!.subject }).waitFor();
      // The email's HTML, in its frame: the signer's name is there as text.
      const frame = page.frameLocator("iframe.mail-frame");
      await frame.getByText(`Dear ${SIGNER.name},`).waitFor();
      await expectNothingRan(page, trace, "an email in the inbox");
      for (const row of rows.filter((r) => r.kind !== "confirm-signature").slice(0, 5)) {
        await page.goto(`${app.url}/dev/mail/${row.id}`);
        await page.frameLocator("iframe.mail-frame").locator("body").waitFor();
        await expectNothingRan(page, trace, `the ${row.kind} email in the inbox`);
      }
    },
  );
});
