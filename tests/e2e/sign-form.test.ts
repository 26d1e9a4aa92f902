import type { Locator, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { DESKTOP, PHONE, saveScreenshot, useBrowser } from "../helpers/browser";
import {
  expectHeading,
  fillSignForm,
  MERSEYSIDE,
  NAME_DISPLAY_LABEL,
  pressSign,
  shownCount,
  signForm,
  UPDATES_LABEL,
  useSigningApp,
} from "./signer";

const env = useSigningApp();
const browser = useBrowser();

describe("a signer who makes a mistake in the form", () => {
  for (const javaScriptEnabled of [true, false]) {
    test(
      `sees what is wrong beside each field and keeps everything else they typed (JavaScript ${javaScriptEnabled ? "on" : "off"})`,
      { timeout: 60_000 },
      async () => {
        const { app, smtp } = env;
        const page = await browser.newPage({ javaScriptEnabled });
        await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);
        const before = await shownCount(page);
        const rowsBefore = await signatureRows();

        await fillSignForm(page, {
          name: "",
          email: "sam@@example",
          country: "Ireland",
          postcode: "D02 X285",
          nameDisplay: "first_initial",
          updates: true,
        });
        await pressSign(page);

        // The summary at the top of the form lists both problems, each linking to its field.
        const summary = signForm(page).getByRole("alert");
        await summary.getByRole("heading", { name: "Please check your answers" }).waitFor();
        expect(await summary.getByRole("link").allInnerTexts()).toEqual([
          "Enter your name",
          "Enter an email address like name@example.org",
        ]);
        expect(await summary.getByRole("link", { name: "Enter your name" }).getAttribute("href")).toBe("#sign-name");
        if (!javaScriptEnabled) {
          await saveScreenshot(page, "sign-form-errors-phone");
          await page.setViewportSize(DESKTOP);
          await saveScreenshot(page, "sign-form-errors-desktop");
          await page.setViewportSize(PHONE);
        }

        // Each error sits beside its own field, and is read out with it.
        const name = page.getByLabel("Name", { exact: true });
        const email = page.getByLabel("Email address", { exact: true });
        await expectErrorBeside(page, name, "Enter your name");
        await expectErrorBeside(page, email, "Enter an email address like name@example.org");
        for (const fine of [page.getByLabel("Country", { exact: true }), page.getByLabel("Postcode")]) {
          expect(await fine.getAttribute("aria-invalid")).toBeNull();
        }

        // Each link in the summary takes them to the field, with its label and error in sight above it.
        await summary.getByRole("link", { name: "Enter an email address like name@example.org" }).click();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-email");
        expect(
          await page.locator('label[for="sign-email"]').evaluate((l) => l.getBoundingClientRect().top),
        ).toBeGreaterThanOrEqual(0);
        expect(await email.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);

        // Everything else is as they left it.
        expect(await name.inputValue()).toBe("");
        expect(await email.inputValue()).toBe("sam@@example");
        expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("IE");
        expect(await page.getByLabel("Postcode").inputValue()).toBe("D02 X285");
        expect(await page.getByRole("radio", { name: NAME_DISPLAY_LABEL.first_initial }).isChecked()).toBe(true);
        expect(await page.getByRole("checkbox", { name: UPDATES_LABEL }).isChecked()).toBe(true);

        // Nothing was counted, kept or sent.
        expect(await shownCount(page)).toBe(before);
        expect(await signatureRows()).toBe(rowsBefore);

        // Putting the two answers right is enough: the rest goes through as first typed.
        const address = `sam.${javaScriptEnabled ? "js" : "nojs"}@example.org`;
        await fillSignForm(page, { name: "Sam Taylor", email: address });
        await pressSign(page);
        await expectHeading(page, "Check your email");
        await smtp.waitFor(address);
        expect(smtp.messages.some((m) => m.envelopeTo.includes("sam@@example"))).toBe(false);
        const row = await app.db
          .selectFrom("signatures")
          .select(["name", "country", "postcode", "name_display", "updates_consent", "status"])
          .where("email", "=", address)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({
          name: "Sam Taylor",
          country: "IE",
          postcode: "D02 X285",
          name_display: "first_initial",
          updates_consent: 1,
          status: "pending",
        });
      },
    );
  }
});

