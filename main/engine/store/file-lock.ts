import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { UserError } from '../util/errors';

export interface HeldLock {
  release(): void;
}

/**
 * A lock shared by every process using a data folder, released by the operating system when its holder dies
 * (kill -9 included): an exclusive transaction on a small SQLite file, whose POSIX locks the kernel drops with
 * the process. Connections in one process exclude each other too, so engines in one process are covered.
 * `waitMs` 0 tries once; null when someone else holds it.
 */
export function acquireLock(file: string, waitMs = 0): HeldLock | null {
  let db: BetterSqlite3.Database;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new BetterSqlite3(file, { timeout: waitMs });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (['EACCES', 'EPERM', 'EROFS', 'SQLITE_CANTOPEN', 'SQLITE_READONLY'].includes(code)) {
      throw new UserError(
        `the data folder ${path.dirname(path.dirname(file))} is read-only: tinyArms can show what it holds but not change it`,
        {
          code: 'read_only',
          cause: error,
        },
      );
    }
    throw error;
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw error;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

/** Runs fn holding the lock; `busy` is the one line a caller gets when the lock stays taken. */
export function withLock<T>(file: string, options: { waitMs?: number; busy: () => UserError }, fn: () => T): T {
  const lock = acquireLock(file, options.waitMs ?? 0);
  if (!lock) throw options.busy();
  try {
    return fn();
  } finally {
    lock.release();
  }
}

/** The lock files of a data folder: one per purpose, in a folder of their own. */
export const lockFile = (dataDir: string, name: string): string => path.join(dataDir, 'locks', `${name}.lock`);
