import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExif } from './exif';
import { readImageInfo } from './image-header';
import { describeFile, formatBytes, formatLocalMinute, readFileFacts } from './metadata';
import { readPdfInfo } from './pdf-info';
import { exifPayload, gifBytes, heicBytes, jpegBytes, pdfBytes, pngBytes, sandbox, webpBytes, type Sandbox } from './test-fixtures';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => {
  expect(box.surroundingsIntact()).toBe(true);
  box.cleanup();
});

const DATE = /(created|modified) \d{4}-\d\d-\d\d \d\d:\d\d$/;

describe('readFileFacts + describeFile', () => {
  it('describes a screenshot PNG in one line like the design', () => {
    const file = box.write('Screenshot 2026-03-02 at 09.41.12.png', pngBytes(1170, 2532));
    const facts = readFileFacts(file);
    expect(facts.image).toMatchObject({ format: 'PNG', width: 1170, height: 2532 });
    const text = describeFile(facts);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^Screenshot 2026-03-02 at 09\.41\.12\.png — PNG image, 1170×2532, \d+ KB, /);
    expect(text).toMatch(DATE);
    expect(text).toContain(formatLocalMinute(facts.created ?? facts.modified));
    expect(box.files()).toEqual(['Screenshot 2026-03-02 at 09.41.12.png']);
  });

  it("reads a JPEG photo's size, camera and date from EXIF, turning the size for a rotated photo", () => {
    const file = box.write(
      'IMG_4521.JPG',
      jpegBytes(64, 48, { make: 'Apple', model: 'iPhone 13', dateTimeOriginal: '2024:07:14 18:22:05', orientation: 6 }),
    );
    const facts = readFileFacts(file);
    expect(facts.exif).toEqual({ make: 'Apple', model: 'iPhone 13', dateTimeOriginal: '2024-07-14 18:22:05', orientation: 6 });
    const [first, second] = describeFile(facts).split('\n');
    expect(first).toMatch(/^IMG_4521\.JPG — JPEG image, 48×64, \d+ bytes, /);
    expect(second).toBe('Photo taken 2024-07-14 18:22 with Apple iPhone 13');
  });

  it('reads little-endian EXIF and does not repeat the make', () => {
    const file = box.write(
      'DSC_0001.jpeg',
      jpegBytes(16, 8, { make: 'Canon', model: 'Canon EOS R5', dateTimeOriginal: '2025:12:31 23:59:00', littleEndian: true }),
    );
    expect(describeFile(readFileFacts(file)).split('\n')[1]).toBe('Photo taken 2025-12-31 23:59 with Canon EOS R5');
  });

  it('describes a PDF with its page count and title', () => {
    const file = box.write('scan0001.pdf', pdfBytes({ pages: 3, title: 'Quarterly (Q3) report' }));
    const facts = readFileFacts(file);
    expect(facts.pdf).toEqual({ pages: 3, title: 'Quarterly (Q3) report' });
    const lines = describeFile(facts).split('\n');
    expect(lines[0]).toMatch(/^scan0001\.pdf — PDF document, 3 pages, \d+ bytes, /);
    expect(lines[1]).toBe('Title: "Quarterly (Q3) report"');
  });

  it("gives a text file's first ~300 characters on one line", () => {
    const body = `# Launch plan\n\nWe ship on March 2.\n${'More detail. '.repeat(40)}`;
    const file = box.write('untitled.md', body);
    const lines = describeFile(readFileFacts(file)).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^untitled\.md — Markdown text, \d+ bytes, /);
    expect(lines[1]).toMatch(/^Starts: "# Launch plan We ship on March 2\. More detail\./);
    expect(lines[1].length).toBeLessThan(320);
    expect(lines[1].endsWith('…"')).toBe(true);

    const csv = readFileFacts(box.write('export (1).csv', 'name,amount\nrent,1200\n'));
    expect(csv.typeLabel).toBe('CSV table');
    expect(csv.excerpt).toBe('name,amount rent,1200');
    const code = readFileFacts(box.write('main.ts', 'export const x = 1;\n'));
    expect(code.typeLabel).toBe('TypeScript code');
    expect(readFileFacts(box.write('data.json', '{"a": 1}')).excerpt).toBe('{"a": 1}');
  });

  it('keeps a hostile file name on one line and treats binary as binary', () => {
    const file = box.write('evil\nname.bin', Buffer.from([0, 1, 2, 3, 0xff]));
    const text = describeFile(readFileFacts(file));
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^evil name\.bin — BIN file, 5 bytes, /);
    expect(readFileFacts(box.write('empty.txt', '')).excerpt).toBeNull();
  });
});

