import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { UserError } from '../util/errors';
import { migrations, SCHEMA_VERSION } from './migrations';

export type { Database } from 'better-sqlite3';

export interface OpenOptions {
  /** Apply only the first N migrations (tests of in-place upgrades). */
  upTo?: number;
  readonly?: boolean;
}

/**
 * How long a writer waits for another process's write to finish. The app, `tinyarms serve` and CLI processes
 * share one file; a write transaction holds the lock for milliseconds, so a wait this long only ends in
 * "database is locked" when something is badly stuck.
 */
export const BUSY_TIMEOUT_MS = 15_000;

/** The data folder each open database belongs to (a read-only one may be read from a copy elsewhere). */
const folders = new WeakMap<Database, string>();

/** Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  let db: Database;
  try {
    if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new BetterSqlite3(options.readonly ? readableCopy(file) : file, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
    folders.set(db, path.dirname(file));
    // The busy timeout first: switching a new file to WAL takes a lock another first run may hold.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) switchToWal(db);
  } catch (error) {
    throw new UserError(`cannot open database ${file}: ${(error as Error).message}`, { cause: error });
  }
  db.pragma('foreign_keys = ON');
  if (options.readonly) {
    if (schemaVersion(db) !== SCHEMA_VERSION) {
      throw new UserError(`the data folder ${path.dirname(file)} is read-only and its database needs an update tinyArms cannot write`, {
        code: 'read_only',
      });
    }
    return db;
  }
  db.pragma('synchronous = NORMAL');
  migrate(db, options.upTo ?? SCHEMA_VERSION);
  return db;
}

/**
 * Switches the file to WAL mode. On a fresh file several first runs race for this switch, and SQLite answers
 * SQLITE_BUSY to the loser without calling the busy handler (the switch needs an exclusive lock before any
 * transaction exists), so it is retried here, with jitter, for as long as a busy writer would be waited for.
 */
function switchToWal(db: Database): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 20);
    }
  }
}

/**
 * A WAL database can be read without write access only while its -shm file exists (SQLite cannot create it in
 * a read-only folder); otherwise a snapshot copy in the temp folder is read instead.
 */
function readableCopy(file: string): string {
  if (fs.existsSync(`${file}-shm`)) return file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-readonly-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  return copy;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema to `target`, one migration per exclusive transaction. The version is read inside the
 * transaction, so several first runs on one fresh folder apply each migration exactly once.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): void {
  const step = db.transaction((): boolean => {
    const current = schemaVersion(db);
    if (current > SCHEMA_VERSION) {
      throw new UserError(
        `database schema version ${current} is newer than this tinyArms understands (${SCHEMA_VERSION}); update tinyArms`,
      );
    }
    if (current >= target) return false;
    migrations[current](db);
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (step.exclusive()) {
    // one migration applied; look again
  }
}

/**
 * Runs fn in a write transaction that takes the write lock at BEGIN (BEGIN IMMEDIATE). A deferred transaction
 * that reads and then writes cannot wait for the lock in WAL mode (SQLite answers SQLITE_BUSY at once, since
 * its snapshot may be stale); an immediate one waits the busy timeout, and every check it makes sees the
 * latest data. Nested calls become savepoints of the outer transaction.
 */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (error) {
    throw readOnlyError(db, error) ?? error;
  }
}

/** SQLite refusing a write because the file or its folder cannot be written: one plain line instead. */
function readOnlyError(db: Database, error: unknown): UserError | null {
  const code = (error as { code?: string }).code ?? '';
  if (!code.startsWith('SQLITE_READONLY') && !(error instanceof TypeError && /readonly/i.test(error.message))) return null;
  return new UserError(
    `the data folder ${folders.get(db) ?? path.dirname(db.name)} is read-only: tinyArms can show what it holds but not change it`,
    {
      code: 'read_only',
      cause: error,
    },
  );
}
