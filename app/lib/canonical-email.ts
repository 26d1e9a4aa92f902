const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * The form of an address used to find duplicate signatures: trimmed and
 * lower-cased, with any +tag removed, and for Gmail the dots in the local part
 * removed and googlemail.com folded into gmail.com. Two addresses with the
 * same canonical form reach the same mailbox (as far as we can tell without
 * asking the provider), so they may sign once between them.
 */
export function canonicalEmail(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0) return trimmed;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll(".", "");
    domain = "gmail.com";
  }
  return `${local}@${domain}`;
}

/** The domain of an address in canonical form: what the per-domain limits and the moderators' trends count by. */
export function emailDomainOf(canonical: string): string {
  return canonical.slice(canonical.lastIndexOf("@") + 1);
}
