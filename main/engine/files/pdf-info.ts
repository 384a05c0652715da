export interface PdfInfo {
  /** null when the page objects are hidden in compressed object streams. */
  pages: number | null;
  title: string | null;
}

export const isPdf = (head: Buffer): boolean => head.length >= 5 && head.toString('latin1', 0, 5) === '%PDF-';

/**
 * Cheap PDF facts from the raw bytes, no parser: the page count by counting page objects (or the page
 * tree's /Count), and the Info dictionary's /Title when it is stored uncompressed.
 */
export function readPdfInfo(bytes: Buffer): PdfInfo {
  const text = bytes.toString('latin1');
  const pageObjects = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  let pages: number | null = pageObjects > 0 ? pageObjects : null;
  if (pages === null) {
    const counts = [...text.matchAll(/\/Type\s*\/Pages\b[^>]{0,400}?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]{0,400}?\/Type\s*\/Pages\b/g)]
      .map((m) => Number(m[1] ?? m[2]))
      .filter((n) => n > 0 && n < 1e6);
    pages = counts.length > 0 ? Math.max(...counts) : null;
  }
  return { pages, title: lastTitle(text) };
}

// Incremental updates append newer Info dictionaries, so the last /Title is the current one.
function lastTitle(text: string): string | null {
  let title: string | null = null;
  for (const match of text.matchAll(/\/Title\s*([(<])/g)) {
    const start = match.index! + match[0].length;
    const raw = match[1] === '(' ? literalString(text, start) : hexString(text, start);
    const decoded =
      raw === null
        ? null
        : decodePdfText(raw)
            .replace(/\p{Cc}+/gu, ' ')
            .trim();
    if (decoded) title = decoded;
  }
  return title && title.length > 200 ? `${title.slice(0, 200)}…` : title;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };

/** A PDF literal string from just after its "(": balanced parentheses, backslash escapes, octal codes. */
function literalString(text: string, start: number): Buffer | null {
  const out: number[] = [];
  let depth = 1;
  for (let i = start; i < text.length && i < start + 4096; i += 1) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1] ?? '';
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
      if (octal) {
        out.push(parseInt(octal[0], 8) & 0xff);
        i += octal[0].length;
      } else {
        if (ESCAPES[next] !== undefined) out.push(ESCAPES[next].charCodeAt(0));
        i += 1;
      }
      continue;
    }
    if (c === '(') depth += 1;
    if (c === ')' && --depth === 0) return Buffer.from(out);
    out.push(c.charCodeAt(0) & 0xff);
  }
  return null;
}

function hexString(text: string, start: number): Buffer | null {
  const end = text.indexOf('>', start);
  if (end === -1 || end - start > 8192) return null;
  const hex = text.slice(start, end).replace(/\s+/g, '');
  if (!/^[0-9A-Fa-f]*$/.test(hex)) return null;
  return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
}

/** PDF text strings are UTF-16BE with a BOM, UTF-8 with a BOM (PDF 2.0), or PDFDocEncoding (≈ Latin-1). */
function decodePdfText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  return bytes.toString('latin1');
}
