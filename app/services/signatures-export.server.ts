import { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { stringify } from "csv-stringify";
import type { NameDisplay } from "../../db/schema";
import type { ExportRow } from "../models/dashboard.server";
import { countryName } from "../lib/countries";

const NAME_DISPLAY_WORDS: Record<NameDisplay, string> = {
  full: "full name",
  first_initial: "first name and initial",
  hidden: "not shown",
};

/**
 * The file's columns, in order: keys under exportCsv.columns, whose words head the columns in the
 * organizer's language. The values stay as stored (a spreadsheet or a CRM reads them, whatever the language).
 */
export const SIGNATURES_CSV_COLUMNS = [
  "name",
  "nameShown",
  "country",
  "postcode",
  "email",
  "updates",
  "confirmedAt",
  "source",
  "referrerData",
] as const;

/** The header row in a language: `t` is that language's translator. */
export function csvHeader(t: (key: string) => string): string[] {
  return SIGNATURES_CSV_COLUMNS.map((column) => t(`exportCsv.columns.${column}`));
}

/** One signature as a CSV record. The email is only there if the signer agreed to updates. */
export function csvRecord(row: ExportRow): string[] {
  const consented = row.updates_consent === 1;
  // An erased signature still counts; its row says why it has no name rather than leaving a blank.
  const erased = row.anonymised_at !== null;
  return [
    erased ? "(details erased)" : row.name,
    erased ? "details erased" : (NAME_DISPLAY_WORDS[row.name_display] ?? row.name_display),
    countryName(row.country),
    row.postcode ?? "",
    consented ? (row.email ?? "") : "",
    consented ? "yes" : "no",
    row.confirmed_at ?? "",
    // "web", or "api:<token name>" for one sent through the OSDI API; empty for signatures older than the column.
    row.source ?? "",
    // The OSDI referrer_data the API was given (source, referrer, website, url), as JSON.
    erased ? "" : (row.referrer_data ?? ""),
  ];
}

/**
 * The signatures as a CSV byte stream, written through csv-stringify as the
 * rows arrive: a page of rows at a time is in memory, never the whole file.
 *
 * Signers type their own names and postcodes, and the file is opened in
 * spreadsheets, so a cell that starts with = + - @, a tab or a carriage
 * return (or their full-width forms) gets a leading apostrophe and is read as
 * text, never as a formula (csv-stringify's `escape_formulas`). The byte
 * order mark makes Excel read the file as UTF-8, so names keep their accents.
 *
 * `header` is the first row (csvHeader); `signal` stops the reading when the browser goes away.
 */
export function signaturesCsvStream(
  rows: AsyncIterable<ExportRow>,
  header: string[],
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  async function* records() {
    for await (const row of rows) {
      if (signal?.aborted) return;
      yield csvRecord(row);
    }
  }
  const csv = stringify({
    header: true,
    columns: header,
    escape_formulas: true,
    bom: true,
    record_delimiter: "windows",
  });
  const source = Readable.from(records());
  source.on("error", (err) => csv.destroy(err));
  source.pipe(csv);
  // When the response is cancelled, stop reading the database too.
  csv.on("close", () => source.destroy());
  // Remix's adapter stops listening for errors once the response is cancelled; one that comes after
  // (a cancellation reason) must not go unhandled and take the process down.
  csv.on("error", () => source.destroy());
  return createReadableStreamFromReadable(csv);
}

/** A filename that is safe in a Content-Disposition header on every system. */
export function exportFilename(slug: string, now = new Date()): string {
  const base =
    slug
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "petition";
  return `signatures-${base}-${now.toISOString().slice(0, 10)}.csv`;
}
