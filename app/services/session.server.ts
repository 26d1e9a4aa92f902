import { createCookie, redirect, type AppLoadContext, type Cookie } from "@remix-run/node";
import type { Config } from "../config.server";
import { getUserBySession, SESSION_TTL_DAYS } from "../models/sign-in.server";
import { hasRole, type UserWithRoles } from "../models/user.server";
import type { Role } from "../../db/schema";

// Only for development and tests, where SESSION_SECRET is optional; production refuses to start without one.
const DEVELOPMENT_SECRET = "undersigned-development-only-session-secret";

const cookies = new WeakMap<Config, Cookie>();

/** The session cookie: httpOnly, SameSite=Lax, Secure and __Host- prefixed in production, signed. */
export function sessionCookie(config: Config): Cookie {
  let cookie = cookies.get(config);
  if (!cookie) {
    cookie = createCookie(config.isProduction ? "__Host-undersigned_session" : "undersigned_session", {
      httpOnly: true,
      sameSite: "lax",
      secure: config.isProduction,
      path: "/",
      maxAge: SESSION_TTL_DAYS * 24 * 60 * 60,
      secrets: [config.sessionSecret ?? DEVELOPMENT_SECRET],
    });
    cookies.set(config, cookie);
  }
  return cookie;
}

export async function sessionTokenFrom(request: Request, config: Config): Promise<string | null> {
  const value = await sessionCookie(config).parse(request.headers.get("cookie"));
  return typeof value === "string" ? value : null;
}

export async function getCurrentUser(request: Request, context: AppLoadContext): Promise<UserWithRoles | null> {
  const token = await sessionTokenFrom(request, context.config);
  return token ? getUserBySession(context.db, token) : null;
}

/** The signed-in user, or a redirect to sign in that comes back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<UserWithRoles> {
  const user = await getCurrentUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireRole(request: Request, context: AppLoadContext, role: Role): Promise<UserWithRoles> {
  const user = await requireUser(request, context);
  if (!hasRole(user, role)) throw new Response("You do not have access to this page.", { status: 403 });
  return user;
}

/**
 * A path on this site to go to after signing in, or the fallback. Anything
 * that could leave the site (//host, /\host, schemes, control characters) is refused.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/account"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(to) || to.length > 500) return fallback;
  return to;
}