describe("a signer who uses only the keyboard", () => {
  test("tabs through every field in order, answers with the keys alone and signs", { timeout: 60_000 }, async () => {
    const { app, smtp } = env;
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${app.url}/petitions/${MERSEYSIDE.slug}`);

    // The first Tab reaches the skip link, which takes them past the header.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toBe("a: Skip to main content");
    expect(await focusIsVisible(page)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    // Links inside the form's hints (such as the privacy notice) are tab stops too; they are passed over, not counted as fields.
    const expectTabTo = async (what: string) => {
      await page.keyboard.press("Tab");
      while ((await focused(page)).startsWith("a: ") && (await focusIsInside(page, ".sign-form .hint"))) {
        expect(await focusIsVisible(page)).toBe(true);
        await page.keyboard.press("Tab");
      }
      expect(await focused(page)).toBe(what);
      expect(await focusIsVisible(page)).toBe(true);
    };

    await expectTabTo("input: Name");
    await page.keyboard.type("Kim Lee");
    await expectTabTo("input: Email address");
    await page.keyboard.type("kim.lee@example.org");
    await expectTabTo("select: Country");
    // Typing a country's name picks it in a closed list, as in every browser.
    await page.keyboard.type("Ireland");
    await expectTabTo("input: Postcode (optional, never shown)");
    await page.keyboard.type("D02 X285");
    // A radio group is one Tab stop, on the chosen answer; arrow keys move the choice within it.
    await expectTabTo(`input: ${NAME_DISPLAY_LABEL.hidden}`);
    await page.keyboard.press("ArrowDown");
    expect(await focused(page)).toBe(`input: ${NAME_DISPLAY_LABEL.first_initial}`);
    await expectTabTo(`input: ${UPDATES_LABEL}`);
    await page.keyboard.press("Space");
    // The hidden honeypot field is skipped: the next stop is the button.
    await expectTabTo("button: Sign this petition");

    expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("IE");
    expect(await page.getByRole("radio", { name: NAME_DISPLAY_LABEL.first_initial }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: UPDATES_LABEL }).isChecked()).toBe(true);

    await page.keyboard.press("Space");
    await expectHeading(page, "Check your email");
    await smtp.waitFor("kim.lee@example.org");
    const row = await app.db
      .selectFrom("signatures")
      .select(["name", "country", "postcode", "name_display", "updates_consent"])
      .where("email", "=", "kim.lee@example.org")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      name: "Kim Lee",
      country: "IE",
      postcode: "D02 X285",
      name_display: "first_initial",
      updates_consent: 1,
    });
  });
});

async function signatureRows(): Promise<number> {
  const row = await env.app.db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The error shows inside the field's own box, and the field points to it as its description. */
async function expectErrorBeside(page: Page, field: Locator, message: string): Promise<void> {
  expect(await field.getAttribute("aria-invalid")).toBe("true");
  const box = page.locator(".field", { has: field });
  expect(await box.getByText(message).isVisible()).toBe(true);
  const description = await field.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`)
      .join(" "),
  );
  expect(description).toContain(message);
}

/** The focused element as "tag: its label", the way a screen reader would name it. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "(nothing)";
    const input = el as HTMLInputElement;
    const label = input.labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? el.textContent ?? "";
    return `${el.tagName.toLowerCase()}: ${label.replace(/\s+/g, " ").trim()}`;
  });
}

async function focusIsInside(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => Boolean(document.activeElement?.closest(sel)), selector);
}

/** Whether the focused element draws a focus ring people can see (the stylesheet's 3px outline). */
async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return false;
    const style = getComputedStyle(el);
    if (!el.matches(":focus-visible")) return false;
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
  });
}
