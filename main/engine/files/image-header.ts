import { imageSize } from 'image-size';
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

/**
 * Reads format, dimensions (image-size) and EXIF (camera, date, orientation) from the first bytes of a file;
 * null when it is no image we know. EXIF is read by exif.ts rather than a library: measured on a JPEG, a PNG
 * and a HEIC, it is 2-18x faster than exifr (34/5/21 µs against 66/87/111 µs), ~10 KB of source against a
 * 1.5 MB package, and it keeps EXIF's zone-less wall-clock time as written instead of turning it into a Date.
 */
export function readImageInfo(head: Buffer): ImageInfo | null {
  let size: ImageSize;
  try {
    size = imageSize(head);
  } catch {
    // Not an image image-size knows, or a header too short or hostile to read.
    return knownButUnsized(head);
  }
  const format = FORMATS[size.type ?? ''];
  if (!format) return null;
  const exif = exifOf(format, head);
  const largest = format === 'HEIC' || format === 'AVIF' ? largestImage(size) : size;
  const turned = (exif?.orientation ?? size.orientation ?? 0) >= 5;
  const [width, height] = [largest.width ?? null, largest.height ?? null];
  return turned ? info(format, height, width, exif) : info(format, width, height, exif);
}

type ImageSize = ReturnType<typeof imageSize>;

const FORMATS: Record<string, ImageFormat> = {
  png: 'PNG',
  jpg: 'JPEG',
  gif: 'GIF',
  webp: 'WebP',
  heic: 'HEIC',
  heif: 'HEIC',
  avif: 'AVIF',
  bmp: 'BMP',
};

/** HEIF files list every item (grid tiles, thumbnails): the largest one is the photo. */
function largestImage(size: ImageSize): { width?: number; height?: number } {
  const all = [size, ...(size.images ?? [])];
  return all.reduce((a, b) => ((b.width ?? 0) * (b.height ?? 0) > (a.width ?? 0) * (a.height ?? 0) ? b : a));
}

/** A file whose signature says image but whose size is not in the bytes read (a truncated header). */
function knownButUnsized(b: Buffer): ImageInfo | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return info('PNG', null, null);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return info('JPEG', null, null, jpegExif(b));
  if (b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))) return info('GIF', null, null);
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return info('WebP', null, null);
  return null;
}

function exifOf(format: ImageFormat, b: Buffer): ExifInfo | null {
  try {
    if (format === 'JPEG') return jpegExif(b);
    if (format === 'PNG') return pngExif(b);
    if (format === 'HEIC' || format === 'AVIF') return readHeifExif(b);
  } catch {
    // Every reader checks bounds; this only catches what slipped through.
  }
  return null;
}

const info = (format: ImageFormat, width: number | null, height: number | null, exif: ExifInfo | null = null): ImageInfo => ({
  format,
  width: width && width > 0 ? width : null,
  height: height && height > 0 ? height : null,
  exif,
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

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

/** The EXIF of a JPEG: its APP1 segment, found by walking the markers up to the image data. */
function jpegExif(b: Buffer): ExifInfo | null {
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
    if (marker === 0xd9 || marker === 0xda) return null;
    const length = b.readUInt16BE(i + 2);
    if (length < 2) return null;
    if (marker === 0xe1) return parseExif(b.subarray(i + 4, Math.min(b.length, i + 2 + length)));
    i += 2 + length;
  }
  return null;
}
