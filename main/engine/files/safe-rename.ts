import fs from 'node:fs';
import path from 'node:path';
import { crashPoint } from '../util/crash-point';
import { UserError } from '../util/errors';
import { MAX_NAME_BYTES, withCounter } from './sanitize';

/** What tells "the same file" apart from one that was replaced or edited: inode, size and modification time. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export const identityOf = (stat: fs.Stats): FileIdentity => ({ dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs });

export const sameIdentity = (a: Omit<FileIdentity, 'dev'>, b: Omit<FileIdentity, 'dev'>): boolean =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

export interface RenameRequest {
  folder: string;
  from: string;
  to: string;
  /** Refuse unless the file is still this one. */
  expect?: Omit<FileIdentity, 'dev'>;
  /** Add -2, -3, ... when the name is taken (default); false = refuse instead (undo). */
  counter?: boolean;
  maxBytes?: number;
  /** Told each name about to be tried, before the file gets it (the caller notes it for crash recovery). */
  onCandidate?: (name: string) => void;
}

export interface RenameResult {
  folder: string;
  from: string;
  to: string;
  identity: FileIdentity;
}

const fail = (message: string, code: string): UserError => new UserError(message, { code });

/** A single name in a folder: no separators, not '.' or '..'. */
export function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\0]/.test(name) && path.basename(name) === name;
}

const lstatOrNull = (file: string): fs.Stats | null => {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** The regular file `name` in `folder`, or a UserError saying why it cannot be renamed. */
export function requireRegularFile(folder: string, name: string, expect?: Omit<FileIdentity, 'dev'>): fs.Stats {
  const stat = lstatOrNull(path.join(folder, name));
  if (!stat) throw fail(`${name} is no longer in ${folder} (renamed, moved or deleted); nothing was changed`, 'file_gone');
  if (stat.isSymbolicLink()) throw fail(`${name} is a symbolic link; tinyArms only renames regular files`, 'not_a_file');
  if (!stat.isFile()) throw fail(`${name} is not a regular file`, 'not_a_file');
  if (expect && !sameIdentity(identityOf(stat), expect)) {
    throw fail(`${name} changed since the proposal (size, date or identity differs); nothing was changed`, 'file_changed');
  }
  return stat;
}

// Hard links are how a rename can refuse to overwrite atomically; some volumes (SMB, exFAT) do not have them.
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK', 'EXDEV']);

/**
 * Renames a file inside its folder without ever overwriting: link(from, to) fails if `to` exists, then
 * the old name is unlinked. Where links are not supported, `to` is reserved with an exclusive create first.
 * Refuses symlinks, non-files, names with a path, and a file that is not the expected one.
 */
export function safeRename(request: RenameRequest): RenameResult {
  const { from, to } = request;
  if (!isPlainName(from) || !isPlainName(to))
    throw fail(`refusing to rename '${from}' to '${to}': names must not contain a path`, 'outside_folder');
  let folder: string;
  try {
    folder = fs.realpathSync(request.folder);
  } catch (error) {
    // A vanished folder is reported like the vanished file it holds (file_gone), not as a raw ENOENT.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') requireRegularFile(request.folder, from, request.expect);
    throw error;
  }
  const source = path.join(folder, from);
  if (path.dirname(source) !== folder) throw fail(`refusing to rename outside ${folder}`, 'outside_folder');
  const stat = requireRegularFile(folder, from, request.expect);
  if (from === to) return { folder, from, to, identity: identityOf(stat) };

  const maxBytes = request.maxBytes ?? MAX_NAME_BYTES;
  for (let counter = 1; counter < 1000; counter += 1) {
    const candidate = counter === 1 ? to : withCounter(to, counter, maxBytes);
    const dest = path.join(folder, candidate);
    if (path.dirname(dest) !== folder) throw fail(`refusing to rename outside ${folder}`, 'outside_folder');
    request.onCandidate?.(candidate);
    const outcome = moveExclusive(source, dest, stat);
    if (outcome === 'done') return { folder, from, to: candidate, identity: identityOf(fs.lstatSync(dest)) };
    if (request.counter === false) throw fail(`${candidate} already exists in ${folder}; nothing was changed`, 'name_taken');
  }
  throw fail(`no free name like ${to} in ${folder}`, 'name_taken');
}

function moveExclusive(source: string, dest: string, stat: fs.Stats): 'done' | 'taken' {
  try {
    fs.linkSync(source, dest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return sameFile(dest, stat) ? renameInPlace(source, dest) : 'taken';
    if (NO_LINKS.has(code)) return reserveThenRename(source, dest, stat);
    throw error;
  }
  // The name pointed at something else by the time we linked it: undo our extra link, keep everything.
  const linked = fs.lstatSync(dest);
  if (linked.ino !== stat.ino || linked.dev !== stat.dev) {
    fs.unlinkSync(dest);
    throw fail(`${path.basename(source)} changed while renaming; nothing was changed`, 'file_changed');
  }
  crashPoint('rename:linked');
  try {
    fs.unlinkSync(source);
  } catch (error) {
    // Someone else moved the file between our link and our unlink: drop our name, so it keeps exactly one.
    fs.unlinkSync(dest);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw fail(`${path.basename(source)} was renamed elsewhere at the same moment; nothing was changed`, 'file_gone');
    }
    throw error;
  }
  return 'done';
}

// Case-only renames ("photo.png" → "Photo.png") on a case-insensitive volume: the "existing" name is the file itself.
function sameFile(dest: string, stat: fs.Stats): boolean {
  const other = lstatOrNull(dest);
  return other !== null && other.ino === stat.ino && other.dev === stat.dev;
}

function renameInPlace(source: string, dest: string): 'done' {
  fs.renameSync(source, dest);
  return 'done';
}

function reserveThenRename(source: string, dest: string, stat: fs.Stats): 'done' | 'taken' {
  let fd: number;
  try {
    fd = fs.openSync(dest, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return sameFile(dest, stat) ? renameInPlace(source, dest) : 'taken';
    throw error;
  }
  const reserved = fs.fstatSync(fd);
  fs.closeSync(fd);
  try {
    const now = fs.lstatSync(source);
    if (now.ino !== stat.ino || now.dev !== stat.dev)
      throw fail(`${path.basename(source)} changed while renaming; nothing was changed`, 'file_changed');
    fs.renameSync(source, dest);
    return 'done';
  } catch (error) {
    const left = lstatOrNull(dest);
    if (left && left.ino === reserved.ino && left.size === 0) fs.unlinkSync(dest);
    throw error;
  }
}
