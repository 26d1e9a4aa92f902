import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { expectNoSeriousA11yViolations, saveScreenshot, useBrowser, watchForProblems } from "../helpers/browser";
import type { ReceivedMail } from "../helpers/smtp";
import { MERSEYSIDE, useSigningApp } from "./signer";

const env = useSigningApp();
const browser = useBrowser();

/** Each page on the way: in the language, clean under axe, and nothing wider than a phone's screen. */
async function checkPage(page: Page, lang: string, heading: string, shot: string) {
  await expect.poll(() => page.locator("html").getAttribute("lang")).toBe(lang);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  await expectNoSeriousA11yViolations(page);
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(widths.scroll, `${shot} fits a phone's width`).toBeLessThanOrEqual(widths.inner);
  await saveScreenshot(page, shot);
}

/** The whole confirmation link, with the `lang` it carries. */
function linkIn(mail: ReceivedMail): string {
  const match = mail.text?.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]{43}(\?lang=[a-zA-Z-]+)?/);
  if (!match) throw new Error(`No confirmation link in: ${mail.subject}`);
  return match[0];
}

type Journey = {
  title: string;
  lang: "cy" | "es";
  /** Pick the language in the footer's switcher rather than arriving with ?lang=. */
  useSwitcher: boolean;
  email: string;
  words: {
    choose: string;
    name: string;
    email: string;
    country: string;
    countryName: string;
    submit: string;
    checkEmail: string;
    subject: string;
    body: string;
    confirmHeading: string;
    confirmButton: string;
    thanks: string;
  };
};

const journeys: Journey[] = [
  {
    title: "Elin picks Cymraeg in the footer, signs, and confirms, every page and the email in Welsh",
    lang: "cy",
    useSwitcher: true,
    email: "elin@example.org",
    words: {
      choose: "Cymraeg",
      name: "Enw",
      email: "Cyfeiriad e-bost",
      country: "Gwlad",
      countryName: "Y Deyrnas Unedig",
      submit: "Llofnodi’r ddeiseb hon",
      checkEmail: "Gwiriwch eich e-bost",
      subject: "Cadarnhewch eich llofnod",
      body: "Diolch am lofnodi",
      confirmHeading: "Cadarnhau eich llofnod",
      confirmButton: "Cadarnhau fy llofnod",
      thanks: "Diolch am lofnodi",
    },
  },
  {
    title: "Lucía opens a link in Spanish, signs, and confirms, every page and the email in Spanish",
    lang: "es",
    useSwitcher: false,
    email: "lucia@example.org",
    words: {
      choose: "Español",
      name: "Nombre",
      email: "Correo electrónico",
      country: "País",
      countryName: "Reino Unido",
      submit: "Firma esta petición",
      checkEmail: "Revisa tu correo",
      subject: "Confirma tu firma",
      body: "Gracias por firmar",
      confirmHeading: "Confirma tu firma",
      confirmButton: "Confirmar mi firma",
      thanks: "Gracias por firmar",
    },
  },
];

describe("signing in Welsh and in Spanish", () => {
  test.each(journeys)(
    "$title",
    async ({ lang, useSwitcher, email, words }) => {
      const page = await browser.newPage();
      // A date or number the browser writes differently from the server breaks hydration (React then
      // redraws the page): the console says so, and so does the CSP if a redrawn <style> lacks its nonce.
      const problems = await watchForProblems(page);
      const campaign = `${env.app.url}/petitions/${MERSEYSIDE.slug}`;
      if (useSwitcher) {
        await page.goto(campaign);
        await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: words.choose }).click();
      } else {
        await page.goto(`${campaign}?lang=${lang}`);
      }
      await checkPage(page, lang, MERSEYSIDE.title, `language-${lang}-campaign`);

      await page.getByLabel(words.name, { exact: true }).fill("Elin Lucía");
      await page.getByLabel(words.email, { exact: true }).fill(email);
      await page.getByLabel(words.country, { exact: true }).selectOption({ label: words.countryName });
      await page.getByRole("button", { name: words.submit }).click();
      await checkPage(page, lang, words.checkEmail, `language-${lang}-check-email`);

      const mail = await env.smtp.waitFor(email, (m) => (m.subject ?? "").startsWith(words.subject));
      expect(mail.subject).toContain(MERSEYSIDE.title);
      expect(mail.text).toContain(words.body);
      expect(mail.html).toContain(`<html lang="${lang}"`);
      expect(mail.html).toContain(words.body);

      await page.goto(linkIn(mail));
      await checkPage(page, lang, words.confirmHeading, `language-${lang}-confirm`);
      await page.getByRole("button", { name: words.confirmButton }).click();
      await checkPage(page, lang, words.thanks, `language-${lang}-thank-you`);

      const stored = await env.app.db
        .selectFrom("signatures")
        .select("locale")
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      expect(stored.locale).toBe(lang);
      expect(problems).toEqual([]);
      // Four pages, each checked by axe: longer than one page's journey takes on a shared machine.
    },
    120_000,
  );
});
