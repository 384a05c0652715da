import { UserError } from '../util/errors';

/** The file-system limit on one name (APFS, ext4); watch.max_name_length may lower it. */
export const MAX_NAME_BYTES = 255;

// Extensions a model (or a user) may tack on that we replace with the file's own. Anything else after a dot
// ("meeting.notes", "release-v1.2") is part of the name.
const KNOWN_EXTENSIONS = new Set(
  (
    'png jpg jpeg jpe jfif gif webp heic heif avif tif tiff bmp svg ico raw dng cr2 nef arw psd ' +
    'pdf txt text md markdown rtf csv tsv json jsonl yaml yml xml toml ini log html htm css ' +
    'js mjs cjs ts tsx jsx py rb go rs java kt swift c h cc cpp hpp cs php sh zsh bash sql ' +
    'doc docx xls xlsx ppt pptx key pages numbers odt ods odp epub ' +
    'zip gz tgz bz2 xz 7z rar tar dmg pkg iso ' +
    'mov mp4 m4v avi mkv webm mp3 m4a wav aac flac ogg opus aiff'
  ).split(' '),
);

const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Separators (and ':' which Finder shows as '/'), control characters and newlines become a dash.
const UNSAFE = /[/\\:\p{Cc}\u2028\u2029]+/gu;
// Invisible format characters (bidi overrides can disguise "gnp.exe" as "exe.png"); ZWJ/ZWNJ stay for emoji and scripts.
const FORMAT = /\p{Cf}/gu;
const dropFormat = (c: string): string => (c === '\u200c' || c === '\u200d' ? c : '');
const EDGE_START = /^[\s.-]+/u;
const EDGE_END = /[\s.]+$/u;

export interface SanitizeOptions {
  /** Limit in UTF-8 bytes for the whole name, extension included. */
  maxBytes?: number;
}

export interface SanitizedName {
  name: string;
  /** What had to change, for a note to the user ("shortened to 255 bytes"). Empty when the name was fine. */
  changes: string[];
}

/** The extension the file keeps: ".png" of "shot.png", "" for "README" or ".bashrc" or "at 09.41.12". */
export function fileExtension(name: string): string {
  const match = /\.([A-Za-z0-9_+-]{1,10})$/.exec(name);
  if (!match || match.index === 0 || !/[A-Za-z]/.test(match[1])) return '';
  if (!/[^.\s]/.test(name.slice(0, match.index))) return '';
  return match[0];
}

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Cuts text to at most maxBytes of UTF-8 without splitting a character or an emoji sequence. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const size = utf8Bytes(segment);
    if (used + size > maxBytes) break;
    out += segment;
    used += size;
  }
  return out;
}

/**
 * Makes a proposed name (the model's or the user's edit) safe to use as a file name in the same folder as
 * `originalName`: one name, no path, visible, not reserved, within the byte limit, and with the original
 * file's extension. Case and style are kept. Throws a UserError when nothing usable is left.
 */
export function sanitizeFileName(proposed: string, originalName: string, options: SanitizeOptions = {}): SanitizedName {
  const maxBytes = Math.min(options.maxBytes ?? MAX_NAME_BYTES, MAX_NAME_BYTES);
  const changes: string[] = [];
  const extension = fileExtension(originalName);

  let stem = proposed.normalize('NFC').replace(FORMAT, dropFormat);
  const before = stem;
  stem = stem.replace(UNSAFE, '-').trim();
  if (stem !== before.trim()) changes.push('removed path separators or control characters');

  // "sunset.jpg" for a PNG becomes "sunset.png"; "photo.png.png" loses both.
  for (let own = fileExtension(stem); own; own = fileExtension(stem)) {
    const bare = own.slice(1).toLowerCase();
    if (bare !== extension.slice(1).toLowerCase() && !KNOWN_EXTENSIONS.has(bare)) break;
    stem = stem.slice(0, -own.length);
    if (bare !== extension.slice(1).toLowerCase()) changes.push(`kept the extension ${extension || '(none)'} instead of ${own}`);
  }

  // ".png" alone is an extension, not a name.
  const lone = /^[\s.]*\.([A-Za-z0-9]{1,10})$/.exec(stem);
  if (lone && (KNOWN_EXTENSIONS.has(lone[1].toLowerCase()) || lone[1].toLowerCase() === extension.slice(1).toLowerCase())) stem = '';

  const trimmed = stem.replace(EDGE_START, '').replace(EDGE_END, '');
  if (trimmed !== stem.trim()) changes.push('removed leading dots or dashes and trailing dots');
  stem = trimmed;
  if (stem === '') {
    throw new UserError(`'${printable(proposed)}' is not a usable file name`, { exitCode: 2, code: 'unusable_name' });
  }
  if (RESERVED.test(stem.split('.')[0])) {
    stem = `${stem}-file`;
    changes.push('avoided a reserved device name');
  }

  const room = maxBytes - utf8Bytes(extension);
  if (utf8Bytes(stem) > room) {
    stem = truncateUtf8(stem, room)
      .replace(EDGE_END, '')
      .replace(/[\s-]+$/u, '');
    changes.push(`shortened to ${maxBytes} bytes`);
    if (stem === '') throw new UserError(`'${printable(proposed)}' is not a usable file name`, { exitCode: 2, code: 'unusable_name' });
  }
  return { name: stem + extension, changes };
}

/** `name-2.ext`, `name-3.ext`, ... shortened so the suffix still fits the byte limit. */
export function withCounter(name: string, counter: number, maxBytes = MAX_NAME_BYTES): string {
  const extension = fileExtension(name);
  const stem = extension ? name.slice(0, -extension.length) : name;
  const suffix = `-${counter}`;
  const room = Math.min(maxBytes, MAX_NAME_BYTES) - utf8Bytes(extension) - suffix.length;
  return truncateUtf8(stem, room) + suffix + extension;
}

const printable = (text: string): string => {
  const flat = text.replace(/[\p{Cc}]+/gu, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
};
