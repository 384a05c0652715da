import type { EngineContext } from '../context';
import { nowIso } from '../context';
import { isUserError, UserError } from '../util/errors';
import { newId } from '../util/ids';
import { safeRename, sameIdentity, type FileIdentity } from './safe-rename';

export interface RenameRow {
  id: string;
  folder: string;
  from_name: string;
  to_name: string;
  task_id: string | null;
  at: string;
  undone_at: string | null;
  inode: number;
  size: number;
  mtime: number;
}

export interface UndoResult {
  rename: RenameRow;
  undone: boolean;
  /** What happened, one line: "Restored a.png (was b.png)" or why it was left alone. */
  note: string;
}

const identityOfRow = (row: Pick<RenameRow, 'inode' | 'size' | 'mtime'>) => ({ ino: row.inode, size: row.size, mtimeMs: row.mtime });

/** Every rename tinyArms made, so it can be undone and so a renamed file is never proposed again. */
export class RenameLog {
  constructor(private readonly ctx: Pick<EngineContext, 'db' | 'clock'>) {}

  record(entry: { folder: string; from: string; to: string; taskId: string | null; identity: Omit<FileIdentity, 'dev'> }): RenameRow {
    const row: RenameRow = {
      id: newId('ren'),
      folder: entry.folder,
      from_name: entry.from,
      to_name: entry.to,
      task_id: entry.taskId,
      at: nowIso(this.ctx),
      undone_at: null,
      inode: entry.identity.ino,
      size: entry.identity.size,
      mtime: entry.identity.mtimeMs,
    };
    this.ctx.db
      .prepare(
        `INSERT INTO file_renames (id, folder, from_name, to_name, task_id, at, undone_at, inode, size, mtime)
         VALUES (@id, @folder, @from_name, @to_name, @task_id, @at, @undone_at, @inode, @size, @mtime)`,
      )
      .run(row);
    return row;
  }

  get(id: string): RenameRow | undefined {
    return this.ctx.db.prepare(`SELECT * FROM file_renames WHERE id = ?`).get(id) as RenameRow | undefined;
  }

  /** Newest first. */
  recent(options: { limit?: number; includeUndone?: boolean } = {}): RenameRow[] {
    return this.ctx.db
      .prepare(`SELECT * FROM file_renames WHERE (@all = 1 OR undone_at IS NULL) ORDER BY at DESC, rowid DESC LIMIT @limit`)
      .all({ all: options.includeUndone ? 1 : 0, limit: options.limit ?? -1 }) as RenameRow[];
  }

  /** True for a file tinyArms renamed (or put back by undo): it is not new, so it is not proposed again. */
  isOurs(folder: string, name: string, identity: Omit<FileIdentity, 'dev'>): boolean {
    const rows = this.ctx.db
      .prepare(
        `SELECT * FROM file_renames WHERE folder = @folder
           AND ((to_name = @name AND undone_at IS NULL) OR (from_name = @name AND undone_at IS NOT NULL))`,
      )
      .all({ folder, name }) as RenameRow[];
    return rows.some((row) => sameIdentity(identityOfRow(row), identity));
  }

  /** Puts one renamed file back under its old name; never overwrites, never touches a file that changed. */
  undo(id: string): UndoResult {
    const rename = this.get(id);
    if (!rename) throw new UserError(`unknown rename '${id}'`, { exitCode: 2, code: 'unknown_rename' });
    if (rename.undone_at) return { rename, undone: false, note: `${rename.to_name} was already put back as ${rename.from_name}` };
    try {
      safeRename({ folder: rename.folder, from: rename.to_name, to: rename.from_name, expect: identityOfRow(rename), counter: false });
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { rename, undone: false, note: refusal(rename, error.code) };
    }
    this.ctx.db.prepare(`UPDATE file_renames SET undone_at = ? WHERE id = ?`).run(nowIso(this.ctx), id);
    return { rename: this.get(id)!, undone: true, note: `Restored ${rename.from_name} (was ${rename.to_name})` };
  }

  /** Undoes the last `count` renames that are not undone yet, newest first; each result says what happened. */
  undoLast(count = 1): UndoResult[] {
    return this.recent({ limit: count }).map((row) => this.undo(row.id));
  }
}

function refusal(rename: RenameRow, code: string): string {
  const where = `in ${rename.folder}`;
  switch (code) {
    case 'file_gone':
      return `Cannot undo: ${rename.to_name} is no longer ${where} (moved or deleted)`;
    case 'file_changed':
    case 'not_a_file':
      return `Cannot undo: ${rename.to_name} changed since tinyArms renamed it; left as it is`;
    case 'name_taken':
      return `Cannot undo: the old name ${rename.from_name} is now taken ${where}; left ${rename.to_name} as it is`;
    default:
      return `Cannot undo ${rename.to_name}: ${code}`;
  }
}
