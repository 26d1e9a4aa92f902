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
import { useTranslation } from "react-i18next";
import { getCurrentUser } from "./services/session.server";
import { useNonce } from "./components/nonce";
import { LanguageSwitcher } from "./components/language-switcher";
import { LANGUAGES, LANGUAGE_PARAM } from "./lib/i18n";
import { clientCatalogUrl, requestLocale, translator } from "./lib/i18n.server";
import { SiteStylesheet } from "./components/stylesheet";
import { hasRole } from "./models/user.server";

/**
 * When this file's error boundary replaces a page, Remix skips the failed route's own
 * meta: without this the 404 and error pages would have no <title>. Routes with their
 * own meta replace it; routes without one inherit it.
 */
export const meta: MetaFunction<typeof loader> = ({ error, data }) => {
  // Without the root's data (its own loader failed) the titles are English.
  const titles = data?.titles ?? {
    site: "Undersigned",
    notFound: "Page not found | Undersigned",
    badRequest: "Something is wrong with that request | Undersigned",
    failed: "Something went wrong | Undersigned",
  };
  if (!error) return [{ title: titles.site }];
  if (isRouteErrorResponse(error) && error.status === 404) return [{ title: titles.notFound }];
  if (isRouteErrorResponse(error) && error.status < 500) return [{ title: titles.badRequest }];
  return [{ title: titles.failed }];
};

/** Pages that are the same for every visitor, and so have a version in each language to point search engines at. */
const PUBLIC_PAGE = /^\/(?:petitions(?:\/[^/]+)?|privacy|start)?$/;

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "apple-touch-icon", href: "/apple-touch-icon.png" },
  { rel: "manifest", href: "/manifest.webmanifest" },
];

/** The brand colour, as the manifest's theme_color: browsers tint their own bars with it. */
export const THEME_COLOR = "#5a2ca0";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request, context);
  const locale = requestLocale(request);
  const t = translator(locale);
  const { pathname } = new URL(request.url);
  return {
    locale,
    catalogUrl: clientCatalogUrl(locale),
    alternates: PUBLIC_PAGE.test(pathname)
      ? [
          ...LANGUAGES.map((language) => ({
            language,
            href: `${context.config.appUrl}${pathname}?${LANGUAGE_PARAM}=${language}`,
          })),
          // For a reader whose language is none of these: the page as their browser's languages choose it.
          { language: "x-default", href: `${context.config.appUrl}${pathname}` },
        ]
      : [],
    titles: {
      site: t("layout.siteName"),
      notFound: t("layout.titles.notFound"),
      badRequest: t("layout.titles.badRequest"),
      failed: t("layout.titles.failed"),
    },
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
  const { t, i18n } = useTranslation();
  const embedded = useMatches().some((m) => (m.handle as Partial<EmbedHandle> | undefined)?.embed === true);
  // The catalog entry.client.tsx takes over the page with, asked for beside the page's scripts.
  const catalog = data ? (
    <link rel="preload" as="fetch" href={data.catalogUrl} crossOrigin="anonymous" id="i18n-catalog" />
  ) : null;
  if (embedded) {
    return (
      <html lang={i18n.language}>
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <Meta />
          <SiteStylesheet nonce={nonce} />
          <Links />
          {catalog}
        </head>
        <body className="embed">
          <main id="main">{children}</main>
          <Scripts nonce={nonce} />
        </body>
      </html>
    );
  }
  return (
    <html lang={i18n.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="theme-color" content={THEME_COLOR} />
        <Meta />
        <SiteStylesheet nonce={nonce} />
        <Links />
        {catalog}
        {data?.alternates.map((a) => (
          <link key={a.language} rel="alternate" hrefLang={a.language} href={a.href} />
        ))}
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("layout.skipLink")}
        </a>
        <header className="site-header">
          <div className="wrap">
            <Link to="/" className="site-name">
              {t("layout.siteName")}
            </Link>
            <span className="site-tagline">{t("layout.tagline")}</span>
            <nav className="site-nav" aria-label={t("layout.nav.label")}>
              <ul>
                <li>
                  <Link to="/petitions">{t("layout.nav.browse")}</Link>
                </li>
                <li>
                  <Link to="/start">{t("layout.nav.start")}</Link>
                </li>
                {data?.user?.moderator ? (
                  <li>
                    <Link to="/moderate">{t("layout.nav.moderate")}</Link>
                  </li>
                ) : null}
                {data?.user?.admin ? (
                  <li>
                    <Link to="/admin">{t("layout.nav.admin")}</Link>
                  </li>
                ) : null}
                <li>
                  {data?.user ? (
                    <Link to="/account">{t("layout.nav.account")}</Link>
                  ) : (
                    <Link to="/sign-in">{t("layout.nav.signIn")}</Link>
                  )}
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <p>{t("layout.footer.promise")}</p>
            <p>
              <Link to="/privacy">{t("layout.footer.privacy")}</Link> ·{" "}
              <Link to="/signature/request">{t("layout.footer.manageSignature")}</Link>
            </p>
            <LanguageSwitcher />
            {data?.devInbox ? (
              <p>
                <Link to="/dev/mail">{t("layout.footer.devInbox")}</Link> ·{" "}
                <Link to="/dev/emails">{t("layout.footer.emailGallery")}</Link>
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
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="notice-page">
        <h1>{t("layout.errors.notFound.heading")}</h1>
        <p>{t("layout.errors.notFound.body")}</p>
        <p>
          <Link to="/">{t("layout.errors.notFound.link")}</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error)) {
    return (
      <section className="notice-page">
        <h1>{error.status === 413 ? t("layout.errors.tooLarge") : t("layout.errors.badRequest")}</h1>
        <p>{typeof error.data === "string" ? error.data : error.statusText}</p>
        <p>
          <Link to="/">{t("layout.errors.home")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice-page">
      <h1>{t("layout.errors.failed.heading")}</h1>
      <p>{t("layout.errors.failed.body")}</p>
      <p>
        <Link to="/">{t("layout.errors.home")}</Link>
      </p>
    </section>
  );
}
