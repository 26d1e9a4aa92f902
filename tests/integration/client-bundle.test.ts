import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * zod stays on the server (docs/decisions/0015-no-zod-in-the-browser.md). One route or component
 * importing a module that builds a schema at its top level pulls all of zod (about 90 KB gzipped)
 * into the browser, and nothing else would notice. Reads the client build that `npm test` makes
 * before vitest runs.
 */
const CLIENT_BUILD = "public/build";

/**
 * Strings that survive minification and name nothing but zod 4: its global config hook (in
 * core.js, which every schema and error class is built with) and the class name of its base schema.
 */
const ZOD_MARKERS = ["__zod_globalConfig", "$ZodType"];

function scriptsUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".js"))
    .map((f) => path.join(dir, f));
}

describe("the browser's scripts", () => {
  it("the markers are still zod's own (a zod upgrade that renamed them would make the check below pass vacuously)", () => {
    const zodCore = path.dirname(createRequire(import.meta.url).resolve("zod/v4/core"));
    const zodCode = scriptsUnder(zodCore).map((f) => fs.readFileSync(f, "utf8"));
    for (const marker of ZOD_MARKERS)
      expect(
        zodCode.some((code) => code.includes(marker)),
        marker,
      ).toBe(true);
  });

  it("a visitor's browser is sent no zod: schemas live in app/**/*.server.ts, forms take limits from zod-free modules", () => {
    const scripts = scriptsUnder(CLIENT_BUILD);
    expect(scripts.length, "No scripts in public/build: run `npx remix build`").toBeGreaterThan(0);
    const withZod = scripts
      .filter((f) => {
        const code = fs.readFileSync(f, "utf8");
        return ZOD_MARKERS.some((marker) => code.includes(marker));
      })
      .map((f) => path.relative(CLIENT_BUILD, f));
    expect(withZod).toEqual([]);
  });
});

/** What esbuild wrote for the browser build, by output file: the modules each was made from. */
function browserOutputs(): Record<string, { inputs: Record<string, unknown>; bytes: number }> {
  return JSON.parse(fs.readFileSync("build/metafile.js.json", "utf8")).outputs;
}

describe("the browser's chunks", () => {
  it("a visitor's browser asks for no chunk made from a server-only module (patches/@remix-run+dev+2.17.5.patch), and no page uses one's exports", () => {
    // The build stands an empty module in for each app/**/*.server.ts. Once the loaders and actions are
    // taken out, the patch lets esbuild drop the imports only they used; one still in the build is a
    // component or browser export using a server module's export, which is undefined in the browser.
    const fromServerModules = Object.entries(browserOutputs())
      .filter(([, output]) => Object.keys(output.inputs).some((input) => input.startsWith("empty-module:")))
      .map(([file, output]) => `${file}: ${Object.keys(output.inputs).join(", ")}`);
    expect(fromServerModules).toEqual([]);
  });
});

describe("the server's bundle", () => {
  it("has no dynamic import(): tsx keeps a source map of any file with one, about 50 MB for build/index.js (load browser-only modules from a .client.ts module)", () => {
    const server = fs.readFileSync("build/index.js", "utf8");
    const dynamicImports = server.match(/\bimport\(\s*["'`][^"'`]*["'`]\s*\)/g) ?? [];
    expect(dynamicImports).toEqual([]);
  });
});
