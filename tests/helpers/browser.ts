import fs from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Result as AxeResult } from "axe-core";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * Debian's Chromium, driven by playwright-core: Playwright's own browser
 * download cannot reach the internet here. The networking flags stop it
 * calling Google (which is refused and only slows it down).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

export const ARTIFACTS_DIR = path.resolve("tests/.artifacts");
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, "screenshots");
const FAILURES_DIR = path.join(ARTIFACTS_DIR, "failures");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export type PageOptions = Pick<BrowserContextOptions, "viewport" | "javaScriptEnabled" | "locale">;

/**
 * One Chromium for the test file, and a fresh context (no cookies, no cache)
 * for every page a test asks for; contexts close when the test ends, and a
 * failing test leaves a screenshot of each of its pages in tests/.artifacts/failures.
 */
export function useBrowser() {
  let browser: Browser | null = null;
  let contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async ({ task }) => {
    const closing = contexts;
    contexts = [];
    if (task.result?.state === "fail") {
      fs.mkdirSync(FAILURES_DIR, { recursive: true });
      const pages = closing.flatMap((c) => c.pages());
      for (const [i, page] of pages.entries()) {
        const file = path.join(FAILURES_DIR, `${slugify(task.name)}-${i + 1}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      }
    }
    await Promise.all(closing.map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });

  return {
    /** A page in a context of its own: a phone-sized screen and British English unless told otherwise. */
    async newPage(opts: PageOptions = {}): Promise<Page> {
      if (!browser) throw new Error("useBrowser(): the browser starts in beforeAll; call newPage inside a test");
      const context = await browser.newContext({ viewport: PHONE, locale: "en-GB", ...opts });
      // Fail within the test's own time limit, with Playwright's message, rather than vitest's bare timeout.
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return context.newPage();
    },
  };
}

/** A full-page screenshot in tests/.artifacts/screenshots, for people to look at. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${slugify(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const SERIOUS = new Set(["serious", "critical"]);

/**
 * Runs axe-core on the page as it is now and fails, listing each problem with
 * the elements it found it on, if any violation is serious or critical.
 * Moderate and minor findings are returned for the caller to log or ignore.
 * WCAG 2.2's target size (24 px, or space around) is checked too: axe leaves it off by default, Lighthouse
 * does not, and a row of small links a thumb cannot tell apart is a real problem on a phone.
 */
export async function expectNoSeriousA11yViolations(page: Page, label = page.url()): Promise<AxeResult[]> {
  const results = await new AxeBuilder({ page }).options({ rules: { "target-size": { enabled: true } } }).analyze();
  const serious = results.violations.filter((v) => v.impact && SERIOUS.has(v.impact));
  if (serious.length > 0) {
    throw new Error(
      `axe found ${serious.length} serious or critical accessibility problem(s) on ${label}:\n\n${formatViolations(serious)}`,
    );
  }
  return results.violations;
}

export function formatViolations(violations: AxeResult[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => {
          const why = (n.failureSummary ?? "")
            .split("\n")
            .map((l) => `      ${l.trim()}`)
            .join("\n");
          return `    at ${n.target.join(" ")}\n      ${n.html.slice(0, 160)}\n${why}`;
        })
        .join("\n");
      const more = v.nodes.length > 5 ? `\n    ...and ${v.nodes.length - 5} more` : "";
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join("\n\n");
}

export type PageProblem = { kind: "console" | "pageerror" | "csp" | "requestfailed"; url: string; text: string };

/**
 * Records what would tell a developer that a page is broken: console errors,
 * uncaught exceptions, failed requests and Content-Security-Policy
 * violations. CSP violations are reported twice on purpose: Chromium logs them
 * to the console, and the page's 'securitypolicyviolation' event gives the
 * directive and the blocked address in a form a test can read.
 */
export async function watchForProblems(page: Page, opts: { javaScriptEnabled?: boolean } = {}): Promise<PageProblem[]> {
  const problems: PageProblem[] = [];
  // Chromium logs a console error for every response with a 4xx or 5xx status, the page itself included. A
  // page's own status is what the site meant to answer (a refused form is a 400 page), and tests check it
  // themselves; the same message about anything the page loads or fetches is a problem.
  const documents = new Set<string>();
  page.on("response", (res) => {
    if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) documents.add(res.url());
  });
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (msg.text().startsWith("Failed to load resource:") && documents.has(msg.location().url)) return;
    problems.push({ kind: "console", url: page.url(), text: msg.text() });
  });
  page.on("pageerror", (err) => problems.push({ kind: "pageerror", url: page.url(), text: String(err) }));
  page.on("requestfailed", (req) => {
    // ERR_ABORTED is the browser itself letting go of a request, never the server failing one (that is
    // a status, or a connection error). Seen here: the site icon's fetch cut short when a test navigates
    // on at once, and a Single Fetch .data response that Remix stops reading once it has decoded what it
    // needs. Neither means anything is wrong with the page.
    if (req.failure()?.errorText === "net::ERR_ABORTED") return;
    // With JavaScript off, Chromium refuses every script the page names, reporting it as a CSP block.
    if (opts.javaScriptEnabled === false && req.resourceType() === "script") return;
    problems.push({
      kind: "requestfailed",
      url: page.url(),
      text: `${req.method()} ${req.url()}: ${req.failure()?.errorText}`,
    });
  });
  // The binding and the init script are added by the browser itself, so the page's own CSP does not apply to them.
  await page.exposeBinding("__reportCspViolation", ({ frame }, text: string) => {
    problems.push({ kind: "csp", url: frame.url(), text });
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation;
      report(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return problems;
}

function slugify(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 100);
}
