import { parseTiffExif, type ExifInfo } from './exif';

interface Box {
  type: string;
  /** Where the box's body starts and ends (end clipped to the buffer). */
  body: number;
  end: number;
}

/** The boxes between `from` and `to`; stops at the first malformed size. */
function boxes(b: Buffer, from: number, to: number): Box[] {
  const out: Box[] = [];
  for (let at = from; at + 8 <= to; ) {
    let size = b.readUInt32BE(at);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) break;
      const big = b.readBigUInt64BE(at + 8);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) break;
      size = Number(big);
      body = at + 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < body - at) break;
    out.push({ type: b.toString('latin1', at + 4, at + 8), body, end: Math.min(to, at + size) });
    at += size;
  }
  return out;
}

/** An unsigned integer of 0, 4 or 8 bytes (iloc's field sizes); null when it does not fit. */
function uint(b: Buffer, at: number, size: number, end: number): number | null {
  if (size === 0) return 0;
  if (at + size > end) return null;
  if (size === 4) return b.readUInt32BE(at);
  if (size === 8) {
    const big = b.readBigUInt64BE(at);
    return big > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(big);
  }
  return null;
}

/** Item id of the 'Exif' item in an iinf box (infe versions 2 and 3 carry the item type). */
function exifItemId(b: Buffer, iinf: Box): number | null {
  const version = b[iinf.body];
  const first = iinf.body + 4 + (version === 0 ? 2 : 4);
  for (const infe of boxes(b, first, iinf.end)) {
    if (infe.type !== 'infe' || infe.body + 4 > infe.end) continue;
    const v = b[infe.body];
    if (v < 2) continue;
    const idSize = v === 2 ? 2 : 4;
    const typeAt = infe.body + 4 + idSize + 2;
    if (typeAt + 4 > infe.end) continue;
    if (b.toString('latin1', typeAt, typeAt + 4) === 'Exif')
      return idSize === 2 ? b.readUInt16BE(infe.body + 4) : b.readUInt32BE(infe.body + 4);
  }
  return null;
}

/** File offset and length of an item's first extent, from an iloc box (construction method 0: in the file). */
function itemExtent(b: Buffer, iloc: Box, itemId: number): { offset: number; length: number } | null {
  const end = iloc.end;
  let at = iloc.body;
  if (at + 8 > end) return null;
  const version = b[at];
  const offsetSize = b[at + 4] >> 4;
  const lengthSize = b[at + 4] & 0x0f;
  const baseSize = b[at + 5] >> 4;
  const indexSize = version === 1 || version === 2 ? b[at + 5] & 0x0f : 0;
  at += 6;
  const count = version < 2 ? (at + 2 <= end ? b.readUInt16BE(at) : 0) : at + 4 <= end ? b.readUInt32BE(at) : 0;
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count && at < end; i += 1) {
    const id = version < 2 ? uint16(b, at, end) : uint(b, at, 4, end);
    at += version < 2 ? 2 : 4;
    const method = version === 1 || version === 2 ? (uint16(b, at, end) ?? 0) & 0x0f : 0;
    if (version === 1 || version === 2) at += 2;
    at += 2; // data_reference_index
    const base = uint(b, at, baseSize, end);
    at += baseSize;
    const extents = uint16(b, at, end);
    at += 2;
    if (id === null || base === null || extents === null) return null;
    let first: { offset: number; length: number } | null = null;
    for (let e = 0; e < extents; e += 1) {
      at += indexSize;
      const offset = uint(b, at, offsetSize, end);
      const length = uint(b, at + offsetSize, lengthSize, end);
      at += offsetSize + lengthSize;
      if (offset === null || length === null) return null;
      first ??= { offset: base + offset, length };
    }
    if (id === itemId) return method === 0 ? first : null;
  }
  return null;
}

const uint16 = (b: Buffer, at: number, end: number): number | null => (at + 2 <= end ? b.readUInt16BE(at) : null);

/** Where a HEIF file's 'Exif' item lies (meta/iinf names it, meta/iloc places it); null when there is none. */
export function heifExifRange(head: Buffer): { offset: number; length: number } | null {
  const meta = boxes(head, 0, head.length).find((box) => box.type === 'meta');
  if (!meta) return null;
  const children = boxes(head, meta.body + 4, meta.end);
  const iinf = children.find((box) => box.type === 'iinf');
  const iloc = children.find((box) => box.type === 'iloc');
  if (!iinf || !iloc) return null;
  const id = exifItemId(head, iinf);
  const extent = id === null ? null : itemExtent(head, iloc, id);
  return extent && extent.length >= 4 ? extent : null;
}

/** An Exif item's data: a 4-byte offset to the TIFF header, then the TIFF block. */
export function parseHeifExifItem(data: Buffer): ExifInfo | null {
  if (data.length < 4) return null;
  const tiffAt = 4 + data.readUInt32BE(0);
  return tiffAt < data.length ? parseTiffExif(data.subarray(tiffAt)) : null;
}

/** EXIF of a HEIF/HEIC file (iPhone photos) when its Exif item lies within `head`; else null (see heifExifRange). */
export function readHeifExif(head: Buffer): ExifInfo | null {
  const range = heifExifRange(head);
  if (!range || range.offset + range.length > head.length) return null;
  return parseHeifExifItem(head.subarray(range.offset, range.offset + range.length));
}
