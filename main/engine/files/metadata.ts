import fs from 'node:fs';
import path from 'node:path';
import { cameraName, type ExifInfo } from './exif';
import { heifExifRange, parseHeifExifItem } from './heif-exif';
import { readImageInfo, type ImageInfo } from './image-header';
import { isPdf, readPdfInfo, type PdfInfo } from './pdf-info';
import { fileExtension } from './sanitize';

/** What a text model can know about a file without seeing it. */
export interface FileFacts {
  path: string;
  name: string;
  /** ".png", or '' when the name has none. */
  extension: string;
  kind: 'image' | 'pdf' | 'text' | 'other';
  /** "PNG image", "PDF document", "Markdown text", "ZIP file". */
  typeLabel: string;
  size: number;
  /** Birth time where the file system keeps one, else null. */
  created: Date | null;
  modified: Date;
  image: ImageInfo | null;
  exif: ExifInfo | null;
  pdf: PdfInfo | null;
  /** The first ~300 characters of a text file, whitespace collapsed. */
  excerpt: string | null;
}

export const EXCERPT_CHARS = 300;
const IMAGE_HEAD_BYTES = 512 * 1024;
/** EXIF blocks are a few KB; a bigger claimed size is not EXIF worth reading. */
const MAX_EXIF_BYTES = 256 * 1024;
const TEXT_HEAD_BYTES = 8 * 1024;
const PDF_FULL_READ_BYTES = 8 * 1024 * 1024;
const PDF_TAIL_BYTES = 1024 * 1024;

const TEXT_LABELS: Record<string, string> = {
  txt: 'plain text',
  text: 'plain text',
  md: 'Markdown text',
  markdown: 'Markdown text',
  csv: 'CSV table',
  tsv: 'TSV table',
  json: 'JSON data',
  jsonl: 'JSON lines',
  yaml: 'YAML',
  yml: 'YAML',
  toml: 'TOML',
  xml: 'XML',
  html: 'HTML page',
  htm: 'HTML page',
  css: 'CSS stylesheet',
  log: 'log file',
  ini: 'settings file',
  sql: 'SQL',
  tex: 'LaTeX',
  js: 'JavaScript code',
  mjs: 'JavaScript code',
  cjs: 'JavaScript code',
  jsx: 'JavaScript code',
  ts: 'TypeScript code',
  tsx: 'TypeScript code',
  py: 'Python code',
  rb: 'Ruby code',
  go: 'Go code',
  rs: 'Rust code',
  java: 'Java code',
  kt: 'Kotlin code',
  swift: 'Swift code',
  c: 'C code',
  h: 'C header',
  cc: 'C++ code',
  cpp: 'C++ code',
  hpp: 'C++ header',
  cs: 'C# code',
  php: 'PHP code',
  sh: 'shell script',
  zsh: 'shell script',
  bash: 'shell script',
};

function readHead(file: string, bytes: number, from = 0): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, from);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/** A HEIF Exif item placed after the bytes read first (some files keep it behind the image data): one more small read. */
function heifExifBeyond(file: string, head: Buffer, size: number): ExifInfo | null {
  const range = heifExifRange(head);
  if (!range || range.offset + range.length <= head.length || range.length > MAX_EXIF_BYTES || range.offset + range.length > size)
    return null;
  return parseHeifExifItem(readHead(file, range.length, range.offset));
}

/** Reads the facts of one file: its header (images, PDF), its first lines (text) and its dates. Never throws for content. */
export function readFileFacts(file: string): FileFacts {
  const stat = fs.statSync(file);
  const name = path.basename(file);
  const extension = fileExtension(name);
  const ext = extension.slice(1).toLowerCase();
  const facts: FileFacts = {
    path: file,
    name,
    extension,
    kind: 'other',
    typeLabel: ext ? `${ext.toUpperCase()} file` : 'file',
    size: stat.size,
    created: stat.birthtimeMs > 0 ? stat.birthtime : null,
    modified: stat.mtime,
    image: null,
    exif: null,
    pdf: null,
    excerpt: null,
  };
  if (stat.size === 0) return facts;
  const head = readHead(file, Math.min(stat.size, IMAGE_HEAD_BYTES));
  const image = readImageInfo(head);
  if (image) {
    const heif = image.format === 'HEIC' || image.format === 'AVIF';
    const exif = image.exif ?? (heif ? heifExifBeyond(file, head, stat.size) : null);
    return { ...facts, kind: 'image', typeLabel: `${image.format} image`, image: { ...image, exif }, exif };
  }
  if (isPdf(head)) {
    // The head already read is the start of the file: read only what follows it (all of it, or the tail).
    const rest =
      stat.size <= PDF_FULL_READ_BYTES
        ? readHead(file, stat.size - head.length, head.length)
        : readHead(file, PDF_TAIL_BYTES, stat.size - PDF_TAIL_BYTES);
    const bytes = rest.length > 0 ? Buffer.concat([head, rest]) : head;
    return { ...facts, kind: 'pdf', typeLabel: 'PDF document', pdf: readPdfInfo(bytes) };
  }
  const sample = head.subarray(0, TEXT_HEAD_BYTES);
  if (TEXT_LABELS[ext] ? !sample.includes(0) : looksLikeText(sample)) {
    return { ...facts, kind: 'text', typeLabel: TEXT_LABELS[ext] ?? 'text file', excerpt: excerpt(sample) };
  }
  return facts;
}

function looksLikeText(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function excerpt(bytes: Buffer): string | null {
  const text = new TextDecoder('utf-8').decode(bytes, { stream: true }).replace(/^\uFEFF/, '');
  const flat = text.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  if (!flat) return null;
  const chars = Array.from(flat);
  return chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('').trimEnd()}…` : flat;
}

/** "412 KB", "3.4 MB" (decimal units, like Finder). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time "2026-03-02 09:41", the way the user reads their own files' dates. */
export const formatLocalMinute = (date: Date): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;

const oneLine = (text: string): string => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();

/**
 * The skill input: one to three compact lines, e.g.
 * `Screenshot 2026-03-02 at 09.41.12.png — PNG image, 1170×2532, 412 KB, created 2026-03-02 09:41`
 * then, where known, when and with what camera a photo was taken, a PDF's title, or a text's first words.
 */
export function describeFile(facts: FileFacts): string {
  const parts = [facts.typeLabel];
  if (facts.image?.width && facts.image.height) parts.push(`${facts.image.width}×${facts.image.height}`);
  if (facts.pdf?.pages) parts.push(`${facts.pdf.pages} ${facts.pdf.pages === 1 ? 'page' : 'pages'}`);
  parts.push(formatBytes(facts.size));
  parts.push(facts.created ? `created ${formatLocalMinute(facts.created)}` : `modified ${formatLocalMinute(facts.modified)}`);
  const lines = [`${oneLine(facts.name)} — ${parts.join(', ')}`];

  const camera = cameraName(facts.exif);
  const taken = facts.exif?.dateTimeOriginal?.slice(0, 16);
  if (taken || camera) lines.push(`Photo${taken ? ` taken ${taken}` : ''}${camera ? ` with ${oneLine(camera)}` : ''}`);
  if (facts.pdf?.title) lines.push(`Title: "${oneLine(facts.pdf.title)}"`);
  if (facts.excerpt) lines.push(`Starts: "${facts.excerpt}"`);
  return lines.join('\n');
}
