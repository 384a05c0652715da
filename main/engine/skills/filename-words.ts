import { foldText } from './words';

// A "real" extension: the last dot segment, 1–5 ASCII letters/digits with at least one letter,
// so `release-v1.2` keeps its `2` while `.png`, `.jpeg`, `.mp4`, `.7z` are stripped.
const EXTENSION = /\.([A-Za-z0-9]{1,5})$/;
const EDGE_JUNK = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** Splits `.../stem.ext` into stem and extension (lowercase, no dot; '' when there is none). */
export function splitExtension(name: string): { stem: string; extension: string } {
  const match = EXTENSION.exec(name);
  if (!match || !/[A-Za-z]/.test(match[1])) return { stem: name, extension: '' };
  const stem = name.slice(0, match.index);
  // `.gitignore` has no stem: the whole thing is the name.
  if (!/[\p{L}\p{N}]/u.test(stem)) return { stem: name, extension: '' };
  return { stem, extension: match[1].toLowerCase() };
}

/**
 * The words of a file name, the way a person reads them: extension dropped, separators dropped,
 * camelCase and letter/number runs split, lowercased, accents folded.
 * "dashboard_FINAL_v3.png" → [dashboard, final, v3]; "iPhone15ProMockup" → [iphone, 15, pro, mockup].
 */
export function filenameWords(name: string): string[] {
  const cleaned = foldText(name).trim().replace(EDGE_JUNK, '');
  const { stem } = splitExtension(cleaned);
  return stem
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .flatMap((chunk) => splitChunk(chunk).split(' '))
    .map((word) => word.toLowerCase())
    .filter((word) => word !== '');
}

function splitChunk(chunk: string): string {
  return (
    chunk
      // dashboardFinal → dashboard Final, but not iPhone / eBay / iOS (one lowercase letter first).
      .replace(/(?<!^\p{Ll})(?<=\p{Ll})(?=\p{Lu})/gu, ' ')
      // HTMLParser → HTML Parser (PDFs stays whole).
      .replace(/(?<=\p{Lu})(?=\p{Lu}\p{Ll}{2})/gu, ' ')
      // IMG4521 → IMG 4521, 15Pro → 15 Pro; a single letter stays on its number: v2, 4k, 3d, 1080p, h264.
      .replace(/(?<=\p{L}{2})(?=\p{N})/gu, ' ')
      .replace(/(?<=\p{N})(?=\p{L}{2})/gu, ' ')
  );
}
