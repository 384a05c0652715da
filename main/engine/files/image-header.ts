import { parseExif, parseTiffExif, type ExifInfo } from './exif';
import { readHeifExif } from './heif-exif';

export type ImageFormat = 'PNG' | 'JPEG' | 'GIF' | 'WebP' | 'HEIC' | 'AVIF' | 'BMP';

export interface ImageInfo {
  format: ImageFormat;
  /** As displayed (EXIF rotation applied); null when the header did not say. */
  width: number | null;
  height: number | null;
  exif: ExifInfo | null;
}

/** Reads format, dimensions and (JPEG) EXIF from the first bytes of a file; null when it is no image we know. */
export function readImageInfo(head: Buffer): ImageInfo | null {
  try {
    return png(head) ?? jpeg(head) ?? gif(head) ?? webp(head) ?? heif(head) ?? bmp(head);
  } catch {
    // A truncated or hostile header: every reader checks bounds, this only catches what slipped through.
    return null;
  }
}

const info = (format: ImageFormat, width: number | null, height: number | null, exif: ExifInfo | null = null): ImageInfo => ({
  format,
  width: width && width > 0 ? width : null,
  height: height && height > 0 ? height : null,
  exif,
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(b: Buffer): ImageInfo | null {
  if (b.length < 8 || !b.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return info('PNG', null, null);
  return info('PNG', b.readUInt32BE(16), b.readUInt32BE(20), pngExif(b));
}

/** An eXIf chunk's TIFF block (cameras and phones write one before the image data). */
function pngExif(b: Buffer): ExifInfo | null {
  for (let at = 8; at + 8 <= b.length; ) {
    const length = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT' || type === 'IEND') return null;
    if (type === 'eXIf') return at + 8 + length <= b.length ? parseTiffExif(b.subarray(at + 8, at + 8 + length)) : null;
    at += 12 + length;
  }
  return null;
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
const isStartOfFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpeg(b: Buffer): ImageInfo | null {
  if (b.length < 3 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  let width: number | null = null;
  let height: number | null = null;
  let exif: ExifInfo | null = null;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) {
      i += 1;
      continue;
    }
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    const length = b.readUInt16BE(i + 2);
    if (length < 2) break;
    const end = Math.min(b.length, i + 2 + length);
    if (marker === 0xe1 && !exif) exif = parseExif(b.subarray(i + 4, end));
    if (isStartOfFrame(marker) && i + 9 <= b.length) {
      height = b.readUInt16BE(i + 5);
      width = b.readUInt16BE(i + 7);
      break;
    }
    i += 2 + length;
  }
  const turned = exif?.orientation !== null && exif?.orientation !== undefined && exif.orientation >= 5;
  return turned ? info('JPEG', height, width, exif) : info('JPEG', width, height, exif);
}

function gif(b: Buffer): ImageInfo | null {
  if (b.length < 6 || !/^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return null;
  return b.length < 10 ? info('GIF', null, null) : info('GIF', b.readUInt16LE(6), b.readUInt16LE(8));
}

function webp(b: Buffer): ImageInfo | null {
  if (b.length < 16 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return null;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return info('WebP', b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return info('WebP', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && b.length >= 30) return info('WebP', b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  return info('WebP', null, null);
}

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

// HEIF (iPhone photos): the 'ispe' property boxes hold each item's size; the largest is the full image
// (the others are grid tiles and thumbnails).
function heif(b: Buffer): ImageInfo | null {
  if (b.length < 16 || b.toString('latin1', 4, 8) !== 'ftyp') return null;
  const boxEnd = Math.min(b.length, b.readUInt32BE(0));
  const brands: string[] = [];
  for (let at = 8; at + 4 <= boxEnd; at += 4) if (at !== 12) brands.push(b.toString('latin1', at, at + 4));
  const format: ImageFormat | null = brands.some((x) => AVIF_BRANDS.has(x)) ? 'AVIF' : brands.some((x) => HEIC_BRANDS.has(x)) ? 'HEIC' : null;
  if (!format) return null;
  let best: [number, number] | null = null;
  for (let at = b.indexOf('ispe', 8, 'latin1'); at !== -1 && at + 16 <= b.length; at = b.indexOf('ispe', at + 4, 'latin1')) {
    const width = b.readUInt32BE(at + 8);
    const height = b.readUInt32BE(at + 12);
    if (width > 0 && height > 0 && width < 1e6 && height < 1e6 && (!best || width * height > best[0] * best[1])) best = [width, height];
  }
  return info(format, best?.[0] ?? null, best?.[1] ?? null, readHeifExif(b));
}

function bmp(b: Buffer): ImageInfo | null {
  if (b.length < 26 || b.toString('latin1', 0, 2) !== 'BM' || b.readUInt32LE(14) < 12) return null;
  return info('BMP', Math.abs(b.readInt32LE(18)), Math.abs(b.readInt32LE(22)));
}
