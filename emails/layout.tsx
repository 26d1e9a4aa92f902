import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";

export type Email = { subject: string; html: string; text: string };

/** What every email knows about the site it comes from. */
export type SiteContext = { appUrl: string; siteName?: string };

/**
 * The reader's language: `lang` on the email, and the translate function its words come from (the app
 * makes it with app/lib/i18n.server.ts translator; the strings are under `email.` in app/locales/).
 */
export type EmailLanguage = { locale: string; t: TFunction };

const colors = { ink: "#1b1b1f", muted: "#55575d", brand: "#5a2ca0", line: "#e3e1e8", page: "#f6f5f8" };

/**
 * The one layout all emails share: a single centred column, inline styles
 * only and no images, so it reads the same in webmail, on phones and in
 * clients that block remote content.
 *
 * Each kind of email brings its own footer, saying why this address gets it
 * and what ignoring it means, because that differs: a confirmation counts
 * nothing unless its link is used, while an update or "your petition is live"
 * has no such link and needs nothing from the reader.
 */
export function renderEmail(opts: {
  site: SiteContext;
  lang: EmailLanguage;
  subject: string;
  preheader: string;
  body: ReactNode;
  text: string;
  /** Why this address gets this email, given the site as "Undersigned (https://…)". */
  footer: (site: string) => string;
}): Email {
  const siteName = opts.site.siteName ?? "Undersigned";
  const footer = opts.footer(`${siteName} (${opts.site.appUrl})`);
  const markup = renderToStaticMarkup(
    <html lang={opts.lang.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{opts.subject}</title>
      </head>
      <body style={{ margin: 0, padding: 0, background: colors.page, color: colors.ink }}>
        <div style={{ display: "none", maxHeight: 0, overflow: "hidden" }}>{opts.preheader}</div>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ background: colors.page }}>
          <tbody>
            <tr>
              <td align="center" style={{ padding: "24px 12px" }}>
                <table
                  role="presentation"
                  width="100%"
                  cellPadding={0}
                  cellSpacing={0}
                  style={{ maxWidth: 560, background: "#ffffff", border: `1px solid ${colors.line}`, borderRadius: 8 }}
                >
                  <tbody>
                    <tr>
                      <td
                        translate="no"
                        style={{
                          padding: "20px 28px",
                          borderBottom: `1px solid ${colors.line}`,
                          fontFamily: "Helvetica, Arial, sans-serif",
                          fontSize: 18,
                          fontWeight: 700,
                          color: colors.brand,
                        }}
                      >
                        {siteName}
                      </td>
                    </tr>
                    <tr>
                      <td
                        style={{
                          padding: "24px 28px",
                          fontFamily: "Helvetica, Arial, sans-serif",
                          fontSize: 16,
                          lineHeight: 1.5,
                        }}
                      >
                        {opts.body}
                      </td>
                    </tr>
                    <tr>
                      <td
                        style={{
                          padding: "16px 28px",
                          borderTop: `1px solid ${colors.line}`,
                          fontFamily: "Helvetica, Arial, sans-serif",
                          fontSize: 13,
                          color: colors.muted,
                        }}
                      >
                        {footer}
                      </td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>,
  );
  const text = `${opts.text.trim()}\n\n--\n${footer}\n`;
  return { subject: opts.subject, html: `<!DOCTYPE html>${markup}`, text };
}

export function Button({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p style={{ margin: "24px 0" }}>
      <a
        href={href}
        style={{
          display: "inline-block",
          background: colors.brand,
          color: "#ffffff",
          padding: "12px 20px",
          borderRadius: 6,
          fontWeight: 700,
          textDecoration: "none",
        }}
      >
        {children}
      </a>
    </p>
  );
}

export function Small({ children }: { children: ReactNode }) {
  return <p style={{ fontSize: 14, color: colors.muted }}>{children}</p>;
}
