/**
 * The translations page and a campaign page read in Welsh with its organizers' translation, in Chromium:
 * clean under axe, on a phone, with and without an error; screenshots in tests/.artifacts/screenshots.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { expectNoSeriousA11yViolations, PHONE, saveScreenshot, useBrowser } from "../helpers/browser";
import { startTestApp, type TestApp } from "../helpers/app";
import { browser as http, makePetition, signedIn, type Person } from "../helpers/session";

const browser = useBrowser();
let app: TestApp;
let organizer: Person;
let petition: { id: number; slug: string; title: string };

beforeAll(async () => {
  app = await startTestApp({ worker: false, env: { MODERATION: "off" } });
  organizer = await signedIn(app, "welsh-organizer@example.org");
  petition = await makePetition(app, { state: "open", owner: organizer });
  const saved = await http(app, organizer).post(`/organize/${petition.id}/translations`, {
    intent: "save",
    language: "cy",
    title: "Cadwch Lyfrgell Glan yr Afon ar agor ar y Sul",
    summary: "Y llyfrgell yw’r unig le cynnes a thawel yn y ward ar ddydd Sul.",
    body: "Mae teuluoedd, myfyrwyr a phobl hŷn yn dibynnu ar Lyfrgell Glan yr Afon. Mae ei chau ar y Sul yn eu gadael heb unman i fynd.",
  });
  expect(saved.headers.get("location")).toContain("saved=1");
});
afterAll(() => app?.stop());

async function asOrganizer(lang: string) {
  const page = await browser.newPage({ viewport: PHONE });
  const [name, value] = organizer.cookie.split(/=(.*)/s);
  await page.context().addCookies([
    { name, value, url: app.url },
    { name: "lang", value: lang, url: app.url },
  ]);
  return page;
}

describe("an organizer's translations page", () => {
  test.each(["en", "cy", "es"])(
    "in %s is clean under axe on a phone, and names each problem beside its field",
    async (lang) => {
      const page = await asOrganizer(lang);
      await page.goto(`${app.url}/organize/${petition.id}/translations`);
      await page.locator("h1").waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, `translations-page-${lang}-phone`);
      // An empty translation into Spanish: refused, with the errors beside the fields.
      await page.locator("#title").fill("");
      await page.getByRole("button", { name: /./ }).last().click();
      await page.locator(".error-summary").waitFor();
      await expectNoSeriousA11yViolations(page);
      await saveScreenshot(page, `translations-page-${lang}-errors-phone`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, "nothing overflows the phone's width").toBeLessThanOrEqual(PHONE.width);
    },
  );
});

describe("a Welsh reader on a translated campaign", () => {
  test("reads the translation with its note and a link to the original, clean under axe", async () => {
    const page = await browser.newPage({ viewport: PHONE, locale: "cy-GB" });
    await page.goto(`${app.url}/petitions/${petition.slug}`);
    const heading = page.locator("h1");
    await heading.waitFor();
    expect(await heading.textContent()).toBe("Cadwch Lyfrgell Glan yr Afon ar agor ar y Sul");
    expect(await heading.getAttribute("lang")).toBe("cy");
    await page.getByText("Cyfieithwyd o’r Saesneg gan drefnwyr yr ymgyrch.").waitFor();
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, "campaign-translated-cy-phone");
    await page.getByRole("link", { name: "Darllen y gwreiddiol" }).click();
    await page.waitForURL(/original=1/);
    expect(await page.locator("h1").textContent()).toBe(petition.title);
    expect(await page.locator("h1").getAttribute("lang")).toBe("en");
  });
});
