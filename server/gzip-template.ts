import zlib from "node:zlib";

/**
 * A document gzipped once, with gaps for the few values each response fills in
 * (the whole-page cache's CSP nonce and form time stamp, server/page-cache.ts).
 * Compressing a 24 KB campaign page afresh costs about 0.25 ms at gzip level 6
 * (0.5 ms with brotli at 4), as much again as serving the page from memory;
 * filling in a template costs a CRC-32 of the page and a copy.
 *
 * How: a deflate stream is a series of blocks, and a block may be stored
 * uncompressed. Each fixed part is compressed on its own and ended with a sync
 * flush (an empty stored block that brings the stream to a byte boundary), and
 * each response's values go between them as stored blocks. The gzip header and
 * trailer (the CRC-32 and length of the whole document) are made per response.
 *
 * So that a part compresses as well as it would in the whole page, it is
 * compressed with the document before it as its dictionary, the gaps in it
 * filled with NUL bytes of the values' lengths. A back-reference can then only
 * copy bytes that equal the part being compressed, which has no NUL in it, so it
 * never reaches into a gap, and the distances hold for any values of those
 * lengths. A document with a NUL anywhere in its fixed parts is compressed
 * without dictionaries, and so each value must have the length it was given.
 */
export type GzipTemplate = {
  /** The fixed parts, uncompressed (the trailer's CRC-32 covers them). */
  parts: Buffer[];
  /** Each part as raw deflate blocks; all but the last end with a sync flush, the last ends the stream. */
  deflated: Buffer[];
  /** The length in bytes each value must have, in order. */
  gapLengths: number[];
};

const WINDOW = 32 * 1024;
/** A gzip member header: deflate, no name or comment, no time, unknown OS. */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A stored block carries at most this many bytes. */
const MAX_STORED = 0xffff;

export function gzipTemplate(parts: Buffer[], gapLengths: number[], level = 6): GzipTemplate {
  if (parts.length !== gapLengths.length + 1) throw new Error("A template has one part more than it has gaps");
  const withDictionary = !parts.some((part) => part.includes(0));
  const before: Buffer[] = [];
  const deflated = parts.map((part, i) => {
    const last = i === parts.length - 1;
    const dictionary = withDictionary && i > 0 ? tail(Buffer.concat(before), WINDOW) : undefined;
    const out = zlib.deflateRawSync(part, {
      level,
      ...(dictionary ? { dictionary } : {}),
      finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
    });
    if (!last) before.push(part, Buffer.alloc(gapLengths[i]));
    return out;
  });
  return { parts, deflated, gapLengths };
}

/**
 * The gzipped document with these values in its gaps, as chunks to send in
 * order. Throws when a value's length is not its gap's.
 */
export function fillGzipTemplate(template: GzipTemplate, values: Buffer[]): Buffer[] {
  const { parts, deflated, gapLengths } = template;
  if (values.length !== gapLengths.length) throw new Error("One value is needed for each gap");
  const chunks: Buffer[] = [HEADER];
  let crc = 0;
  let length = 0;
  parts.forEach((part, i) => {
    chunks.push(deflated[i]);
    crc = crc32(part, crc);
    length += part.byteLength;
    if (i === values.length) return;
    const value = values[i];
    if (value.byteLength !== gapLengths[i] || value.byteLength > MAX_STORED) {
      throw new Error(`Value ${i} is ${value.byteLength} bytes; its gap is ${gapLengths[i]}`);
    }
    chunks.push(storedBlockHeader(value.byteLength), value);
    crc = crc32(value, crc);
    length += value.byteLength;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  chunks.push(trailer);
  return chunks;
}

/**
 * A stored block that is not the last: after a sync flush the stream is at a byte boundary, so the
 * three header bits (BFINAL 0, BTYPE 00) and their padding make one zero byte, then LEN and its
 * complement, little-endian (RFC 1951, 3.2.4).
 */
function storedBlockHeader(length: number): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt16LE(length, 1);
  header.writeUInt16LE(~length & 0xffff, 3);
  return header;
}

/**
 * zlib.crc32, except for an empty buffer, which leaves the CRC as it is. (Node 20.20 answers 0 for an
 * empty Buffer once zlib has compressed it, whatever CRC it was given.)
 */
function crc32(data: Buffer, crc: number): number {
  return data.byteLength === 0 ? crc : zlib.crc32(data, crc);
}

function tail(buffer: Buffer, size: number): Buffer {
  return buffer.byteLength > size ? buffer.subarray(buffer.byteLength - size) : buffer;
}
