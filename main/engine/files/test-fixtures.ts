// Tiny, valid files built from bytes for the watched-folder tests (no binary fixtures in the repository).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const u16be = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u32be = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))]);
}

/** A grey 8-bit grayscale PNG of the given size. */
export function pngBytes(width: number, height: number, exif?: ExifTags): Buffer {
  const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([8, 0, 0, 0, 0])]);
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y += 1) raw[y * (width + 1)] = 0; // filter type "none" per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    // eXIf holds the bare TIFF block, without JPEG's "Exif\0\0" header.
    ...(exif ? [pngChunk('eXIf', exifPayload(exif).subarray(6))] : []),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface ExifTags {
  make?: string;
  model?: string;
  dateTimeOriginal?: string;
  orientation?: number;
  littleEndian?: boolean;
}

/** An APP1 payload: "Exif\0\0" + a TIFF block with IFD0 (Make, Model, Orientation, ExifIFD pointer) and the Exif IFD. */
export function exifPayload(tags: ExifTags): Buffer {
  const le = tags.littleEndian ?? false;
  const w16 = (b: Buffer, o: number, v: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (b: Buffer, o: number, v: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  type E = { tag: number; type: number; count: number; value: Buffer | number };
  const ascii = (s: string) => Buffer.from(`${s}\0`, 'utf8');
  const ifd0: E[] = [];
  if (tags.make) ifd0.push({ tag: 0x010f, type: 2, count: ascii(tags.make).length, value: ascii(tags.make) });
  if (tags.model) ifd0.push({ tag: 0x0110, type: 2, count: ascii(tags.model).length, value: ascii(tags.model) });
  if (tags.orientation) ifd0.push({ tag: 0x0112, type: 3, count: 1, value: tags.orientation });
  const exif: E[] = [];
  if (tags.dateTimeOriginal)
    exif.push({ tag: 0x9003, type: 2, count: ascii(tags.dateTimeOriginal).length, value: ascii(tags.dateTimeOriginal) });
  ifd0.push({ tag: 0x8769, type: 4, count: 1, value: 0 });

  const tiff = Buffer.alloc(1024);
  tiff.write(le ? 'II' : 'MM', 0, 'latin1');
  w16(tiff, 2, 42);
  w32(tiff, 4, 8);
  let data = 8 + 2 + ifd0.length * 12 + 4;
  const writeIfd = (at: number, entries: E[]): number => {
    w16(tiff, at, entries.length);
    entries.forEach((e, i) => {
      const o = at + 2 + i * 12;
      w16(tiff, o, e.tag);
      w16(tiff, o + 2, e.type);
      w32(tiff, o + 4, e.count);
      if (typeof e.value === 'number') {
        if (e.type === 3) w16(tiff, o + 8, e.value);
        else w32(tiff, o + 8, e.value);
      } else if (e.value.length <= 4) {
        e.value.copy(tiff, o + 8);
      } else {
        e.value.copy(tiff, data);
        w32(tiff, o + 8, data);
        data += e.value.length + (e.value.length % 2);
      }
    });
    w32(tiff, at + 2 + entries.length * 12, 0);
    return at + 2 + entries.length * 12 + 4;
  };
  const pointer = ifd0.find((e) => e.tag === 0x8769)!;
  // Data of IFD0 first, then the Exif IFD after it.
  const exifAt =
    8 +
    2 +
    ifd0.length * 12 +
    4 +
    ifd0.reduce((n, e) => n + (typeof e.value !== 'number' && e.value.length > 4 ? e.value.length + (e.value.length % 2) : 0), 0);
  pointer.value = exifAt;
  writeIfd(8, ifd0);
  data = exifAt + 2 + exif.length * 12 + 4;
  const end = Math.max(writeIfd(exifAt, exif), data);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff.subarray(0, end)]);
}

/**
 * A decodable baseline grayscale JPEG of flat grey: one-code Huffman tables, every 8×8 block "DC diff 0, EOB".
 * With `exif`, an APP1 EXIF segment follows the SOI marker, as cameras write it.
 */
export function jpegBytes(width: number, height: number, exif?: ExifTags): Buffer {
  const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16be(body.length + 2), body]);
  const dqt = segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
  const sof0 = segment(0xc0, Buffer.concat([Buffer.from([8]), u16be(height), u16be(width), Buffer.from([1, 1, 0x11, 0])]));
  const oneCode = (cls: number, symbol: number) =>
    Buffer.concat([Buffer.from([cls]), Buffer.from([1, ...Array(15).fill(0)]), Buffer.from([symbol])]);
  const dht = segment(0xc4, Buffer.concat([oneCode(0x00, 0x00), oneCode(0x10, 0x00)]));
  const sos = segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const scan = Buffer.alloc(Math.ceil(bits / 8), 0);
  if (bits % 8) scan[scan.length - 1] = (1 << (8 - (bits % 8))) - 1; // pad the last byte with 1-bits
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...(exif ? [segment(0xe1, exifPayload(exif))] : []),
    dqt,
    sof0,
    dht,
    sos,
    scan,
    Buffer.from([0xff, 0xd9]),
  ]);
}

