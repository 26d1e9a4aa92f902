import type { ServerBuild } from "@remix-run/node";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";

/** The methods this site answers for some address; every other one is refused before Remix sees it. */
export const SITE_METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS"]);

/**
 * The methods HTTP itself defines (RFC 9110, and PATCH from RFC 5789): for these the site answers 405
 * with what the address allows. Anything else (WebDAV's PROPFIND, PURGE, ...) is a method the site does
 * not implement at all: 501.
 */
export const HTTP_METHODS = new Set([...SITE_METHODS, "PUT", "DELETE", "PATCH", "TRACE", "CONNECT"]);

/**
 * For an address (path and query, as in req.url), the methods its route takes, as an Allow header gives
 * them: every page answers GET and HEAD (its loader or its component), and POST when the route Remix
 * would send a form to has an action. Remix runs a route's action for any method but GET and HEAD, so
 * without this a PUT or DELETE ran it.
 */
export function routeMethods(build: ServerBuild): (url: string) => string {
  const routes = routeTree(build);
  return (url) => {
    const { pathname, searchParams } = new URL(url, "http://localhost");
    // A form sent by the browser's router comes to the page's address with ".data" added (Single Fetch),
    // "/_root.data" for the home page.
    const path = pathname.endsWith(".data") ? pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/") : pathname;
    const matches = matchRoutes(routes, path) ?? [];
    // As Remix chooses: an index route when the address says "?index", else the deepest route that adds
    // to the path.
    const leaf = matches.at(-1);
    const target =
      leaf?.route.index && searchParams.getAll("index").includes("")
        ? leaf
        : matches.filter((m, i) => i === 0 || m.route.path).pop();
    return target && build.routes[target.route.id!]?.module.action ? "GET, HEAD, POST" : "GET, HEAD";
  };
}

/** The build's flat route manifest as the nested route objects the router matches against. */
function routeTree(build: ServerBuild): AgnosticRouteObject[] {
  const children = new Map<string | undefined, AgnosticRouteObject[]>();
  for (const route of Object.values(build.routes)) {
    const siblings = children.get(route.parentId) ?? [];
    siblings.push(
      route.index
        ? { id: route.id, index: true, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive },
    );
    children.set(route.parentId, siblings);
  }
  const attach = (route: AgnosticRouteObject): AgnosticRouteObject => {
    const own = children.get(route.id);
    return own && !route.index ? { ...route, children: own.map(attach) } : route;
  };
  return (children.get(undefined) ?? []).map(attach);
}
