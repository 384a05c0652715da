// What a file is, as Finder's Kind column says it, from its extension: shared by the engine's proposal views and the
// choice window (so plain string work only: the renderer imports it too).

const KINDS: Record<string, string> = {
  png: 'PNG image',
  jpg: 'JPEG image',
  jpeg: 'JPEG image',
  heic: 'HEIC image',
  heif: 'HEIF image',
  gif: 'GIF image',
  webp: 'WebP image',
  tif: 'TIFF image',
  tiff: 'TIFF image',
  bmp: 'BMP image',
  svg: 'SVG image',
  pdf: 'PDF document',
  txt: 'Plain text',
  md: 'Markdown text',
  markdown: 'Markdown text',
  rtf: 'Rich text',
  csv: 'CSV text',
  json: 'JSON text',
  html: 'HTML text',
  doc: 'Word document',
  docx: 'Word document',
  xls: 'Excel workbook',
  xlsx: 'Excel workbook',
  ppt: 'PowerPoint presentation',
  pptx: 'PowerPoint presentation',
  key: 'Keynote presentation',
  pages: 'Pages document',
  numbers: 'Numbers spreadsheet',
  mov: 'QuickTime movie',
  mp4: 'MPEG-4 movie',
  m4a: 'MPEG-4 audio',
  mp3: 'MP3 audio',
  wav: 'WAV audio',
  zip: 'ZIP archive',
  dmg: 'Disk image',
};

/** Images a browser can show as they are (a thumbnail in browser mode). */
export const BROWSER_IMAGES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

const extensionOf = (file: string): string => {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** A single line that ends in an extension: the name of a file rather than text about one. */
export const looksLikeFileName = (text: string): boolean =>
  !text.includes('\n') && text.length <= 255 && /\.[A-Za-z0-9]{1,6}$/.test(text.trim());

export function fileKind(file: string): string {
  const ext = extensionOf(file);
  return KINDS[ext] ?? (ext ? `${ext.toUpperCase()} file` : 'Document');
}

export const browserImageType = (file: string): string | null => BROWSER_IMAGES[extensionOf(file)] ?? null;
