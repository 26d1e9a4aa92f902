import { createHmac } from "node:crypto";
import net from "node:net";

/**
 * The network an address belongs to, for grouping: its /24 for IPv4 and its
 * /48 for IPv6 (IPv4-mapped IPv6 addresses count as IPv4). Null if the
 * address is not one.
 */
export function networkOf(address: string): string | null {
  const plain = address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (net.isIPv4(plain)) return `${plain.split(".").slice(0, 3).join(".")}.0/24`;
  if (net.isIPv6(plain)) {
    const groups = expandIPv6(plain);
    return `${groups.slice(0, 3).join(":")}::/48`;
  }
  return null;
}

function expandIPv6(address: string): string[] {
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::1.2.3.4) stands for two groups; only the /48 matters here, so zeros do.
  const missing = 8 - left.length - right.length;
  return [...left, ...Array(Math.max(0, missing)).fill("0"), ...right].map((g) =>
    g.toLowerCase().replace(/^0+(?=.)/, ""),
  );
}

export type ClientHashes = { ipHash: string | null; networkHash: string | null };

/**
 * Keyed hashes of a client's address and network. Equal inputs give equal
 * hashes, so signatures can be grouped and limited; without the server's
 * secret they cannot be turned back into addresses, even by trying all 2^32.
 */
export function hashClientAddress(address: string | null | undefined, secret: string): ClientHashes {
  if (!address) return { ipHash: null, networkHash: null };
  const network = networkOf(address);
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  const mac = (value: string) => createHmac("sha256", secret).update(value).digest("hex");
  return { ipHash: mac(`ip:${plain}`), networkHash: network ? mac(`net:${network}`) : null };
}
