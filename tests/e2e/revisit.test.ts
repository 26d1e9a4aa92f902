import type http from "node:http";
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app";
import { saveScreenshot, useBrowser, watchForProblems } from "../helpers/browser";
import { TestSmtpServer } from "../helpers/smtp";
import { expectHeading, fillSignForm, MERSEYSIDE, pressSign } from "./signer";

/*
 * A public page revisited is answered with 304 Not Modified, and the browser shows the copy it kept:
 * the HTML with the nonce and form stamp of the first visit. That copy must still work: its scripts
 * run under the policy the browser kept with it (a 304 carries no Content-Security-Policy, which would
 * replace the kept one and block every script), and its form still signs (docs/decisions/0019).
 */

const browser = useBrowser();
let smtp: TestSmtpServer;
const apps = {} as Record<"page cache" | "Remix", TestApp>;

beforeAll(async () => {
  smtp = await new TestSmtpServer().start();
  [apps["page cache"], apps.Remix] = await Promise.all([
    // As in production: anonymous visitors get the campaign page from the whole-page cache.
    startTestApp({ smtpUrl: smtp.url, env: { PAGE_CACHE_MS: "60000" } }),
    startTestApp({ smtpUrl: smtp.url }),
  ]);
});
afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app?.stop()));
  await smtp?.stop();
});

/**
 * Opens the campaign page. Returns what the server answered (the browser reports a kept copy it
 * revalidated as a 200) and the If-None-Match the browser sent.
 */
async function openCampaign(page: Page, app: TestApp): Promise<{ status: number; ifNoneMatch: string | null }> {
  const path = `/petitions/${MERSEYSIDE.slug}`;
  const answered = new Promise<number>((resolve) => {
    const watch = (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.url !== path) return;
      app.server.off("request", watch);
      res.on("finish", () => resolve(res.statusCode));
    };
    app.server.on("request", watch);
  });
  const document = page.waitForResponse(
    (r: Response) => r.url() === app.url + path && r.request().resourceType() === "document",
  );
  await page.goto(app.url + path);
  const sent = await (await document).request().allHeaders();
  return { status: await answered, ifNoneMatch: sent["if-none-match"] ?? null };
}

async function expectHydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 5_000 });
}

for (const servedBy of ["page cache", "Remix"] as const) {
  describe(`a campaign page served by the ${servedBy}`, () => {
    test("Priya comes back to the campaign, is shown the page her browser kept, and signs it", async () => {
      const app = apps[servedBy];
      const page = await browser.newPage();
      const problems = await watchForProblems(page);

      const first = await openCampaign(page, app);
      expect(first).toEqual({ status: 200, ifNoneMatch: null });
      await expectHydrated(page);
      const keptNonce = await page.evaluate(() => document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce);
      expect(keptNonce).toBeTruthy();

      // She looks at other campaigns, then follows a link back.
      await page.getByRole("link", { name: "Undersigned", exact: true }).click();
      await expectHeading(page, "Open campaigns");
      const again = await openCampaign(page, app);
      expect(again.ifNoneMatch).toMatch(/^W\/"/);
      expect(again.status).toBe(304);
      await expectHeading(page, MERSEYSIDE.title);

      // The kept copy: the first visit's nonce, and its scripts ran.
      expect(await page.evaluate(() => document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce)).toBe(
        keptNonce,
      );
      await expectHydrated(page);
      await saveScreenshot(page, `revisit-${servedBy.replace(" ", "-")}-campaign-from-304`);

      const email = `priya.${servedBy.replace(" ", "-")}@example.org`;
      await fillSignForm(page, { name: "Priya Shah", email, nameDisplay: "first_initial" });
      await pressSign(page);
      await expectHeading(page, "Check your email");
      const signature = await app.db
        .selectFrom("signatures")
        .select(["status", "hold_reason"])
        .where("email", "=", email)
        .executeTakeFirstOrThrow();
      expect(signature).toEqual({ status: "pending", hold_reason: null });

      expect(problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`)).toEqual([]);
    });
  });
}
