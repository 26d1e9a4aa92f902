import fs from "node:fs";
import { createRequire } from "node:module";
import { afterEach, describe, expect, test, vi } from "vitest";
import type * as Router from "@remix-run/router";
import type { AgnosticRouteObject } from "@remix-run/router";

/**
 * patches/@remix-run+router+*.patch caches route matching inside @remix-run/router
 * (docs/decisions/0025-route-matching-and-request-handler.md). These tests use the router exactly as Remix's
 * server runtime loads it (its CommonJS build, resolved from @remix-run/server-runtime,
 * not through vite), and compare it with the same version's UMD build, which the
 * patch leaves alone. They fail if `npm ci` did not apply the patch.
 */
const requireFromRuntime = createRequire(createRequire(import.meta.url).resolve("@remix-run/server-runtime"));
const ROUTER_FILE = requireFromRuntime.resolve("@remix-run/router");
const patched = requireFromRuntime("@remix-run/router") as typeof Router;
const reference = requireFromRuntime("@remix-run/router/dist/router.umd.js") as typeof Router;

/** A route table with what matching ranks and compares: params, splats, index and pathless routes, optional segments, case. */
function routeTable(): AgnosticRouteObject[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "petition", path: "petitions/:slug" },
        { id: "petition-new", path: "petitions/new" },
        { id: "petition-updates", path: "petitions/:slug/updates" },
        { id: "confirm", path: "confirm/:token" },
        {
          id: "admin",
          path: "admin",
          children: [
            { id: "admin-home", index: true },
            { id: "admin-petition", path: "petitions/:id" },
          ],
        },
        { id: "pathless", children: [{ id: "about", path: "about" }] },
        { id: "help", path: "help/:lang?/faq" },
        { id: "case", path: "CaseSensitive", caseSensitive: true },
        { id: "files", path: "files/*" },
        { id: "absolute", path: "/absolute/child" },
        { id: "same-first", path: "same" },
        { id: "same-second", path: "same" },
        { id: "not-found", path: "*" },
      ],
    },
  ];
}

const PATHS = [
  "/",
  "/petitions/clean-air",
  "/petitions/new",
  "/petitions/clean-air/updates",
  "/petitions/clean-air/",
  "/PETITIONS/Clean-Air",
  "/petitions/a%20b%2Fc",
  "/confirm/abc123",
  "/admin",
  "/admin/",
  "/admin/petitions/7",
  "/about",
  "/help/faq",
  "/help/cy/faq",
  "/CaseSensitive",
  "/casesensitive",
  "/files",
  "/files/a/b/c.txt",
  "/absolute/child",
  "/same",
  "/nowhere/at/all",
];

/** What a caller of matchRoutes sees, with routes named by id. */
function summary(matches: ReturnType<typeof Router.matchRoutes>) {
  return matches?.map((m) => ({
    id: m.route.id,
    params: m.params,
    pathname: m.pathname,
    pathnameBase: m.pathnameBase,
  }));
}

