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

/** Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(file, { readonly: options.readonly ?? false });
    db.pragma('journal_mode = WAL');
  } catch (error) {
    throw new UserError(`cannot open database ${file}: ${(error as Error).message}`, { cause: error });
  }
  // The app, the CLI and the scheduler may touch the file at once; wait instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  if (!options.readonly) migrate(db, options.upTo ?? SCHEMA_VERSION);
  return db;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, target: number = SCHEMA_VERSION): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new UserError(
      `database schema version ${current} is newer than this tinyArms understands (${SCHEMA_VERSION}); update tinyArms`,
    );
  }
  for (let version = current; version < target; version += 1) {
    db.transaction(() => {
      migrations[version](db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
