/** Where a campaign can be passed on: each site's own "share this link" address, with a line of text. */
export function shareLinks(url: string, title: string, text: string) {
  const e = encodeURIComponent;
  return [
    { label: "Email", href: `mailto:?subject=${e(title)}&body=${e(`${text}\n\n${url}`)}` },
    { label: "WhatsApp", href: `https://wa.me/?text=${e(`${text} ${url}`)}` },
    { label: "Facebook", href: `https://www.facebook.com/sharer/sharer.php?u=${e(url)}` },
    { label: "X", href: `https://x.com/intent/post?text=${e(text)}&url=${e(url)}` },
    { label: "Bluesky", href: `https://bsky.app/intent/compose?text=${e(`${text} ${url}`)}` },
  ];
}