export function gifBytes(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.write('GIF89a', 0, 'latin1');
  header.writeUInt16LE(width, 6);
  header.writeUInt16LE(height, 8);
  header[10] = 0x80; // global colour table of 2 entries
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  const image = Buffer.from([0x2c, 0, 0, 0, 0, width & 0xff, width >> 8, height & 0xff, height >> 8, 0, 2, 2, 0x44, 0x01, 0, 0x3b]);
  return Buffer.concat([header, palette, image]);
}

/** A WebP RIFF header with a VP8X chunk (extended format), enough for the header reader. */
export function webpBytes(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(22, 4);
  b.write('WEBP', 8, 'latin1');
  b.write('VP8X', 12, 'latin1');
  b.writeUInt32LE(10, 16);
  b.writeUIntLE(width - 1, 24, 3);
  b.writeUIntLE(height - 1, 27, 3);
  return b;
}

/** An HEIF start: ftyp (heic) and a meta box holding a tile's and the full image's 'ispe' properties. */
/**
 * A HEIC header as iPhones write it: ftyp, then meta with item properties (a thumbnail's and the image's ispe).
 * With `exif`, meta also names an 'Exif' item (iinf) whose data iloc places in an mdat after `gap` bytes.
 */
export function heicBytes(width: number, height: number, exif?: ExifTags, gap = 0): Buffer {
  const box = (type: string, body: Buffer) => Buffer.concat([u32be(body.length + 8), Buffer.from(type, 'latin1'), body]);
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const ispe = (w: number, h: number) => box('ispe', Buffer.concat([u32be(0), u32be(w), u32be(h)]));
  const ftyp = box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));
  const ipco = box('ipco', Buffer.concat([ispe(512, 512), ispe(width, height)]));
  if (!exif) return Buffer.concat([ftyp, box('meta', Buffer.concat([u32be(0), box('iprp', ipco)]))]);
  const infe = (id: number, type: string) =>
    box('infe', Buffer.concat([Buffer.from([2, 0, 0, 0]), u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from([0])]));
  const iinf = box('iinf', Buffer.concat([u32be(0), u16(2), infe(1, 'hvc1'), infe(2, 'Exif')]));
  const item = Buffer.concat([u32be(6), exifPayload(exif)]);
  // iloc v0, 4-byte offsets and lengths, no base offset: item 1 (the image, elsewhere), item 2 (Exif).
  const iloc = (exifAt: number) =>
    box(
      'iloc',
      Buffer.concat([
        u32be(0),
        Buffer.from([0x44, 0x00]),
        u16(2),
        u16(1),
        u16(0),
        u16(1),
        u32be(0),
        u32be(0),
        u16(2),
        u16(0),
        u16(1),
        u32be(exifAt),
        u32be(item.length),
      ]),
    );
  const meta = (exifAt: number) => box('meta', Buffer.concat([u32be(0), iinf, iloc(exifAt), box('iprp', ipco)]));
  const head = ftyp.length + meta(0).length;
  const padding = box('free', Buffer.alloc(gap));
  const exifAt = head + padding.length + 8;
  return Buffer.concat([ftyp, meta(exifAt), padding, box('mdat', item)]);
}

/** A valid PDF with `pages` empty pages and an Info dictionary with /Title. */
export function pdfBytes(options: { pages: number; title?: string }): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: options.pages }, (_, i) => i + 3);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${options.pages} >>`);
  for (let i = 0; i < options.pages; i += 1) objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>');
  const infoId = objects.length + 1;
  const title = (options.title ?? '').replace(/([\\()])/g, '\\$1');
  objects.push(`<< /Title (${title}) /Producer (tinyArms tests) >>`);
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoId} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * A sandbox: `root/` holds the watched folder and an `outside/` sibling with a sentinel file, so a test can
 * prove nothing was renamed out of the folder and nothing was lost.
 */
export function sandbox(folderName = 'Screenshots', prefix = 'tinyarms-files') {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)));
  const folder = path.join(root, folderName);
  const outside = path.join(root, 'outside');
  fs.mkdirSync(folder);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'passwd'), 'sentinel\n');
  return {
    root,
    folder,
    write(name: string, content: string | Buffer): string {
      const file = path.join(folder, name);
      fs.writeFileSync(file, content);
      return file;
    },
    /** The watched folder's names, sorted. */
    files: (): string[] => fs.readdirSync(folder).sort(),
    /** Everything around it is untouched: the root holds only the two folders, outside only its sentinel. */
    surroundingsIntact: (): boolean =>
      JSON.stringify(fs.readdirSync(root).sort()) === JSON.stringify(['outside', folderName].sort()) &&
      JSON.stringify(fs.readdirSync(outside)) === JSON.stringify(['passwd']) &&
      fs.readFileSync(path.join(outside, 'passwd'), 'utf8') === 'sentinel\n',
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export type Sandbox = ReturnType<typeof sandbox>;
