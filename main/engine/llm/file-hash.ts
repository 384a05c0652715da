import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';

interface CacheRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
}

const memory = new Map<string, CacheRecord>();

const CACHE_FILE = '.sha256-cache.json';

function readDiskCache(dir: string): Record<string, CacheRecord> {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, CacheRecord>) : {};
  } catch {
    return {};
  }
}

async function hashStream(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * SHA-256 of a file, remembered by (path, size, mtime) in memory and, when cacheDir is given,
 * in `<cacheDir>/.sha256-cache.json`, so a 270 MB model is hashed once, not at every load.
 */
export async function sha256File(file: string, cacheDir?: string): Promise<string> {
  const absolute = path.resolve(file);
  const stat = fs.statSync(absolute);
  const fresh = (record: CacheRecord | undefined): record is CacheRecord =>
    !!record && record.size === stat.size && record.mtimeMs === stat.mtimeMs && /^[0-9a-f]{64}$/.test(record.sha256);
  const inMemory = memory.get(absolute);
  if (fresh(inMemory)) return inMemory.sha256;
  const disk = cacheDir ? readDiskCache(cacheDir) : {};
  if (fresh(disk[absolute])) {
    memory.set(absolute, disk[absolute]);
    return disk[absolute].sha256;
  }
  const record = { size: stat.size, mtimeMs: stat.mtimeMs, sha256: await hashStream(absolute) };
  memory.set(absolute, record);
  if (cacheDir) {
    try {
      writeFileAtomic(path.join(cacheDir, CACHE_FILE), `${JSON.stringify({ ...readDiskCache(cacheDir), [absolute]: record }, null, 2)}\n`);
    } catch {
      /* a read-only data folder only costs a re-hash next time */
    }
  }
  return record.sha256;
}