describe('image headers', () => {
  it('reads GIF, WebP, HEIC and rejects garbage', () => {
    expect(readImageInfo(gifBytes(20, 10))).toMatchObject({ format: 'GIF', width: 20, height: 10 });
    expect(readImageInfo(webpBytes(800, 600))).toMatchObject({ format: 'WebP', width: 800, height: 600 });
    expect(readImageInfo(heicBytes(4032, 3024))).toMatchObject({ format: 'HEIC', width: 4032, height: 3024 });
    expect(readImageInfo(Buffer.from('hello world'))).toBeNull();
    expect(readImageInfo(Buffer.alloc(0))).toBeNull();
    // Truncated headers give what they can and never throw.
    expect(readImageInfo(pngBytes(10, 10).subarray(0, 12))).toMatchObject({ format: 'PNG', width: null });
    const jpeg = jpegBytes(64, 48, { make: 'Apple', model: 'iPhone 13' });
    for (let cut = 3; cut < jpeg.length; cut += 7) expect(() => readImageInfo(jpeg.subarray(0, cut))).not.toThrow();
  });

  it('reads EXIF from a PNG eXIf chunk and from a HEIC Exif item', () => {
    const tags = { make: 'Apple', model: 'iPhone 15 Pro', dateTimeOriginal: '2026:03:02 09:41:12', littleEndian: true };
    const expected = { make: 'Apple', model: 'iPhone 15 Pro', dateTimeOriginal: '2026-03-02 09:41:12', orientation: null };
    expect(readImageInfo(pngBytes(1170, 2532, tags))).toMatchObject({ format: 'PNG', width: 1170, height: 2532, exif: expected });
    expect(readImageInfo(heicBytes(4032, 3024, tags))).toMatchObject({ format: 'HEIC', width: 4032, height: 3024, exif: expected });
    // Where the files keep none, or the item lies past the bytes read: no EXIF, the size still.
    expect(readImageInfo(pngBytes(10, 10))!.exif).toBeNull();
    const far = heicBytes(4032, 3024, tags, 4096);
    expect(readImageInfo(far)!.exif).toEqual(expected);
    expect(readImageInfo(far.subarray(0, far.length - 20))).toMatchObject({ width: 4032, exif: null });

    const file = box.write('IMG_0042.HEIC', heicBytes(4032, 3024, tags));
    expect(describeFile(readFileFacts(file))).toContain('taken 2026-03-02 09:41 with Apple iPhone 15 Pro');
    // An Exif item behind 600 KB of image data: read with one more small read.
    const behind = box.write('IMG_0043.HEIC', heicBytes(4032, 3024, tags, 600 * 1024));
    expect(readImageInfo(fs.readFileSync(behind).subarray(0, 512 * 1024))!.exif).toBeNull();
    expect(readFileFacts(behind).exif).toEqual(expected);
  });

  it('survives hostile HEIC and PNG headers', () => {
    for (const good of [heicBytes(4032, 3024, { make: 'Apple', model: 'iPhone' }), pngBytes(4, 4, { make: 'Apple' })]) {
      for (let i = 0; i < good.length; i += 3) {
        const bad = Buffer.from(good);
        bad[i] ^= 0xff;
        expect(() => readImageInfo(bad)).not.toThrow();
        expect(() => readImageInfo(good.subarray(0, i))).not.toThrow();
      }
    }
  });

  it('survives hostile EXIF', () => {
    const good = exifPayload({ make: 'Apple', model: 'iPhone', dateTimeOriginal: '2024:01:02 03:04:05' });
    for (let i = 6; i < good.length; i += 3) {
      const bad = Buffer.from(good);
      bad[i] ^= 0xff;
      expect(() => parseExif(bad)).not.toThrow();
    }
    expect(parseExif(Buffer.from('Exif\0\0XX'))).toBeNull();
    expect(parseExif(exifPayload({ dateTimeOriginal: '0000:00:00 00:00:00' }))?.dateTimeOriginal).toBeNull();
  });
});

describe('PDF info', () => {
  it('falls back to the page tree count and decodes UTF-16 titles', () => {
    const compressed = Buffer.from(
      '%PDF-1.7\n1 0 obj << /Type /Pages /Kids [] /Count 12 >> endobj\n2 0 obj << /Title <FEFF004800E9006C006C006F> >> endobj\n',
    );
    expect(readPdfInfo(compressed)).toEqual({ pages: 12, title: 'Héllo' });
    expect(readPdfInfo(Buffer.from('%PDF-1.4\n<< /Title (a \\(b\\) \\101) >> << /Title (newer) >>'))).toEqual({
      pages: null,
      title: 'newer',
    });
  });
});

describe('formatBytes', () => {
  it('uses Finder-like decimal units', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(412_345)).toBe('412 KB');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
  });
});

it('reads nothing outside the folder', () => {
  expect(fs.readdirSync(path.dirname(box.folder)).sort()).toEqual(['Screenshots', 'outside']);
});
