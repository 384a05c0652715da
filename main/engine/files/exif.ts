/** The few EXIF tags a text model can use: camera and when the photo was taken. */
export interface ExifInfo {
  make: string | null;
  model: string | null;
  /** "YYYY-MM-DD HH:MM:SS" (camera local time, as EXIF stores it). */
  dateTimeOriginal: string | null;
  /** 1–8; 5–8 mean the picture is shown rotated a quarter turn (width and height swap). */
  orientation: number | null;
}

const TAG = { make: 0x010f, model: 0x0110, orientation: 0x0112, dateTime: 0x0132, exifIfd: 0x8769, dateTimeOriginal: 0x9003 } as const;
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

interface Entry {
  type: number;
  count: number;
  /** Offset of the 4-byte value field inside the TIFF block. */
  field: number;
}

/** A JPEG APP1 segment's payload: "Exif\0\0" + a TIFF block (see parseTiffExif). */
export function parseExif(app1: Buffer): ExifInfo | null {
  if (app1.length < 14 || app1.toString('latin1', 0, 6) !== 'Exif\0\0') return null;
  return parseTiffExif(app1.subarray(6));
}

/**
 * Parses an EXIF TIFF block (as in a PNG eXIf chunk, or after the header of JPEG APP1 and HEIF Exif items):
 * IFD0 (Make, Model, Orientation, DateTime) and the Exif IFD (DateTimeOriginal). Returns null for anything
 * that is not well-formed; every read is bounds-checked, so a hostile file can only yield nulls.
 */
export function parseTiffExif(tiff: Buffer): ExifInfo | null {
  if (tiff.length < 8) return null;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const inside = (offset: number, size: number): boolean => offset >= 0 && offset + size <= tiff.length;
  const u16 = (o: number): number | null => (inside(o, 2) ? (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o)) : null);
  const u32 = (o: number): number | null => (inside(o, 4) ? (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o)) : null);
  if (u16(2) !== 42) return null;

  const readIfd = (offset: number | null): Map<number, Entry> => {
    const entries = new Map<number, Entry>();
    const count = offset === null ? null : u16(offset);
    if (offset === null || count === null || count > 1000) return entries;
    for (let i = 0; i < count; i += 1) {
      const at = offset + 2 + i * 12;
      const tag = u16(at);
      const type = u16(at + 2);
      const n = u32(at + 4);
      if (tag === null || type === null || n === null) break;
      entries.set(tag, { type, count: n, field: at + 8 });
    }
    return entries;
  };
  const ascii = (entry: Entry | undefined): string | null => {
    if (entry?.type !== 2 || entry.count === 0 || entry.count > 4096) return null;
    const at = entry.count <= 4 ? entry.field : u32(entry.field);
    if (at === null || !inside(at, entry.count)) return null;
    const text = tiff
      .toString('utf8', at, at + entry.count)
      .replace(/\0[\s\S]*$/, '')
      .replace(/\p{Cc}/gu, ' ')
      .trim();
    return text === '' ? null : text;
  };
  const short = (entry: Entry | undefined): number | null => {
    if (!entry || entry.count < 1 || TYPE_SIZES[entry.type] === undefined) return null;
    return entry.type === 3 ? u16(entry.field) : entry.type === 4 ? u32(entry.field) : null;
  };

  const ifd0 = readIfd(u32(4));
  const exifPointer = ifd0.get(TAG.exifIfd);
  const exifIfd = exifPointer && exifPointer.type === 4 ? readIfd(u32(exifPointer.field)) : new Map<number, Entry>();
  const orientation = short(ifd0.get(TAG.orientation));
  return {
    make: ascii(ifd0.get(TAG.make)),
    model: ascii(ifd0.get(TAG.model)),
    dateTimeOriginal: exifDate(ascii(exifIfd.get(TAG.dateTimeOriginal)) ?? ascii(ifd0.get(TAG.dateTime))),
    orientation: orientation !== null && orientation >= 1 && orientation <= 8 ? orientation : null,
  };
}

/** "2024:07:14 18:22:05" → "2024-07-14 18:22:05"; null for the all-zero placeholder or anything else. */
function exifDate(value: string | null): string | null {
  const match = value ? /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value) : null;
  if (!match || match[1] === '0000') return null;
  return `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6] ?? '00'}`;
}

/** A readable camera name: "Apple iPhone 13", without repeating the make ("Canon" + "Canon EOS R5"). */
export function cameraName(exif: ExifInfo | null): string | null {
  if (!exif) return null;
  const make = exif.make?.trim() ?? '';
  const model = exif.model?.trim() ?? '';
  if (!model) return make || null;
  if (!make || model.toLowerCase().startsWith(make.split(/\s+/)[0].toLowerCase())) return model;
  return `${make} ${model}`;
}
