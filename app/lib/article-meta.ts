import type { MetaDescriptor } from "@remix-run/node";

/**
 * The head of a page that shows one piece a campaign published (an update, a decision maker's response):
 * its title for the tab and for link previews, and the campaign's feed.
 */
export function articleMeta(a: {
  heading: string;
  petitionTitle: string;
  url: string;
  slug: string;
}): MetaDescriptor[] {
  return [
    { title: `${a.heading} | ${a.petitionTitle} | Undersigned` },
    { property: "og:title", content: a.heading },
    { property: "og:type", content: "article" },
    { property: "og:url", content: a.url },
    {
      tagName: "link",
      rel: "alternate",
      type: "application/atom+xml",
      title: `Updates on ${a.petitionTitle}`,
      href: `/petitions/${a.slug}/updates.atom`,
    },
  ];
}