/** Counts how often matching reads a route's `path`: flattening the table does, matching a ranked branch does not. */
function countingPathReads(routes: AgnosticRouteObject[]) {
  const counter = { reads: 0 };
  const wrap = (route: AgnosticRouteObject) => {
    const path = route.path;
    Object.defineProperty(route, "path", {
      enumerable: true,
      get() {
        counter.reads++;
        return path;
      },
    });
    route.children?.forEach(wrap);
  };
  routes.forEach(wrap);
  return counter;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("route matching in @remix-run/router, patched to cache", () => {
  test("the server runtime and React Router load the patched CommonJS build", () => {
    expect(ROUTER_FILE).toMatch(/@remix-run\/router\/dist\/router\.cjs\.js$/);
    expect(fs.readFileSync(ROUTER_FILE, "utf8"), "patch not applied: run `npx patch-package`").toContain(
      "Undersigned patch",
    );
    const requireFromReactRouter = createRequire(requireFromRuntime.resolve("react-router"));
    expect(requireFromReactRouter.resolve("@remix-run/router")).toBe(ROUTER_FILE);
  });

  test("matches exactly what the unpatched router matches, on first and repeated calls", () => {
    const routes = routeTable();
    for (let round = 0; round < 2; round++) {
      for (const path of PATHS) {
        expect(summary(patched.matchRoutes(routes, path)), path).toEqual(summary(reference.matchRoutes(routes, path)));
      }
      for (const [path, basename] of [
        ["/base/petitions/x", "/base"],
        ["/base/", "/base/"],
        ["/other/petitions/x", "/base"],
      ]) {
        expect(summary(patched.matchRoutes(routes, path, basename)), path).toEqual(
          summary(reference.matchRoutes(routes, path, basename)),
        );
      }
    }
    expect(summary(patched.matchRoutes(routes, "/same"))?.at(-1)?.id).toBe("same-first");
    expect(summary(patched.matchRoutes(routes, "/casesensitive"))?.at(-1)?.id).toBe("not-found");
    expect(patched.matchRoutes(routes, "/help/cy/faq")?.at(-1)?.params).toEqual({ lang: "cy" });
    expect(patched.matchRoutes(routes, "/files/a/b/c.txt")?.at(-1)?.params).toEqual({ "*": "a/b/c.txt" });
  });

  test("a route table is flattened and ranked once, not on every match", () => {
    const routes = routeTable();
    const reads = countingPathReads(routes);
    patched.matchRoutes(routes, "/petitions/clean-air");
    const afterFirst = reads.reads;
    expect(afterFirst).toBeGreaterThan(0);
    for (const path of PATHS) patched.matchRoutes(routes, path);
    expect(reads.reads).toBe(afterFirst);

    // The instrument works: the unpatched router reads every path again on each call.
    reference.matchRoutes(routes, "/petitions/clean-air");
    expect(reads.reads).toBeGreaterThan(afterFirst);

    // Another table (even an equal one) is flattened for itself.
    const other = routeTable();
    const otherReads = countingPathReads(other);
    expect(patched.matchRoutes(other, "/admin")?.at(-1)?.route.id).toBe("admin-home");
    expect(otherReads.reads).toBeGreaterThan(0);
  });

  test("routes patched in place (lazy route discovery) are matched at once", () => {
    const router = patched.createRouter({ routes: routeTable(), history: patched.createMemoryHistory() });
    const before = router.routes;
    expect(patched.matchRoutes(before, "/late/arrival")?.at(-1)?.route.id).toBe("not-found");
    router.patchRoutes("root", [{ id: "late", path: "late/arrival" }]);
    // patchRoutes adds to the root route's children in place: the table held before sees them.
    expect(patched.matchRoutes(before, "/late/arrival")?.at(-1)?.route.id).toBe("late");
    expect(patched.matchRoutes(router.routes, "/late/arrival")?.at(-1)?.route.id).toBe("late");
  });

  test("a path pattern is compiled once (its warning is given once), and matchPath stays correct past the cache's bound", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const pattern = { path: "/compiled-once/:id*", caseSensitive: false, end: true };
    expect(patched.matchPath(pattern, "/compiled-once/7")?.params).toEqual(
      reference.matchPath(pattern, "/compiled-once/7")?.params,
    );
    const warningsAfterFirst = warn.mock.calls.length;
    expect(warningsAfterFirst).toBeGreaterThan(0);
    patched.matchPath(pattern, "/compiled-once/8");
    expect(warn.mock.calls.length).toBe(warningsAfterFirst);

    // Case and `end` are part of what is cached.
    expect(patched.matchPath({ path: "/Case", caseSensitive: true, end: true }, "/case")).toBeNull();
    expect(patched.matchPath({ path: "/Case", caseSensitive: false, end: true }, "/case")).not.toBeNull();
    expect(patched.matchPath({ path: "/a", end: true }, "/a/b")).toBeNull();
    expect(patched.matchPath({ path: "/a", end: false }, "/a/b")?.pathnameBase).toBe("/a");

    // More patterns than the cache holds: each still matches, the evicted ones too.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1500; i++) {
        expect(patched.matchPath(`/p${i}/:id`, `/p${i}/${round}`)?.params).toEqual({ id: String(round) });
      }
    }
  });
});
