import type { MetaDescriptor } from "@remix-run/node";

/**
 * The head of a page that shows one piece a campaign published (an update, a decision maker's response):
 * its title for the tab and for link previews, and the campaign's feed. The words come translated from the
 * page's loader.
 */
export function articleMeta(a: {
  /** The tab's title: the piece's heading, the campaign's title and the site's name. */
  title: string;
  /** The piece's own heading, for link previews. */
  heading: string;
  feedTitle: string;
  url: string;
  slug: string;
}): MetaDescriptor[] {
  return [
    { title: a.title },
    { property: "og:title", content: a.heading },
    { property: "og:type", content: "article" },
    { property: "og:url", content: a.url },
    {
      tagName: "link",
      rel: "alternate",
      type: "application/atom+xml",
      title: a.feedTitle,
      href: `/petitions/${a.slug}/updates.atom`,
    },
  ];
}
