import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getCurrentUser } from "./services/session.server";
import { useNonce } from "./components/nonce";
import { SiteStylesheet } from "./components/stylesheet";
import { hasRole } from "./models/user.server";

/**
 * When this file's error boundary replaces a page, Remix skips the failed route's own
 * meta: without this the 404 and error pages would have no <title>. Routes with their
 * own meta replace it; routes without one inherit it.
 */
export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: "Undersigned" }];
  if (isRouteErrorResponse(error) && error.status === 404) return [{ title: "Page not found | Undersigned" }];
  if (isRouteErrorResponse(error) && error.status < 500) {
    return [{ title: "Something is wrong with that request | Undersigned" }];
  }
  return [{ title: "Something went wrong | Undersigned" }];
};

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

/** The brand colour, as the manifest's theme_color: browsers tint their own bars with it. */
export const THEME_COLOR = "#5a2ca0";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  return {
    devInbox: !context.config.isProduction,
    user: user ? { email: user.email, moderator: hasRole(user, "moderator"), admin: hasRole(user, "admin") } : null,
    // The server's own error page for a request it refused (server/request-rules.ts) is rendered for an
    // address of its own, not the one in the browser, which the browser's router would match differently.
    hydrate: !context.statusPage,
  };
}

/** A route whose handle says `{ embed: true }` is shown inside another site's page: no header, footer or navigation. */
export type EmbedHandle = { embed: true };

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const embedded = useMatches().some((m) => (m.handle as Partial<EmbedHandle> | undefined)?.embed === true);
  if (embedded) {
    return (
      <html lang="en-GB">
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <Meta />
          <SiteStylesheet nonce={nonce} />
          <Links />
        </head>
        <body className="embed">
          <main id="main">{children}</main>
          <Scripts nonce={nonce} />
        </body>
      </html>
    );
  }
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="theme-color" content={THEME_COLOR} />
        <Meta />
        <SiteStylesheet nonce={nonce} />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="site-header">
          <div className="wrap">
            <Link to="/" className="site-name">
              Undersigned
            </Link>
            <span className="site-tagline">Petitions that protect the people who sign them</span>
            <nav className="site-nav" aria-label="Main">
              <ul>
                <li>
                  <Link to="/petitions">Browse</Link>
                </li>
                <li>
                  <Link to="/start">Start a campaign</Link>
                </li>
                {data?.user?.moderator ? (
                  <li>
                    <Link to="/moderate">Moderate</Link>
                  </li>
                ) : null}
                {data?.user?.admin ? (
                  <li>
                    <Link to="/admin">Admin</Link>
                  </li>
                ) : null}
                <li>{data?.user ? <Link to="/account">Your account</Link> : <Link to="/sign-in">Sign in</Link>}</li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <p>
              Undersigned is open-source software. We never show whether an email address has signed, and we show your
              name only if you ask us to.
            </p>
            <p>
              <Link to="/privacy">Privacy</Link> · <Link to="/signature/request">Manage a signature</Link>
            </p>
            {data?.devInbox ? (
              <p>
                <Link to="/dev/mail">Development mail inbox</Link> · <Link to="/dev/emails">Email gallery</Link>
              </p>
            ) : null}
          </div>
        </footer>
        {data?.hydrate === false ? null : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="notice-page">
        <h1>Page not found</h1>
        <p>There is no page at this address. If you followed a link to a campaign, it may have been taken down.</p>
        <p>
          <Link to="/">See open campaigns</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error)) {
    return (
      <section className="notice-page">
        <h1>{error.status === 413 ? "That was too much to send" : "Something is wrong with that request"}</h1>
        <p>{typeof error.data === "string" ? error.data : error.statusText}</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>Sorry, something went wrong on our side</h1>
      <p>Nothing you did caused this. Please try again in a minute.</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
