#!/usr/bin/env node
// Writes the tray template images and the app icon source into assets/, with nothing but Node: the PNG bytes
// (signature, IHDR, IDAT through zlib, IEND, CRC-32) are assembled here. Run: node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');

// The 16×16 T. rex with its tiny arm, shared with the renderer's AppGlyph. '#' = ink.
export const DINO = JSON.parse(fs.readFileSync(path.join(ASSETS, 'dino-glyph.json'), 'utf8')).rows;

// Busy: a small ring at the bottom right (an evolution runs).
const BUSY = ['....', '.##.', '#..#', '#..#', '.##.'];
// Vote: a dot at the top left (a vote waits).
const VOTE = ['.##.', '####', '####', '.##.'];

function stamp(glyph, mark, top, left) {
  const rows = glyph.map((row) => row.split(''));
  mark.forEach((line, y) =>
    [...line].forEach((c, x) => {
      if (c === '#') rows[top + y][left + x] = '#';
    }),
  );
  return rows.map((r) => r.join(''));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA pixels (width*height*4 bytes) → PNG file bytes, 8-bit truecolour with alpha, no filtering. */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A glyph scaled by an integer factor, black ink on transparent: a macOS template image. */
function templatePng(glyph, scale) {
  const size = glyph.length * scale;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if (glyph[Math.floor(y / scale)][Math.floor(x / scale)] === '#') rgba[(y * size + x) * 4 + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}

/** The app icon source: the glyph in white on a green rounded square, on the 1024 px macOS icon grid. */
function appIconPng() {
  const size = 1024;
  const box = { x: 100, y: 100, w: 824, h: 824, r: 185 };
  const scale = 40;
  const offset = (size - 16 * scale) / 2;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const cx = Math.min(Math.max(x, box.x + box.r), box.x + box.w - box.r);
      const cy = Math.min(Math.max(y, box.y + box.r), box.y + box.h - box.r);
      const inside = x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h && (x - cx) ** 2 + (y - cy) ** 2 <= box.r ** 2;
      if (!inside) continue;
      const gx = Math.floor((x - offset) / scale);
      const gy = Math.floor((y - offset) / scale);
      const ink = gx >= 0 && gx < 16 && gy >= 0 && gy < 16 && DINO[gy][gx] === '#';
      const i = (y * size + x) * 4;
      const shade = Math.round((40 * (y - box.y)) / box.h); // a gentle top-to-bottom gradient
      rgba[i] = ink ? 255 : 46 - Math.round(shade / 3);
      rgba[i + 1] = ink ? 255 : 160 - shade;
      rgba[i + 2] = ink ? 255 : 92 - Math.round(shade / 2);
      rgba[i + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}

export const TRAY_GLYPHS = {
  trayTemplate: DINO,
  trayBusyTemplate: stamp(DINO, BUSY, 11, 12),
  trayVoteTemplate: stamp(DINO, VOTE, 1, 1),
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(ASSETS, { recursive: true });
  for (const [name, glyph] of Object.entries(TRAY_GLYPHS)) {
    fs.writeFileSync(path.join(ASSETS, `${name}.png`), templatePng(glyph, 1));
    fs.writeFileSync(path.join(ASSETS, `${name}@2x.png`), templatePng(glyph, 2));
  }
  fs.writeFileSync(path.join(ASSETS, 'icon.png'), appIconPng());
  console.log(`wrote ${Object.keys(TRAY_GLYPHS).length * 2 + 1} images to ${ASSETS}`);
}
