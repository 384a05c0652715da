import fs from 'node:fs';
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

/** Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  let db: Database;
  try {
    if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
    db = new BetterSqlite3(file, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
    // The busy timeout first: switching a new file to WAL takes a lock another first run may hold.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
  } catch (error) {
    throw new UserError(`cannot open database ${file}: ${(error as Error).message}`, { cause: error });
  }
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  if (!options.readonly) migrate(db, options.upTo ?? SCHEMA_VERSION);
  return db;
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
  return db.transaction(fn).immediate();
}
