/**
 * Limits on a petition's cover image, shared by the upload form (its hint and
 * accept list), the server's body limit and the image processing.
 */
export const COVER_IMAGE = {
  /** What is stored and served: the size social networks use for a large card (1.91:1). */
  width: 1200,
  height: 630,
  /** Smaller images would look blurred at the card's size. */
  minWidth: 600,
  minHeight: 315,
  /** Larger ones are refused before they are decoded (a small file can claim huge dimensions). */
  maxWidth: 8000,
  maxHeight: 8000,
  /** The largest file accepted. */
  maxFileBytes: 5 * 1024 * 1024,
  /** The largest request body on the upload path: the file plus the multipart envelope around it. */
  maxRequestBytes: 6 * 1024 * 1024,
  /** Recognised by their content, not by their name or declared type. */
  types: ["image/png", "image/jpeg", "image/webp"],
} as const;

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
